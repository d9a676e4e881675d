"""Comparison: distinctive terms by weighted log-odds, and document similarity.

Distinctive terms follow Monroe, Colaresi & Quinn (2008), "Fightin' words": the log-odds
ratio of a term in one group against all other groups, smoothed by an informative
Dirichlet prior proportional to the term's corpus frequency, divided by its estimated
standard deviation to give a z-score. Frequent terms need more evidence than rare ones,
and a rare term used once is not "distinctive".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

LOG_ODDS_COLUMNS = ["term", "count", "log_odds", "z"]  # after the by column


def log_odds(tokens: pd.DataFrame, *, by: str = "doc_id", prior_strength: float | None = None,
             min_count: int = 1) -> pd.DataFrame:
    """Weighted log-odds (informative Dirichlet prior) of every term in every group.

    Parameters
    ----------
    tokens
        One row per token, with a ``token`` column and the ``by`` column.
    by
        Column to compare by: ``doc_id``, ``role``, or any column joined on (province…).
    prior_strength
        Total pseudo-count α0 of the prior; α_w = α0 · n_w / n. Default: n, the corpus
        size (the prior is the corpus itself, as in tidylo).
    min_count
        Drop (group, term) pairs seen fewer times than this.

    Returns
    -------
    pandas.DataFrame
        One row per group and term it uses: the ``by`` column (its name kept), ``term,
        count, log_odds`` (of the group vs the rest) and ``z``; sorted by group, then z
        descending.
    """
    counts = tokens.groupby([by, "token"], sort=True, observed=True).size().rename("count").reset_index()
    counts[[by, "token"]] = counts[[by, "token"]].astype(str)
    term_total = counts.groupby("token")["count"].transform("sum")
    group_total = counts.groupby(by)["count"].transform("sum")
    n = counts["count"].sum()
    alpha0 = float(prior_strength) if prior_strength else float(n)
    alpha_w = alpha0 * term_total / n
    y_i = counts["count"]
    y_j = term_total - y_i  # the same term in all other groups
    n_i, n_j = group_total, n - group_total
    omega_i = np.log((y_i + alpha_w) / (n_i + alpha0 - y_i - alpha_w))
    omega_j = np.log((y_j + alpha_w) / (n_j + alpha0 - y_j - alpha_w))
    delta = omega_i - omega_j
    variance = 1.0 / (y_i + alpha_w) + 1.0 / (y_j + alpha_w)
    table = pd.DataFrame({by: counts[by], "term": counts["token"], "count": y_i.astype("int64"),
                          "log_odds": delta.round(8), "z": (delta / np.sqrt(variance)).round(8)})
    table = table[table["count"] >= min_count]
    table = table.sort_values([by, "z", "term"], ascending=[True, False, True], kind="stable")
    return table.reset_index(drop=True)


def distinctive_terms(tokens: pd.DataFrame, *, by: str = "doc_id", n: int = 15, **kwargs) -> pd.DataFrame:
    """The ``n`` terms with the highest z per group of ``by`` (see :func:`log_odds`)."""
    table = log_odds(tokens, by=by, **kwargs)
    return table.groupby(by, sort=True).head(n).reset_index(drop=True)


def similarity(tokens: pd.DataFrame, *, by: str = "doc_id") -> pd.DataFrame:
    """Cosine similarity of TF-IDF vectors for every pair of groups of ``by``.

    Returns one row per ordered pair (self-pairs included): ``<by>_a, <by>_b, cosine``,
    so it pivots directly into a square matrix.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    from .topics import _identity

    docs = tokens.groupby(by, sort=True, observed=True)["token"].agg(list)
    X = TfidfVectorizer(analyzer=_identity, sublinear_tf=True).fit_transform(docs.tolist())
    S = cosine_similarity(X)
    ids = docs.index.astype(str).to_numpy()
    return pd.DataFrame({f"{by}_a": np.repeat(ids, len(ids)), f"{by}_b": np.tile(ids, len(ids)),
                         "cosine": np.round(S.ravel(), 8)})
