"""Policy vocabulary: quoted terms and named platforms, one row per mention.

Reports mark their policies and brands with quotation marks (“一网通办”, “最多跑一次”);
platforms such as 粤省事 or 浙里办 also appear unquoted and come from the lexicon
``data/policy_terms.txt``. ``term_norm`` removes quotes and a generic suffix (改革, 工作,
建设 …) the same way everywhere, so “最多跑一次”改革 and 最多跑一次 count together.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from .. import _patterns as P
from .._data import read_lines

TERM_COLUMNS = ["doc_id", "section_id", "paragraph_id", "role", "term", "term_norm", "quoted", "offset"]
COUNT_COLUMNS = ["doc_id", "term_norm", "n_mentions", "n_quoted"]


@lru_cache(maxsize=1)
def known_terms() -> tuple[str, ...]:
    """Lexicon terms, longest first."""
    return tuple(sorted(set(read_lines("policy_terms.txt")), key=len, reverse=True))


def normalize_term(term: str) -> str:
    """Strip quotes, punctuation and one generic suffix: “最多跑一次”改革 -> 最多跑一次."""
    term = P.TERM_STRIP.sub("", term)
    stripped = P.TERM_STRIP.sub("", P.TERM_SUFFIX.sub("", term))
    return stripped if len(stripped) >= 2 else term


# The longest span a mention covers: a quoted term of up to 24 characters and its quotes.
_QUOTED_SPAN = 26


def terms_in(text: str) -> list[dict]:
    """Policy-term mentions in one paragraph as ``term, term_norm, quoted, offset`` dicts.

    Quoted terms first, then a closing quote without an opening one, then lexicon terms
    (longest first) where no earlier mention already covers them. Linear in the text:
    each check looks only at mentions starting within the longest span before it.
    """
    found: list[dict] = []
    reach: dict[int, int] = {}  # start of a covered span -> the furthest end of one starting there
    span = max(_QUOTED_SPAN, max(map(len, known_terms()), default=0) + 1)

    def cover(start: int, end: int) -> None:
        if reach.get(start, -1) < end:
            reach[start] = end

    def furthest(start: int) -> int:
        """The furthest end of a covered span that starts at or before ``start``."""
        return max((reach.get(a, -1) for a in range(max(0, start - span), start + 1)), default=-1)

    for match in P.QUOTED_TERM.finditer(text):
        term = next(g for g in match.groups() if g is not None)
        if not term.strip():
            continue
        found.append({"term": term, "quoted": True, "offset": match.start()})
        cover(*match.span())
    for match in P.UNBALANCED_CLOSE.finditer(text):
        close = match.end() - 1
        if furthest(close) > close or "“" in text[max(0, close - 25):close]:
            continue
        run = match.group("term")
        # Keep the known term the run ends with (推行粤省事” -> 粤省事), else the run.
        term = next((t for t in known_terms() if run.endswith(t)), run)
        start = close - len(term)
        found.append({"term": term, "quoted": True, "offset": start})
        cover(start, close + 1)
    for term in known_terms():
        start = text.find(term)
        while start != -1:
            end = start + len(term)
            if furthest(start) < end:
                found.append({"term": term, "quoted": False, "offset": start})
                cover(start, end)
            start = text.find(term, end)
    for row in found:
        row["term_norm"] = normalize_term(row["term"])
    return sorted(found, key=lambda r: r["offset"])


def extract_policy_terms(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Policy-term mentions of every paragraph.

    Parameters
    ----------
    paragraphs
        The paragraphs table (``doc_id, section_id, paragraph_id, role, text``).

    Returns
    -------
    pandas.DataFrame
        One row per mention: ``doc_id, section_id, paragraph_id, role, term`` (as
        written), ``term_norm``, ``quoted`` (bool) and ``offset`` in the paragraph.
    """
    rows = []
    for paragraph in paragraphs.itertuples(index=False):
        for found in terms_in(paragraph.text):
            rows.append({"doc_id": paragraph.doc_id, "section_id": paragraph.section_id,
                         "paragraph_id": paragraph.paragraph_id, "role": paragraph.role} | found)
    return pd.DataFrame(rows, columns=TERM_COLUMNS).astype({"quoted": "bool", "offset": "int64"})


def count_policy_terms(terms: pd.DataFrame) -> pd.DataFrame:
    """Mentions per document and normalised term: ``doc_id, term_norm, n_mentions, n_quoted``."""
    counts = (
        terms.groupby(["doc_id", "term_norm"], sort=True)
        .agg(n_mentions=("term", "size"), n_quoted=("quoted", "sum"))
        .reset_index()
    )
    return counts.astype({"n_mentions": "int64", "n_quoted": "int64"})[COUNT_COLUMNS]
