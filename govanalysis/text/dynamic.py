"""Dynamic topics: NMF per time window, then NMF over the window topics (Greene & Cross 2017).

Greene & Cross (2017, *Political Analysis* 25(1), "Exploring the Political Agenda of the
European Parliament Using a Dynamic Topic Modeling Approach") model a corpus over time
in two layers:

1. *window topics*: documents are split into time windows and an NMF topic model is
   fitted in each window on its own (TF-IDF of the window's units, k per window chosen
   by stability or given);
2. *dynamic topics*: each window topic is a vector of weights over its top terms; the
   vectors of all windows are stacked (rows: window topics, columns: the union of their
   top terms), normalised to unit length, and factorised again by NMF. A dynamic topic
   is a group of window topics that use the same words in different windows; the
   second-layer factor says how much each window topic belongs to each dynamic topic.

Their code is Python 2-era and breaks on current scikit-learn; this module re-implements
the method on :mod:`govanalysis.text.topics` (the same TF-IDF, NMF under one BLAS thread
and stability choice of k), so the result is identical whatever the thread count and
``n_jobs``.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd

from .topics import TopicsError, TopicsWarning, _nmf, _select_k, _top_terms, choose_k, fit_topics


@dataclass
class DynamicTopics:
    """A fitted dynamic topic model as tidy tables.

    Attributes
    ----------
    windows
        One row per time window: ``window`` (label ``"1954-1958"``), ``start``, ``end``
        (inclusive), ``n_docs``, ``k`` (window topics fitted) and ``k_chosen_by``
        (``"stability"`` or ``"given"``).
    window_topics
        One row per window topic and top term: ``window, window_topic, term, weight, rank``.
    topic_terms
        One row per dynamic topic and top term: ``topic, term, weight, rank``.
    links
        One row per window topic and dynamic topic: ``window, window_topic, topic,
        weight`` (the window topic's loading on the dynamic topic, normalised to sum 1
        over topics; 0 everywhere for a window topic with no loading).
    doc_topics
        One row per document and dynamic topic: ``doc_id, window, topic, weight`` (the
        document's window-topic shares carried through ``links``; sums to 1 per document).
    prevalence
        One row per window and dynamic topic: ``window, topic, weight`` (mean of
        ``doc_topics`` over the window's documents).
    window_selection
        The ``choose_k`` table of every window whose k was chosen, with a ``window`` column.
    selection
        The ``choose_k`` table over the stacked window topics when ``k`` was chosen, else None.
    k
        Number of dynamic topics.
    """

    windows: pd.DataFrame
    window_topics: pd.DataFrame
    topic_terms: pd.DataFrame
    links: pd.DataFrame
    doc_topics: pd.DataFrame
    prevalence: pd.DataFrame
    window_selection: pd.DataFrame
    selection: pd.DataFrame | None
    k: int


def _rows(frame: pd.DataFrame, column: str, limit: int = 8) -> str:
    names = [str(v) for v in frame[column].tolist()]
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def document_times(docs: pd.DataFrame, doc_ids, time: str = "year") -> pd.Series:
    """The ``time`` of each document in ``doc_ids``, as integers indexed by doc_id.

    Raises ``ValueError`` naming the documents when the column is missing, a document is
    not in ``docs``, or its time is missing or not a whole number.
    """
    if "doc_id" not in docs.columns or time not in docs.columns:
        missing = [c for c in ("doc_id", time) if c not in docs.columns]
        raise ValueError(f"docs has no column {', '.join(repr(c) for c in missing)}: "
                         f"give the docs table with doc_id and the time column {time!r}")
    wanted = pd.Index(pd.unique(pd.Series(list(doc_ids), dtype=object).astype(str)))
    table = docs.assign(doc_id=docs["doc_id"].astype(str)).drop_duplicates("doc_id").set_index("doc_id")
    absent = wanted.difference(table.index)
    if len(absent):
        raise ValueError(f"{len(absent)} documents with tokens are not in docs: "
                         f"{_rows(pd.DataFrame({'doc_id': sorted(absent)}), 'doc_id')}")
    raw = table.loc[wanted, time]
    numbers = pd.to_numeric(raw, errors="coerce")
    bad = numbers.isna() | (numbers.notna() & (numbers.fillna(0) % 1 != 0))
    if bad.any():
        shown = pd.DataFrame({"doc_id": [f"{d} ({raw[d]!r})" if pd.notna(raw[d]) else f"{d} (missing)"
                                         for d in raw.index[bad]]})
        raise ValueError(f"{int(bad.sum())} documents have a missing or non-numeric {time!r}: "
                         f"{_rows(shown, 'doc_id')}; set it or leave those documents out")
    return numbers.astype("int64").rename(time)


def _windows(times: pd.Series, window) -> pd.DataFrame:
    """Window table (window, start, end, n_docs) and each document's window."""
    if isinstance(window, (int, np.integer)) and not isinstance(window, bool):
        if window < 1:
            raise ValueError(f"window must be a width of at least 1 year or a list of (start, end), not {window!r}")
        first, last = int(times.min()), int(times.max())
        bounds = [(s, min(s + int(window) - 1, last)) for s in range(first, last + 1, int(window))]
        skip_empty = True
    elif isinstance(window, Sequence) and not isinstance(window, str) and len(window) > 0:
        try:
            bounds = [(int(a), int(b)) for a, b in window]
        except (TypeError, ValueError):
            raise ValueError(f"window must be a width in years or a list of (start, end) pairs, not {window!r}") \
                from None
        wrong = [f"{a}-{b}" for a, b in bounds if b < a]
        if wrong:
            raise ValueError(f"windows end before they start: {', '.join(wrong)}")
        ordered = sorted(bounds)
        overlap = [f"{a[0]}-{a[1]} and {b[0]}-{b[1]}" for a, b in zip(ordered, ordered[1:]) if b[0] <= a[1]]
        if overlap:
            raise ValueError(f"windows overlap: {'; '.join(overlap)}")
        bounds, skip_empty = ordered, False
    else:
        raise ValueError(f"window must be a width in years or a list of (start, end) pairs, not {window!r}")
    rows, assigned = [], pd.Series(pd.NA, index=times.index, dtype=object)
    for start, end in bounds:
        label = f"{start}" if start == end else f"{start}-{end}"
        inside = times.between(start, end)
        if not inside.any():
            if skip_empty:
                continue
            raise ValueError(f"window {label} has no documents: the documents' years run "
                             f"{int(times.min())}-{int(times.max())}; drop or widen that window")
        assigned[inside] = label
        rows.append({"window": label, "start": start, "end": end, "n_docs": int(inside.sum())})
    outside = assigned.isna()
    if outside.any():
        warnings.warn(f"{int(outside.sum())} documents fall in no window and are left out: "
                      f"{_rows(pd.DataFrame({'doc_id': list(times.index[outside])}), 'doc_id')}",
                      TopicsWarning, stacklevel=3)
    return pd.DataFrame(rows), assigned.dropna()


def _fit_window(settings: dict, items: list) -> list:
    """Fit one window's topics (chosen k or given); run in a worker by map_chunks."""
    (label, tokens, k), = items
    selection = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TopicsWarning)  # a capped range is reported in the windows table
        if k is None:
            try:
                selection = choose_k(tokens, settings["window_ks"], unit=settings["unit"], n_runs=settings["n_runs"],
                                     random_state=settings["random_state"])
            except TopicsError as exc:
                raise TopicsError(f"window {label}: {exc}") from None
            k = selection.k
        model = fit_topics(tokens, int(k), unit=settings["unit"], random_state=settings["random_state"],
                           n_terms=settings["n_window_terms"])
    return [(label, model, selection)]


def dynamic_topics(tokens: pd.DataFrame, *, docs: pd.DataFrame, time: str = "year", window=5,
                   k: int | None = None, window_k: int | Mapping[str, int] | None = None,
                   window_ks=range(3, 9), ks=range(4, 13), unit: str = "paragraph", n_runs: int = 5,
                   n_window_terms: int = 20, n_terms: int = 15, random_state: int = 0,
                   n_jobs: int | None = 1) -> DynamicTopics:
    """Dynamic NMF topics over time windows (Greene & Cross 2017).

    Parameters
    ----------
    tokens
        The tokens table (one row per token, with ``doc_id`` and the unit's id column).
    docs
        The docs table: ``doc_id`` and the ``time`` column (whole years).
    time
        Column of ``docs`` giving each document's year.
    window
        Width of a window in years (windows start at the first year; a window with no
        document is not formed), or a list of ``(start, end)`` years, inclusive (each
        must hold documents).
    k
        Number of dynamic topics; ``None`` chooses it from ``ks`` by stability of the
        second-layer NMF over the stacked window topics.
    window_k
        Window topics per window: one number for all, a mapping ``window label -> k``
        (windows not named are chosen), or ``None`` to choose each from ``window_ks``
        by :func:`~govanalysis.choose_k` (``n_runs`` resamples).
    unit
        Unit of the window models (``paragraph``, ``section``, ``sentence``, ``document``).
    n_window_terms
        Top terms of each window topic that enter the stacked matrix.
    n_terms
        Top terms reported per dynamic topic.
    random_state
        Seed of every NMF fit and resample.
    n_jobs
        Windows fitted on this many local processes (the result does not depend on it).

    Returns
    -------
    DynamicTopics
        Tables ``windows``, ``window_topics``, ``topic_terms``, ``links``, ``doc_topics``
        and ``prevalence`` (see :class:`DynamicTopics`).
    """
    from .._parallel import map_chunks

    if k is not None and (isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1):
        raise ValueError(f"k must be a whole number of at least 1 or None, not {k!r}")
    if len(tokens) == 0:
        raise TopicsError("no tokens to model")
    times = document_times(docs, tokens["doc_id"].astype(str).unique(), time)
    windows, assigned = _windows(times, window)
    given = window_k if isinstance(window_k, Mapping) else {w: window_k for w in windows["window"]}
    unknown = sorted(set(given) - set(windows["window"]))
    if unknown:
        raise ValueError(f"window_k names windows that do not exist: {', '.join(map(str, unknown))} "
                         f"(windows: {', '.join(windows['window'])})")
    doc_window = tokens["doc_id"].astype(str).map(assigned)
    jobs = [[(label, tokens[(doc_window == label).to_numpy()], given.get(label))] for label in windows["window"]]
    settings = {"window_ks": list(window_ks), "unit": unit, "n_runs": n_runs, "random_state": random_state,
                "n_window_terms": n_window_terms}
    fitted = map_chunks(partial(_fit_window, settings), jobs, n_jobs=n_jobs)

    window_topics, shares, selections, fitted_k = [], [], [], []
    for label, model, selection in fitted:
        window_topics.append(model.topic_terms.assign(window=label).rename(columns={"topic": "window_topic"}))
        per_doc = model.unit_topics.groupby(["doc_id", "topic"], sort=True)["weight"].mean().reset_index()
        shares.append(per_doc.assign(window=label).rename(columns={"topic": "window_topic"}))
        if selection is not None:
            selections.append(selection.table.assign(window=label))
        fitted_k.append({"window": label, "k": model.k,
                         "k_chosen_by": "stability" if selection is not None else "given"})
    windows = windows.merge(pd.DataFrame(fitted_k), on="window")
    window_topics = pd.concat(window_topics, ignore_index=True)[["window", "window_topic", "term", "weight", "rank"]]

    # Second layer: window topics x union of their top terms, rows at unit length.
    from scipy import sparse

    keys = window_topics[["window", "window_topic"]].drop_duplicates().reset_index(drop=True)
    row_of = {(w, t): i for i, (w, t) in enumerate(keys.itertuples(index=False))}
    vocabulary = np.array(sorted(window_topics["term"].unique()))
    column_of = {term: j for j, term in enumerate(vocabulary)}
    rows = [row_of[(w, t)] for w, t in zip(window_topics["window"], window_topics["window_topic"])]
    columns = window_topics["term"].map(column_of).to_numpy()
    B = sparse.csr_matrix((window_topics["weight"].to_numpy(dtype=float), (rows, columns)),
                          shape=(len(keys), len(vocabulary)))
    norms = np.sqrt(np.asarray(B.multiply(B).sum(axis=1)).ravel())
    B = sparse.diags(np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)) @ B
    selection_table = None
    if k is None:
        candidates = [int(x) for x in ks]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", TopicsWarning)
            chosen = _select_k(B.tocsr(), (B > 0).astype(np.float64).tocsr(), sorted(set(candidates)),
                               unit="window topic", n_runs=max(n_runs, 10), sample_frac=0.8, top_n=10,
                               random_state=random_state, tolerance=0.01)
        k, selection_table = chosen.k, chosen.table
    if k > min(B.shape):
        warnings.warn(f"k={k} capped at {min(B.shape)}: only {B.shape[0]} window topics", TopicsWarning,
                      stacklevel=2)
        k = min(B.shape)
    k = int(k)
    W, H, _ = _nmf(B.tocsr(), k, random_state)

    topic_rows = [{"topic": topic, "term": vocabulary[index], "weight": round(float(H[topic - 1, index]), 10),
                   "rank": rank}
                  for topic, order in enumerate(_top_terms(H, n_terms), start=1)
                  for rank, index in enumerate(order, start=1)]
    sums = W.sum(axis=1, keepdims=True)
    L = np.divide(W, sums, out=np.zeros_like(W), where=sums > 0)
    links = keys.loc[np.repeat(np.arange(len(keys)), k)].reset_index(drop=True)
    links["topic"] = np.tile(np.arange(1, k + 1), len(keys))
    links["weight"] = np.round(L.ravel(), 10)

    # Documents: window-topic shares carried through the links, renormalised.
    shares = pd.concat(shares, ignore_index=True)
    carried = shares.merge(links.rename(columns={"weight": "link"}), on=["window", "window_topic"])
    carried["weight"] = carried["weight"] * carried["link"]
    doc_topics = carried.groupby(["doc_id", "window", "topic"], sort=True)["weight"].sum().reset_index()
    total = doc_topics.groupby("doc_id")["weight"].transform("sum")
    doc_topics["weight"] = np.round(np.divide(doc_topics["weight"], total, out=np.zeros(len(total)),
                                              where=total.to_numpy() > 0), 10)
    prevalence = (doc_topics.groupby(["window", "topic"], sort=True)["weight"].mean().round(10).reset_index())
    window_selection = (pd.concat(selections, ignore_index=True) if selections else
                        pd.DataFrame(columns=["window", "k", "stability", "stability_sd", "coherence",
                                              "reconstruction_error", "recommended"]))
    window_selection = window_selection[["window", *[c for c in window_selection.columns if c != "window"]]]
    return DynamicTopics(windows, window_topics, pd.DataFrame(topic_rows), links,
                         doc_topics[["doc_id", "window", "topic", "weight"]], prevalence, window_selection,
                         selection_table, k)
