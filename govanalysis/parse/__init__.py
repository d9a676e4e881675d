"""Parsing: cleaning, metadata, places, the section tree, and the corpus pipeline that runs them."""
