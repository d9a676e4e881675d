"""govanalysis: Chinese digital-government work reports to tidy tables and figures.

The parse pipeline reads a folder of scraped reports (UTF-8, GBK, Big5, UTF-16; text or
HTML), cleans away page furniture, converts traditional script to simplified, extracts
metadata (issuer, region, dates, years, period, genre) and the section tree with each
section's role (achievements, problems, plans, ...). Text models, extractors and plots
work on those tables. Every table is a long pandas DataFrame that joins back to ``docs``
on ``doc_id``.

Every public name is here: ``import govanalysis as ga; ga.parse_corpus(...)``,
``ga.tokenize(...)``, ``ga.heatmap(...)``. Names are imported on first use, so the
command line and the parse layer start without loading scikit-learn or seaborn.
"""

from __future__ import annotations

import importlib

__version__ = "0.2.0"

# Public name -> the module that defines it, in pipeline order.
_EXPORTS = {
    "parse.corpus": ["Corpus", "parse_corpus", "parse_text"],
    "io.reading": ["ReadError", "read_corpus"],
    "io.tables": ["read_tables", "write_tables"],
    "parse.cleaning": ["clean_text", "detect_script", "to_simplified"],
    "parse.structure": ["split_sentences"],
    "parse.provenance": ["ManifestError", "ManifestWarning", "read_manifest"],
    "parse.regions": ["provinces"],
    "extract.indicators": ["extract_indicators"],
    "extract.policy_terms": ["count_policy_terms", "extract_policy_terms"],
    "text.tokens": ["Tokenizer", "TokenizerConfig", "tokenize"],
    "text.topics": ["KSelection", "TopicModel", "TopicsError", "TopicsWarning", "choose_k", "fit_topics",
               "label_topics"],
    "text.themes": ["LexiconError", "load_lexicon", "score_themes", "theme_hits", "theme_matches"],
    "text.compare": ["distinctive_terms", "log_odds", "similarity"],
    "text.reuse": ["ReuseWarning", "reuse_by_doc", "text_reuse"],
    "text.dynamic": ["DynamicTopics", "dynamic_topics"],
    "text.trend": ["term_shares", "trend"],
    "viz.figures": ["dot_plot", "heatmap", "interval_plot", "k_selection_plot", "save_figure", "stacked_bar_plot",
                "term_bar_plot", "trend_plot", "use_house_style"],
    "viz.maps": ["province_map", "province_tiles"],
    "viz.summaries": ["cleaning_summary", "doc_labels", "rate_indicators", "role_lengths", "topic_shares"],
    "validate": ["CodingError", "CodingScores", "IntrusionTest", "coder_agreement", "example_coding", "read_coding",
                 "sample_for_coding", "score_coding", "score_topic_intrusion", "score_word_intrusion",
                 "suggest_terms", "topic_intrusion", "word_intrusion"],
    "viz.pages": ["write_pages"],
    "runner": ["run_notebooks"],
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str):
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'govanalysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # look it up once
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
