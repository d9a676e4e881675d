"""Validation against human coding: coding sheets, scores with intervals, agreement, term
suggestions and topic intrusion tests (a Python counterpart of R's oolong).

The loop a researcher runs: draw a sample of passages (:func:`sample_for_coding`), code it
by the lexicon's definitions, score the package's theme detection against the coding
(:func:`score_coding`), compare two coders (:func:`coder_agreement`), and read which words
the lexicon misses or over-counts (:func:`suggest_terms`). For topics, word and topic
intrusion sheets (:func:`word_intrusion`, :func:`topic_intrusion`) carry a seeded answer key.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

SCORE_COLUMNS = ["theme", "n_units", "n_positive", "tp", "fp", "fn", "precision", "recall", "f1", "f1_low",
                 "f1_high"]
ERROR_COLUMNS = ["unit_id", "theme", "error", "terms", "text"]


class CodingError(ValueError):
    """A coding sheet that cannot be scored; the message names the column or row."""


def _themes(lexicon) -> list[str]:
    from .text.themes import load_lexicon

    return list(load_lexicon(lexicon))


def sample_for_coding(units: pd.DataFrame, n: int, *, stratify: tuple[str, ...] = ("role", "lexicon_hit"),
                      lexicon=None, min_chars: int = 15, max_chars: int = 600,
                      random_state: int = 0) -> pd.DataFrame:
    """A coding sheet of ``n`` passages drawn at random within strata.

    Parameters
    ----------
    units
        Passages: the paragraphs table (``paragraph_id, text`` and the stratify columns),
        or any table with ``unit_id`` and ``text``.
    n
        Passages to draw.
    stratify
        Columns to stratify by; ``lexicon_hit`` (whether the lexicon finds any theme in the
        passage) is computed. Each stratum gets a share of ``n`` proportional to the square
        root of its size, so rare strata (problems sections, passages the lexicon misses)
        are coded too, and no stratum gets more than it has.
    lexicon
        Theme lexicon (see :func:`govanalysis.load_lexicon`): its themes are the columns.
    min_chars, max_chars
        Passages outside this length are not drawn (a heading fragment, a whole report
        pasted as one paragraph).
    random_state
        Seed of the draw and of the order.

    Returns
    -------
    pandas.DataFrame
        One row per passage in random order: ``unit_id, text`` and one empty column per
        theme (to fill with 1 or 0; blank = not coded).
    """
    from .text.themes import theme_matches

    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"n: must be a positive whole number, not {n!r}")
    table = units.copy()
    if "unit_id" not in table:
        if "paragraph_id" not in table:
            raise ValueError("units: needs a unit_id or paragraph_id column")
        table["unit_id"] = table["paragraph_id"]
    if "text" not in table:
        raise ValueError("units: needs a text column")
    themes = _themes(lexicon)
    length = table["text"].str.len()
    table = table[(length >= min_chars) & (length <= max_chars)].drop_duplicates("text")
    if "lexicon_hit" in stratify:
        ids = table.assign(doc_id="", section_id="", paragraph_id=table["unit_id"], role="")
        hit = set(theme_matches(ids, lexicon)["paragraph_id"])
        table["lexicon_hit"] = table["unit_id"].isin(hit)
    missing = [c for c in stratify if c not in table]
    if missing:
        raise ValueError(f"stratify: no column {', '.join(missing)} in units")
    table = table.sort_values("unit_id", kind="stable")
    groups = {key: group for key, group in table.groupby(list(stratify), sort=True, dropna=False)} if stratify \
        else {(): table}
    quota = _allocate({key: len(group) for key, group in groups.items()}, n)
    rng = np.random.default_rng(random_state)
    picks = [group.iloc[np.sort(rng.choice(len(group), size=quota[key], replace=False))]
             for key, group in groups.items() if quota[key]]
    drawn = pd.concat(picks) if picks else table.iloc[:0]
    drawn = drawn.iloc[rng.permutation(len(drawn))]
    sheet = drawn[["unit_id", "text"]].reset_index(drop=True)
    for theme in themes:
        sheet[theme] = pd.array([pd.NA] * len(sheet), dtype="Int64")
    return sheet


def _allocate(sizes: dict, n: int) -> dict:
    """Shares of ``n`` proportional to the square root of each stratum's size, capped at
    its size, summing to ``min(n, total)`` (largest remainders first, ties by key order)."""
    left = dict.fromkeys(sizes, 0)
    remaining = min(n, sum(sizes.values()))
    while remaining:
        open_keys = [k for k in sizes if left[k] < sizes[k]]
        weights = {k: math.sqrt(sizes[k]) for k in open_keys}
        total = sum(weights.values())
        shares = {k: remaining * w / total for k, w in weights.items()}
        given = 0
        for k in open_keys:
            take = min(int(shares[k]), sizes[k] - left[k])
            left[k] += take
            given += take
        if not given:  # hand out the last few by largest remainder
            for k in sorted(open_keys, key=lambda k: -(shares[k] - int(shares[k])))[:remaining]:
                left[k] += 1
                given += 1
        remaining -= given
    return left
