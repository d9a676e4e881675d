"""Summaries: the small aggregations the notebooks (and other studies) share.

Each takes the package's tidy tables and returns a tidy table ready for a plot function.
"""

from __future__ import annotations

import pandas as pd

RATE_KEYS = ("online_service_rate", "onsite_once_rate", "satisfaction_rate", "on_time_rate",
             "coverage_rate", "response_rate", "claim_rate", "compression_rate")


def doc_labels(docs: pd.DataFrame) -> pd.Series:
    """A short readable label per document: place, year and period (doc_id when unknown).

    Only parsed documents (status ``ok`` or ``warning``) get one: a skipped or failed
    file has no text to plot. Returns a Series indexed by ``doc_id``; labels are made
    unique with the doc_id's first characters when two documents would share one.
    """
    def label(row) -> str:
        place = next((row[c] for c in ("county", "city", "province") if isinstance(row[c], str)), None)
        parts = [place, None if pd.isna(row["year"]) else str(int(row["year"])),
                 None if pd.isna(row["period"]) or row["period"] == "annual" else row["period"]]
        text = " ".join(p for p in parts if p)
        return text or row["doc_id"]

    docs = docs[docs["status"].isin(["ok", "warning"])]
    labels = docs.set_index("doc_id").apply(lambda r: label(r.to_dict() | {"doc_id": r.name}), axis=1)
    duplicated = labels.duplicated(keep=False)
    labels[duplicated] = labels[duplicated] + " (" + labels.index[duplicated].str[:6] + ")"
    return labels.rename("label")


def role_lengths(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Paragraphs and characters per document and section role.

    Returns one row per (doc_id, role): ``doc_id, role, n_paragraphs, n_chars``.
    """
    table = (paragraphs.assign(n_chars=paragraphs["text"].str.len())
             .groupby(["doc_id", "role"], sort=True)
             .agg(n_paragraphs=("paragraph_id", "size"), n_chars=("n_chars", "sum"))
             .reset_index())
    return table


def cleaning_summary(removed: pd.DataFrame) -> pd.DataFrame:
    """What cleaning removed: ``doc_id, kind, n_lines, n_chars`` per document and kind."""
    return (removed.assign(n_chars=removed["text"].str.len())
            .groupby(["doc_id", "kind"], sort=True)
            .agg(n_lines=("line_no", "size"), n_chars=("n_chars", "sum"))
            .reset_index())


def topic_shares(unit_topics: pd.DataFrame, *, by: str = "doc_id") -> pd.DataFrame:
    """Mean topic weight of the units in each group: ``<by>, topic, weight``."""
    return (unit_topics.groupby([by, "topic"], sort=True)["weight"].mean().round(6)
            .rename("weight").reset_index())


def rate_indicators(indicators: pd.DataFrame, docs: pd.DataFrame, keys=RATE_KEYS) -> pd.DataFrame:
    """Percentage indicators of the given families, labelled by document.

    Returns one row per claim: ``doc_id, label, metric_key, metric, value, kind,
    qualifier, role``, ordered by metric_key and value.
    """
    rates = indicators[(indicators["unit"] == "%") & indicators["metric_key"].isin(keys)
                       & indicators["value"].between(0, 100)]
    labels = doc_labels(docs)
    table = rates.assign(label=rates["doc_id"].map(labels))
    columns = ["doc_id", "label", "metric_key", "metric", "value", "kind", "qualifier", "role"]
    return table[columns].sort_values(["metric_key", "value", "doc_id"], kind="stable").reset_index(drop=True)
