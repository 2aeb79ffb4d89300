"""Translations: the flow-string extractor, the language manifest, gettext catalogs
compiled once into the engine's text tables, and catalog lint.
"""
