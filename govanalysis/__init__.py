"""govanalysis: Chinese digital-government work reports to tidy tables and figures.

The parse pipeline reads a folder of scraped reports (UTF-8, GBK, Big5, UTF-16; text or
HTML), cleans away page furniture, converts traditional script to simplified, extracts
metadata (issuer, region, dates, period, genre) and the section tree with each section's
role (achievements, problems, plans, ...). Every table is a long pandas DataFrame that
joins back to ``docs`` on ``doc_id``.
"""

from .cleaning import clean_text, detect_script, to_simplified
from .pipeline import Corpus, parse_corpus, parse_text
from .reading import ReadError, read_corpus
from .regions import gazetteer, resolve_region

__version__ = "0.1.0"

__all__ = [
    "Corpus",
    "ReadError",
    "clean_text",
    "detect_script",
    "gazetteer",
    "parse_corpus",
    "parse_text",
    "read_corpus",
    "resolve_region",
    "to_simplified",
]
