"""Extraction from text: meeting facts, ordered speakers, subjects by kind, resolutions."""

from hexaglot.enrich.extract import FIELDS, Extraction, extract_page, extract_press, extract_text

__all__ = ["FIELDS", "Extraction", "extract_page", "extract_press", "extract_text"]
