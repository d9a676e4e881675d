"""Themes: lexicon-based scores per unit and per document × section role.

A theme (data sharing, one-window service, evaluation …) is a list of terms in
``data/themes.toml``; users pass their own mapping or TOML file. Terms are matched in the
paragraph text, longest first and without overlap, so scores do not depend on how a
segmenter happened to cut the words; token counts (for rates per 1,000 tokens) come from
the tokens table.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from pathlib import Path

import pandas as pd

from .. import _patterns as P
from .._data import data_path

THEME_SCORE_COLUMNS = ["doc_id", "role", "theme", "hits", "per_1k_tokens", "share_paragraphs", "terms"]
UNIT_HIT_COLUMNS = ["doc_id", "section_id", "paragraph_id", "role", "theme", "hits", "terms"]
MATCH_COLUMNS = ["doc_id", "section_id", "paragraph_id", "role", "theme", "term", "n"]


class LexiconError(ValueError):
    """A lexicon that does not follow the schema; the message names the file, theme and key."""


def load_lexicon(source: str | Path | dict | None = None) -> dict[str, list[str]]:
    """Theme → terms, from a mapping, a TOML file, or the package's ``themes.toml``.

    The schema: a UTF-8 TOML file (or a mapping) whose every key is a theme and whose
    value is either a non-empty list of non-empty strings, ``data_sharing = ["数据共享",
    "信息孤岛"]``, or a table with ``terms`` (that list) and optionally ``definition`` (a
    string), ``exclude`` (a list of regular expressions: a term inside one of their
    matches does not count) and ``requires`` (a table term → list of words, one of which
    must be in the same sentence for the term to count). Anything else (a string instead
    of a list, numbers or booleans as terms, unknown keys, a bad regular expression, a file
    that is missing, empty, not UTF-8 or not TOML) raises :class:`LexiconError` naming the
    file, the theme and the key or item.

    Returns
    -------
    dict
        Theme → its distinct terms, longest first (:func:`load_theme_rules` has the rest).
    """
    return {theme: rules["terms"] for theme, rules in load_theme_rules(source).items()}


_RULE_KEYS = ("definition", "terms", "exclude", "requires")


def load_theme_rules(source: str | Path | dict | None = None) -> dict[str, dict]:
    """Theme → ``{"definition", "terms", "exclude", "requires"}`` (see :func:`load_lexicon`)."""
    if isinstance(source, dict):
        lexicon, where = source, "lexicon"
    elif source is None or isinstance(source, (str, Path)):
        path = Path(source) if source else data_path("themes.toml")
        where = f"lexicon file '{path}'"
        lexicon = _read_toml(path, where)
    else:
        raise LexiconError(f"lexicon must be a TOML file path or a mapping, not {type(source).__name__}")
    if not lexicon:
        raise LexiconError(f"{where}: no themes (write one per line: theme = [\"term\", …])")
    rules = {}
    for theme, value in lexicon.items():
        theme = str(theme)
        table = value if isinstance(value, dict) else {"terms": value}
        unknown = [k for k in table if k not in _RULE_KEYS]
        if unknown or "terms" not in table:
            keys = ", ".join(f"'{k}'" for k in table) or "none"
            raise LexiconError(f"{where}: theme '{theme}' is a table with keys {keys}; "
                               f"it needs 'terms' and may have {', '.join(_RULE_KEYS)}")
        terms = sorted(set(_terms(where, theme, table["terms"])), key=lambda t: (-len(t), t))
        if not terms:
            raise LexiconError(f"{where}: themes without terms: {theme}")
        definition = table.get("definition", "")
        if not isinstance(definition, str):
            raise LexiconError(f"{where}: theme '{theme}', definition: {_kind(definition)}, not a string")
        exclude = _terms(where, f"{theme}.exclude", table.get("exclude", []))
        for pattern in exclude:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise LexiconError(f"{where}: theme '{theme}', exclude {pattern!r}: not a regular expression "
                                   f"({exc})") from None
        requires = table.get("requires", {})
        if not isinstance(requires, dict):
            raise LexiconError(f"{where}: theme '{theme}', requires: {_kind(requires)}, not a table term = [words]")
        requires = {str(term): _terms(where, f"{theme}.requires.{term}", words) for term, words in requires.items()}
        missing = [term for term in requires if term not in terms]
        if missing:
            raise LexiconError(f"{where}: theme '{theme}', requires names terms not in its terms: {', '.join(missing)}")
        rules[theme] = {"definition": definition, "terms": terms, "exclude": exclude, "requires": requires}
    return rules


def _read_toml(path: Path, where: str) -> dict:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise LexiconError(f"{where}: no such file") from None
    except IsADirectoryError:
        raise LexiconError(f"{where}: is a folder, not a TOML file") from None
    except OSError as exc:
        raise LexiconError(f"{where}: cannot read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LexiconError(f"{where}: not UTF-8 (byte {data[exc.start]:#04x} at offset {exc.start}); "
                           "TOML files must be saved as UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"{where}: not valid TOML: {exc}") from None


def _kind(value) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, str):
        return "a string"
    return f"a {type(value).__name__}"


def _terms(where: str, theme: str, terms) -> list[str]:
    if isinstance(terms, dict):
        keys = ", ".join(f"'{k}'" for k in terms) or "none"
        raise LexiconError(f"{where}: theme '{theme}' is a table (keys {keys}), not a list of terms")
    if not isinstance(terms, (list, tuple, set, frozenset)):
        hint = f' (write {theme} = ["{terms}"])' if isinstance(terms, str) else ""
        raise LexiconError(f"{where}: theme '{theme}' must be a list of terms, not {_kind(terms)}{hint}")
    out = []
    for number, term in enumerate(terms, start=1):
        if not isinstance(term, str):
            hint = f' (quote it: "{term}")' if isinstance(term, (int, float)) and not isinstance(term, bool) else ""
            raise LexiconError(f"{where}: theme '{theme}', term {number}: {_kind(term)}, not a string{hint}")
        if not term.strip():
            raise LexiconError(f"{where}: theme '{theme}', term {number}: an empty term")
        out.append(term)
    return out


class _Matcher:
    """Every term of every theme in one Aho-Corasick automaton (ahocorasick-rs): one scan
    per paragraph finds all occurrences, and each theme keeps its own leftmost-longest
    ones, as the alternation of its terms sorted longest first would match them."""

    def __init__(self, rules: dict[str, dict]):
        import ahocorasick_rs

        self.themes = list(rules)
        self.terms = sorted({term for rule in rules.values() for term in rule["terms"]})
        self.themes_of = [[i for i, theme in enumerate(self.themes) if term in rules[theme]["terms"]]
                          for term in self.terms]
        self.automaton = ahocorasick_rs.AhoCorasick(self.terms)
        self.exclude = [[re.compile(p) for p in rules[theme]["exclude"]] for theme in self.themes]
        self.requires = [{t: re.compile("|".join(re.escape(w) for w in words))
                          for t, words in rules[theme]["requires"].items()} for theme in self.themes]

    def spans(self, text: str) -> dict[int, list[tuple[int, int]]]:
        """Theme index → the spans of its terms, leftmost-longest, without overlap."""
        found: dict[int, list[tuple[int, int]]] = {}
        try:
            occurrences = self.automaton.find_matches_as_indexes(text, overlapping=True)
        except UnicodeEncodeError:  # a lone surrogate (no text) as U+FFFD: offsets unchanged
            occurrences = self.automaton.find_matches_as_indexes(P.LONE_SURROGATE.sub("\ufffd", text),
                                                                 overlapping=True)
        for index, start, end in occurrences:
            for theme in self.themes_of[index]:
                found.setdefault(theme, []).append((start, end))
        for theme, spans in found.items():
            spans.sort(key=lambda span: (span[0], -span[1]))
            kept, position = [], 0
            for start, end in spans:
                if start >= position:
                    kept.append((start, end))
                    position = end
            found[theme] = kept
        return found


def _count_terms(text: str, spans: list[tuple[int, int]], exclude: list[re.Pattern], requires: dict) -> Counter:
    """Terms of one theme at ``spans`` of a text that pass its exclude and requires rules."""
    found = Counter()
    excluded = [m.span() for pattern in exclude for m in pattern.finditer(text)]
    for start, end in spans:
        term = text[start:end]
        if any(a <= start and end <= b for a, b in excluded):
            continue
        if term in requires:
            left = max((m.end() for m in P.SENTENCE_BOUNDS.finditer(text, 0, start)), default=0)
            right = P.SENTENCE_BOUNDS.search(text, end)
            if not requires[term].search(text, left, right.start() if right else len(text)):
                continue
        found[term] += 1
    return found


def theme_matches(paragraphs: pd.DataFrame, lexicon: str | Path | dict | None = None, *,
                  n_jobs: int | None = 1, client=None, chunk_size: int = 2000) -> pd.DataFrame:
    """Every lexicon term found in every paragraph, as a long table.

    Parameters
    ----------
    paragraphs
        The paragraphs table (``doc_id, section_id, paragraph_id, role, text``).
    lexicon
        Theme lexicon (see :func:`load_lexicon`); a theme's longest term matches first, and
        its ``exclude`` and ``requires`` rules decide which matches count.
    n_jobs, client
        Match on local worker processes or a Dask cluster (same result as serial).

    Returns
    -------
    pandas.DataFrame
        One row per paragraph, theme and term found: ``doc_id, section_id, paragraph_id,
        role, theme, term, n`` (times found), in paragraph order, themes in lexicon
        order, terms most frequent first.
    """
    from functools import partial

    from .._parallel import chunked, map_chunks

    records = _records(paragraphs, ["doc_id", "section_id", "paragraph_id", "role", "text"])
    rows = map_chunks(partial(_matches, load_theme_rules(lexicon)), chunked(records, chunk_size), n_jobs=n_jobs,
                      client=client)
    return pd.DataFrame(rows, columns=MATCH_COLUMNS).astype({"n": "int64"})


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    """``frame[columns].to_dict("records")``; for string and categorical columns (the
    package's tables) read as zipped lists, since to_dict boxes each Arrow value in its own
    call (0.2 s on 10 MB). Other dtypes take to_dict itself."""
    if not all(isinstance(frame[c].dtype, (pd.StringDtype, pd.CategoricalDtype)) for c in columns):
        return frame[columns].to_dict("records")
    lists = [[None if value is pd.NA else value for value in frame[c].tolist()] for c in columns]
    return [dict(zip(columns, row)) for row in zip(*lists)]


def _matches(rules: dict[str, dict], records: list[dict]) -> list[dict]:
    matcher = _Matcher(rules)
    rows = []
    for paragraph in records:
        ids = {c: paragraph[c] for c in ("doc_id", "section_id", "paragraph_id", "role")}
        text = P.THEME_QUOTES.sub("", paragraph["text"])
        for theme, spans in sorted(matcher.spans(text).items()):  # themes in lexicon order
            found = _count_terms(text, spans, matcher.exclude[theme], matcher.requires[theme])
            for term, n in sorted(found.items(), key=lambda kv: (-kv[1], kv[0])):
                rows.append(ids | {"theme": matcher.themes[theme], "term": term, "n": n})
    return rows


def theme_hits(paragraphs: pd.DataFrame, lexicon: str | Path | dict | None = None, *, n_jobs: int | None = 1,
               client=None, chunk_size: int = 2000) -> pd.DataFrame:
    """Theme mentions per paragraph (:func:`theme_matches` has the terms one per row).

    Returns
    -------
    pandas.DataFrame
        One row per paragraph and theme it mentions: ``doc_id, section_id,
        paragraph_id, role, theme, hits, terms`` (``terms``, for reading: matched terms
        with counts, ``term×n`` joined by ``;``, most frequent first).
    """
    matches = theme_matches(paragraphs, lexicon, n_jobs=n_jobs, client=client, chunk_size=chunk_size)
    return _summarise(matches, ["doc_id", "section_id", "paragraph_id", "role", "theme"])[UNIT_HIT_COLUMNS]


def _summarise(matches: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Hits, distinct paragraphs and the readable ``terms`` of matches grouped by ``by``
    (groups in order of first appearance)."""
    per_term = matches.groupby([*by, "term"], sort=False)["n"].sum().reset_index()
    per_term = per_term.sort_values(["n", "term"], ascending=[False, True], kind="stable")
    terms = _joined_terms(per_term, by)
    summary = matches.groupby(by, sort=False).agg(hits=("n", "sum"), paragraphs=("paragraph_id", "nunique"))
    return summary.join(terms).reset_index()


def _joined_terms(per_term: pd.DataFrame, by: list[str]) -> pd.Series:
    """``term×n`` items joined by ``;`` per group of ``by`` (two or more columns), in row
    order: ``groupby(by).agg(";".join)`` in one pass (that builds a Series per group, 0.3 s
    on 10 MB)."""
    items = per_term["term"] + "×" + per_term["n"].astype(str)
    joined: dict = {}
    for key, item in zip(zip(*(per_term[c].tolist() for c in by)), items.tolist()):
        joined.setdefault(key, []).append(item)
    index = (pd.MultiIndex.from_tuples(list(joined), names=by) if joined
             else pd.MultiIndex.from_arrays([[]] * len(by), names=by))
    return pd.Series([";".join(v) for v in joined.values()], index=index, name="terms", dtype=items.dtype)


def score_themes(paragraphs: pd.DataFrame, tokens: pd.DataFrame | None = None,
                 lexicon: str | Path | dict | None = None, *, by: tuple[str, ...] = ("doc_id", "role"),
                 n_jobs: int | None = 1, client=None) -> pd.DataFrame:
    """Theme scores per group of paragraphs (by default per document × section role).

    Parameters
    ----------
    paragraphs
        The paragraphs table.
    tokens
        The tokens of those paragraphs (for rates); tokenized with the default
        :class:`~govanalysis.tokens.Tokenizer` when not given.
    lexicon
        Theme lexicon (see :func:`load_lexicon`).
    by
        Grouping columns of the paragraphs table: ``("doc_id", "role")``, ``("doc_id",)``…
    n_jobs, client
        Parallel workers or a Dask cluster for matching and tokenizing.

    Returns
    -------
    pandas.DataFrame
        One row per group and theme (every theme, zeros included): the ``by`` columns,
        ``theme, hits, per_1k_tokens`` (hits per 1,000 tokens of the group),
        ``share_paragraphs`` (share of the group's paragraphs that mention the theme) and
        ``terms`` (matched terms with counts).
    """
    from .tokens import tokenize

    by = list(by)
    lexicon = load_lexicon(lexicon)
    if tokens is None:
        tokens = tokenize(paragraphs, n_jobs=n_jobs, client=client)
    matches = theme_matches(paragraphs, lexicon, n_jobs=n_jobs, client=client)
    groups = paragraphs.groupby(by, sort=True).size().rename("n_paragraphs").reset_index()
    per_paragraph = tokens.groupby("paragraph_id", observed=True).size().rename("n_tokens").reset_index()
    per_paragraph["paragraph_id"] = per_paragraph["paragraph_id"].astype(str)
    n_tokens = (paragraphs[["paragraph_id", *by]].merge(per_paragraph, on="paragraph_id", how="left")
                .groupby(by, sort=True)["n_tokens"].sum().reset_index())
    grid = groups.merge(pd.DataFrame({"theme": list(lexicon)}), how="cross")
    summary = _summarise(matches, [*by, "theme"])
    table = grid.merge(summary, on=[*by, "theme"], how="left").merge(n_tokens, on=by, how="left")
    table[["hits", "paragraphs", "n_tokens"]] = table[["hits", "paragraphs", "n_tokens"]].fillna(0).astype("int64")
    table["terms"] = table["terms"].fillna("")
    rate = 1000 * table["hits"] / table["n_tokens"].where(table["n_tokens"] > 0)
    table["per_1k_tokens"] = rate.round(4).fillna(0.0)
    table["share_paragraphs"] = (table["paragraphs"] / table["n_paragraphs"]).round(4)
    columns = [*by, "theme", "hits", "per_1k_tokens", "share_paragraphs", "terms"]
    return table[columns].sort_values([*by, "theme"], kind="stable").reset_index(drop=True)
