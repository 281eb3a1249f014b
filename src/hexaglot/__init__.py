"""Hexaglot: an audiovisual archive for the recordings of multilingual meetings."""

__version__ = "0.1.0"
