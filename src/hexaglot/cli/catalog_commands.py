"""Catalogue commands: import page, show, list, migrate, serve, demo."""
