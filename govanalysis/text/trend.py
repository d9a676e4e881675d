"""Trends: means (or shares) by year, province or level, with bootstrap intervals.

The estimate of a group is the mean of ``value`` over its rows, or the ``weight``-ed mean
(``sum(value * weight) / sum(weight)``: with ``value`` per 1,000 tokens and ``weight`` the
token count, the group's pooled rate). Its interval resamples *units* — documents by
default — with replacement within the group (a cluster bootstrap: every row of a drawn
unit comes with it), so paragraphs of one report never count as independent evidence.
Each group's resamples are seeded from ``random_state`` and the group's key, so a
group's interval does not change when other groups are added or removed.
"""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd

TREND_COLUMNS = ["low", "high", "n_units"]


def _named(frame: pd.DataFrame, mask: pd.Series, unit: str | None, limit: int = 8) -> str:
    where = frame.loc[mask, unit] if unit in frame.columns else pd.Series(frame.index[mask])
    names = [str(v) for v in where.drop_duplicates().tolist()]
    return ", ".join(names[:limit]) + (f" and {len(names) - limit} more" if len(names) > limit else "")


def trend(table: pd.DataFrame, *, by: str | list[str] = "year", value: str, unit: str = "doc_id",
          weight: str | None = None, n_boot: int = 1000, ci: float = 0.95, random_state: int = 0) -> pd.DataFrame:
    """Mean of ``value`` per group with a bootstrap interval over units.

    Parameters
    ----------
    table
        A long table with the ``by`` columns, ``value``, ``unit`` (and ``weight``): theme
        scores per document, ``doc_topics``, indicator values …
    by
        Grouping column or columns (``"year"``, ``["year", "theme"]``, ``"region"``).
    value
        Numeric column to average (a 0/1 column gives a share).
    unit
        Column whose values are resampled (``doc_id``; ``paragraph_id`` for intervals
        within a single report).
    weight
        Optional numeric column: the estimate is ``sum(value * weight) / sum(weight)``.
    n_boot, ci
        Bootstrap resamples and interval coverage (percentile interval).
    random_state
        Seed; with the group key it seeds each group's resamples.

    Returns
    -------
    pandas.DataFrame
        One row per group, sorted by ``by``: the ``by`` columns, ``value`` (the
        estimate, under the value's name), ``low``, ``high`` (the interval; equal to the
        estimate when the group has one unit) and ``n_units``.

    Raises
    ------
    ValueError
        A missing column, a group or unit that is missing, or a value or weight that is
        not a number; the message names the affected units.
    """
    by = [by] if isinstance(by, str) else list(by)
    if not by:
        raise ValueError("by is empty: give the column(s) to group by")
    needed = [*by, value, unit] + ([weight] if weight else [])
    missing = [c for c in dict.fromkeys(needed) if c not in table.columns]
    if missing:
        raise ValueError(f"table has no column {', '.join(repr(c) for c in missing)} "
                         f"(columns: {', '.join(map(str, table.columns))})")
    if not 0 < ci < 1:
        raise ValueError(f"ci must be between 0 and 1, not {ci!r}")
    if n_boot < 1:
        raise ValueError(f"n_boot must be at least 1, not {n_boot!r}")
    frame = table[list(dict.fromkeys(needed))].copy()
    for column in by + [unit]:
        absent = frame[column].isna()
        if absent.any():
            raise ValueError(f"{int(absent.sum())} rows have no {column!r}: units "
                             f"{_named(frame, absent, unit)}; set it or drop those rows")
    for column in [value] + ([weight] if weight else []):
        numbers = pd.to_numeric(frame[column], errors="coerce")
        bad = numbers.isna() | ~np.isfinite(numbers.fillna(0))
        if bad.any():
            raise ValueError(f"{int(bad.sum())} rows have a missing or non-numeric {column!r}: units "
                             f"{_named(frame, bad, unit)}")
        frame[column] = numbers.astype(float)
    if weight:
        negative = frame[weight] < 0
        if negative.any():
            raise ValueError(f"{int(negative.sum())} rows have a negative {weight!r}: units "
                             f"{_named(frame, negative, unit)}")
    w = frame[weight] if weight else pd.Series(1.0, index=frame.index)
    frame = frame.assign(_num=frame[value] * w, _den=w)
    per_unit = frame.groupby([*by, unit], sort=True, observed=True)[["_num", "_den"]].sum().reset_index()
    alpha = (1 - ci) / 2
    rows = []
    for key, group in per_unit.groupby(by, sort=True, observed=True):
        key = key if isinstance(key, tuple) else (key,)
        num, den = group["_num"].to_numpy(), group["_den"].to_numpy()
        estimate = num.sum() / den.sum() if den.sum() > 0 else np.nan
        if len(num) > 1:
            seed = zlib.crc32(repr(tuple(str(k) for k in key)).encode("utf-8"))
            rng = np.random.default_rng([int(random_state), seed])
            draws = rng.integers(0, len(num), size=(int(n_boot), len(num)))
            dens = den[draws].sum(axis=1)
            boots = np.divide(num[draws].sum(axis=1), dens, out=np.full(len(dens), np.nan), where=dens > 0)
            low, high = np.nanquantile(boots, [alpha, 1 - alpha]) if np.isfinite(boots).any() else (np.nan,) * 2
        else:
            low = high = estimate
        rows.append({**dict(zip(by, key)), value: round(float(estimate), 10), "low": round(float(low), 10),
                     "high": round(float(high), 10), "n_units": len(num)})
    return pd.DataFrame(rows, columns=[*by, value, *TREND_COLUMNS])


def term_shares(tokens: pd.DataFrame, terms, *, unit: str = "paragraph_id") -> pd.DataFrame:
    """How often each of ``terms`` occurs in each unit, and the unit's length.

    Parameters
    ----------
    tokens
        The tokens table (``doc_id``, the ``unit`` column, ``token``).
    terms
        The terms to count (tokens exactly as segmented).
    unit
        Unit column (``paragraph_id``, ``section_id``, ``doc_id``).

    Returns
    -------
    pandas.DataFrame
        One row per unit and term: ``doc_id`` (when ``unit`` is not doc_id), the unit
        column, ``term``, ``n`` (occurrences), ``n_tokens`` (tokens of the unit) and
        ``share`` (``n / n_tokens``). ``trend(..., value="share", weight="n_tokens")``
        gives each group's pooled share of tokens.
    """
    terms = list(dict.fromkeys(terms))
    if not terms:
        raise ValueError("terms is empty: give the terms to count")
    keys = list(dict.fromkeys(["doc_id", unit]))
    frame = tokens[[*keys, "token"]].astype({c: str for c in keys}).assign(token=lambda t: t["token"].astype(str))
    sizes = frame.groupby(keys, sort=True).size().rename("n_tokens").reset_index()
    hits = (frame[frame["token"].isin(terms)].groupby([*keys, "token"], sort=True).size().rename("n")
            .reset_index().rename(columns={"token": "term"}))
    grid = sizes.merge(pd.DataFrame({"term": terms}), how="cross").merge(hits, on=[*keys, "term"], how="left")
    grid["n"] = grid["n"].fillna(0).astype("int64")
    grid["share"] = (grid["n"] / grid["n_tokens"]).round(10)
    return grid[[*keys, "term", "n", "n_tokens", "share"]]
