"""Extraction from paragraphs: numeric indicators and policy terms."""
