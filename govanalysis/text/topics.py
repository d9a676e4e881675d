"""Topics: TF-IDF + NMF over any unit, with a principled choice of the number of topics.

Input is the tidy tokens table (one row per token). Sparse matrices stay in this module;
everything returned is a long DataFrame. Fits run under one BLAS thread
(threadpoolctl), so the same input and ``random_state`` give identical tables whatever
the machine's thread count.

``choose_k`` scores each k by

- *stability* (Greene, O'Callaghan & Cunningham 2014): fit a reference model on all
  units and ``n_runs`` models on random ``sample_frac`` subsets; match topics between
  each subset model and the reference (Hungarian algorithm) by the average Jaccard
  agreement of their top-``top_n`` term rankings; stability is the mean agreement;
- *coherence*: mean NPMI of each topic's top terms, from their co-occurrence in the
  corpus's units.

The recommended k is the most stable one; ties (within ``tolerance``) go to the more
coherent, then the smaller.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

UNIT_COLUMNS = {"paragraph": "paragraph_id", "section": "section_id", "document": "doc_id",
                "sentence": "sentence_id"}


class TopicsError(ValueError):
    """The corpus cannot support the model asked for (too few units for k, no terms left)."""


class TopicsWarning(UserWarning):
    """The model was fitted with less than asked for (k capped, term pruning relaxed)."""


def _identity(tokens):
    return tokens


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" + ("" if n == 1 else "s")


def _unit_column(unit: str) -> str:
    try:
        return UNIT_COLUMNS[unit]
    except KeyError:
        raise ValueError(f"unit must be one of {sorted(UNIT_COLUMNS)}, not {unit!r}") from None


@dataclass
class _Matrix:
    X: object  # scipy.sparse CSR, units x terms, TF-IDF weighted
    units: pd.DataFrame  # unit id, doc_id (and role when constant within the unit)
    vocabulary: np.ndarray
    binary: object  # units x terms, 0/1 occurrence


def tfidf_matrix(tokens: pd.DataFrame, unit: str = "paragraph", *, min_df: int = 2,
                 max_df: float = 0.9) -> _Matrix:
    """TF-IDF over the chosen unit (terms in at least ``min_df`` units, at most ``max_df``).

    When that pruning leaves no term (two documents, identical documents), every term
    is kept and a :class:`TopicsWarning` says so; no tokens at all raise
    :class:`TopicsError`.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    column = _unit_column(unit)
    grouped = tokens.groupby(column, sort=True, observed=True)
    docs = grouped["token"].agg(list)
    meta = pd.DataFrame(index=docs.index)
    if column != "doc_id":
        meta["doc_id"] = grouped["doc_id"].first()
    if "role" in tokens.columns and unit != "document":
        meta["role"] = grouped["role"].first()
    n_units = len(docs)
    if n_units == 0:
        raise TopicsError(f"no tokens to model: no {unit} has any token left")
    vectorizer = TfidfVectorizer(analyzer=_identity, min_df=min(min_df, n_units),
                                 max_df=max_df if n_units * max_df >= 1 else 1.0, sublinear_tf=True)
    try:
        X = vectorizer.fit_transform(docs.tolist())
    except ValueError:  # no term is in at least min_df and at most max_df of the units
        warnings.warn(f"term pruning (min_df={min_df}, max_df={max_df}) leaves no term in "
                      f"{_count(n_units, unit)}; every term is kept", TopicsWarning, stacklevel=3)
        vectorizer = TfidfVectorizer(analyzer=_identity, min_df=1, max_df=1.0, sublinear_tf=True)
        X = vectorizer.fit_transform(docs.tolist())
    binary = (X > 0).astype(np.float64).tocsr()
    units = meta.reset_index()
    units = units.astype({c: str for c in units.columns})  # plain ids, whatever the input dtype
    return _Matrix(X.tocsr(), units, vectorizer.get_feature_names_out(), binary)


def _nmf(X, k: int, random_state: int, max_iter: int = 500):
    import warnings

    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning
    from threadpoolctl import threadpool_limits

    # One BLAS thread: bit-identical factors on any machine. Non-convergence after
    # max_iter only moves weights in late decimals; it is not worth a warning per fit.
    with threadpool_limits(limits=1), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = NMF(n_components=k, init="nndsvda", random_state=random_state, max_iter=max_iter, tol=1e-4)
        W = model.fit_transform(X)
    return W, model.components_, float(model.reconstruction_err_)


def _top_terms(H: np.ndarray, n: int) -> list[list[int]]:
    # Stable sort on -weight, then term index: ties resolve the same way everywhere.
    return [list(np.lexsort((np.arange(H.shape[1]), -row))[:n]) for row in H]


@dataclass
class TopicModel:
    """A fitted topic model as tidy tables.

    Attributes
    ----------
    topic_terms
        One row per topic and top term: ``topic, term, weight, rank`` (rank 1 = heaviest).
    unit_topics
        One row per unit and topic: the unit id column, ``doc_id`` (and ``role`` for
        paragraphs and sections), ``topic``, ``weight`` (rows of W normalised to sum 1;
        0 for a unit with no modelled terms).
    k, unit, reconstruction_error
        The fit's parameters and its Frobenius reconstruction error.
    """

    topic_terms: pd.DataFrame
    unit_topics: pd.DataFrame
    k: int
    unit: str
    reconstruction_error: float


def fit_topics(tokens: pd.DataFrame, k: int, *, unit: str = "paragraph", random_state: int = 0,
               n_terms: int = 15, min_df: int = 2, max_df: float = 0.9) -> TopicModel:
    """Fit NMF with ``k`` topics on TF-IDF of ``unit``s built from a tokens table.

    ``k`` larger than the units or terms allow is capped, with a :class:`TopicsWarning`
    saying so; the model's ``k`` is the one fitted.
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be a whole number of at least 1, not {k!r}")
    matrix = tfidf_matrix(tokens, unit, min_df=min_df, max_df=max_df)
    n_units, n_vocabulary = matrix.X.shape
    if k > min(n_units, n_vocabulary):
        warnings.warn(f"k={k} capped at {min(n_units, n_vocabulary)}: only {_count(n_units, unit)} and "
                      f"{_count(n_vocabulary, 'term')} to model", TopicsWarning, stacklevel=2)
        k = min(n_units, n_vocabulary)
    k = int(k)
    W, H, error = _nmf(matrix.X, k, random_state)
    rows = []
    for topic, order in enumerate(_top_terms(H, n_terms), start=1):
        for rank, index in enumerate(order, start=1):
            rows.append({"topic": topic, "term": matrix.vocabulary[index],
                         "weight": round(float(H[topic - 1, index]), 10), "rank": rank})
    sums = W.sum(axis=1, keepdims=True)
    shares = np.divide(W, sums, out=np.zeros_like(W), where=sums > 0)
    unit_topics = matrix.units.loc[np.repeat(np.arange(len(matrix.units)), k)].reset_index(drop=True)
    unit_topics["topic"] = np.tile(np.arange(1, k + 1), len(matrix.units))
    unit_topics["weight"] = np.round(shares.ravel(), 10)
    return TopicModel(pd.DataFrame(rows), unit_topics, k, unit, round(error, 10))


def _agreement(reference: list[list[int]], other: list[list[int]]) -> float:
    """Mean Jaccard-based average agreement of matched topics (Greene et al. 2014)."""
    from scipy.optimize import linear_sum_assignment

    def average_jaccard(a: list[int], b: list[int]) -> float:
        return float(np.mean([len(set(a[:d]) & set(b[:d])) / len(set(a[:d]) | set(b[:d]))
                              for d in range(1, len(a) + 1)]))

    scores = np.array([[average_jaccard(r, o) for o in other] for r in reference])
    rows, cols = linear_sum_assignment(-scores)
    return float(scores[rows, cols].mean())


def _npmi(binary, top: list[list[int]]) -> float:
    """Mean NPMI of top-term pairs, from co-occurrence in units."""
    n = binary.shape[0]
    values = []
    for terms in top:
        columns = binary[:, terms].toarray()
        p = columns.mean(axis=0)
        joint = (columns.T @ columns) / n
        for i in range(len(terms)):
            for j in range(i + 1, len(terms)):
                pij = joint[i, j]
                if pij <= 0:
                    values.append(-1.0)
                elif pij >= 1:
                    values.append(1.0)
                else:
                    values.append(float(np.log(pij / (p[i] * p[j])) / -np.log(pij)))
    return float(np.mean(values)) if values else float("nan")


@dataclass
class KSelection:
    """The ``choose_k`` table (``k, stability, stability_sd, coherence,
    reconstruction_error, recommended``) and the recommended ``k``."""

    table: pd.DataFrame
    k: int


def choose_k(tokens: pd.DataFrame, ks=range(3, 13), *, unit: str = "paragraph", n_runs: int = 10,
             sample_frac: float = 0.8, top_n: int = 10, random_state: int = 0, tolerance: float = 0.01,
             min_df: int = 2, max_df: float = 0.9) -> KSelection:
    """Score each k by topic stability under resampling and by NPMI coherence.

    A k is scored when ``2 <= k < min(units, terms)`` and no larger than a resample
    (``sample_frac`` of the units); the others are dropped with a :class:`TopicsWarning`
    naming the cap, and a :class:`TopicsError` says what is missing when none is left.
    """
    if not 0 < sample_frac <= 1:
        raise ValueError(f"sample_frac must be in (0, 1], not {sample_frac!r}")
    if n_runs < 1:
        raise ValueError(f"n_runs must be at least 1, not {n_runs!r}")
    ks = sorted({int(k) for k in ks})
    if not ks:
        raise ValueError("ks is empty: give at least one k to score")
    matrix = tfidf_matrix(tokens, unit, min_df=min_df, max_df=max_df)
    return _select_k(matrix.X, matrix.binary, ks, unit=unit, n_runs=n_runs, sample_frac=sample_frac, top_n=top_n,
                     random_state=random_state, tolerance=tolerance)


def _select_k(X, binary, ks: list[int], *, unit: str, n_runs: int, sample_frac: float, top_n: int,
              random_state: int, tolerance: float) -> KSelection:
    """The choose_k table for a units x terms matrix ``X`` (``binary``: 0/1 occurrence for NPMI)."""
    n_units, n_terms = X.shape
    sample_size = min(n_units, max(2, int(sample_frac * n_units)))
    limit = min(n_units - 1, n_terms - 1, sample_size)
    usable = [k for k in ks if 2 <= k <= limit]
    sizes = f"{_count(n_units, unit)} (resamples of {sample_size}) and {_count(n_terms, 'term')}"
    if not usable:
        allowed = f"k from 2 to {limit}" if limit >= 2 else "no k of 2 or more"
        raise TopicsError(f"too few {unit}s to choose k in {ks[0]}..{ks[-1]}: {sizes} allow {allowed}")
    if usable != ks:
        warnings.warn(f"k range {ks[0]}..{ks[-1]} capped at {usable[0]}..{usable[-1]}: {sizes}",
                      TopicsWarning, stacklevel=3)
    rng = np.random.default_rng(random_state)
    samples = [np.sort(rng.choice(n_units, size=sample_size, replace=False)) for _ in range(n_runs)]
    rows = []
    for k in usable:
        _, H, error = _nmf(X, k, random_state)
        reference = _top_terms(H, top_n)
        agreements = []
        for sample in samples:
            _, H_sample, _ = _nmf(X[sample], k, random_state)
            agreements.append(_agreement(reference, _top_terms(H_sample, top_n)))
        rows.append({"k": k, "stability": round(float(np.mean(agreements)), 6),
                     "stability_sd": round(float(np.std(agreements)), 6),
                     "coherence": round(_npmi(binary, reference), 6),
                     "reconstruction_error": round(error, 6)})
    table = pd.DataFrame(rows)
    best = table["stability"].max()
    candidates = table[table["stability"] >= best - tolerance]
    chosen = int(candidates.sort_values(["coherence", "k"], ascending=[False, True])["k"].iloc[0])
    table["recommended"] = table["k"] == chosen
    return KSelection(table, chosen)


def label_topics(topic_terms: pd.DataFrame, lexicon: dict[str, list[str]] | None = None,
                 n_label_terms: int = 3) -> pd.DataFrame:
    """Suggested labels: top terms, and the theme whose lexicon best covers the topic.

    Returns one row per topic: ``topic, label`` (top terms joined by ·), ``theme`` (the
    theme whose terms carry most of the topic's top-term weight; NA when none does) and
    ``theme_share`` (that weight's share).
    """
    from .themes import load_lexicon

    lexicon = lexicon or load_lexicon()
    rows = []
    for topic, terms in topic_terms.sort_values(["topic", "rank"]).groupby("topic", sort=True):
        total = terms["weight"].sum()
        shares = {}
        for theme, words in lexicon.items():
            inside = terms["term"].map(lambda t, words=words: any(w in t or t in w for w in words if len(t) >= 2))
            shares[theme] = float(terms.loc[inside, "weight"].sum() / total) if total else 0.0
        theme, share = max(shares.items(), key=lambda item: (item[1], item[0]))
        rows.append({"topic": topic, "label": "·".join(terms["term"].head(n_label_terms)),
                     "theme": theme if share > 0 else None, "theme_share": round(share, 4)})
    return pd.DataFrame(rows)
