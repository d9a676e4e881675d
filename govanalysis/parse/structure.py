"""Structure: the heading hierarchy of a report as a section tree, with section roles.

Chinese official documents number their headings 一、 / （一） / 1. / （1） / ① and
enumerate points as 一是…二是…; 第X部分 / 第X章 mark parts. Which style sits at which
depth varies between documents, so depth is learned per document with a stack: a style
seen before closes everything below it, a new style opens a level under the current one.
Skipped numbers, run-in headings (（一）标题。正文…) and half/full-width brackets are fine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from .. import _patterns as P
from .cleaning import filled_lines

SECTION_COLUMNS = ["doc_id", "section_id", "parent_id", "level", "number", "heading", "role", "text"]
PARAGRAPH_COLUMNS = ["doc_id", "section_id", "paragraph_id", "kind", "role", "text"]
SENTENCE_COLUMNS = ["doc_id", "section_id", "paragraph_id", "sentence_id", "kind", "role", "text"]
# A paragraph row is a section heading as written (一、总体情况), an item of an
# enumeration (一是…) or body text.
KINDS = ("heading", "item", "body")
ROLES = ("preamble", "achievements", "problems", "plans", "safeguards", "other")
PLAN_GENRES = ("plan", "key_points")
SUMMARY_GENRES = ("summary", "summary_and_plan", "rule_of_law_report", "government_work_report")
_MAX_HEADING = 60  # a run-in heading longer than this is a paragraph that starts with a number
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@lru_cache(maxsize=4096)  # headings repeat a few dozen numerals; cn2an is slow
def numeral_value(token: str) -> int | None:
    """Value of a heading number: 3, 十一, 廿, ④ (None when it is not a number)."""
    if token in _CIRCLED:  # before isdigit(): '①'.isdigit() is True
        return _CIRCLED.index(token) + 1
    if token.isascii() and token.isdigit():
        return int(token)
    import cn2an

    try:
        return int(cn2an.cn2an(token, "strict"))
    except (ValueError, KeyError, TypeError):
        return None


@dataclass
class _Section:
    index: int
    level: int
    number: int | None
    heading: str | None
    style: str | None
    parent: int | None
    line: str | None = None  # the heading as written, number and run-in end included
    own_role: str | None = None
    paragraphs: list[str] = field(default_factory=list)


def heading_role(heading: str | None) -> str | None:
    """Role named by a heading's own words (``data/roles.toml``), or None."""
    if not heading:
        return None
    for role, pattern in P.ROLE_PATTERNS:
        if pattern.search(heading):
            return role
    return None


def starts_with_heading(line: str) -> bool:
    """True when a line opens with a heading marker (一、 （一） 1. 第一部分 …)."""
    return bool(P.ANY_HEADING_STYLE.match(line) or P.ENUM_ITEM.match(line))


def split_heading(line: str) -> tuple[str, int | None, str, str] | None:
    """``(style, number, heading, run-in text)`` when a line opens a section, else None."""
    if not P.ANY_HEADING_STYLE.match(line):
        return None
    for style, pattern in P.HEADING_STYLES:
        match = pattern.match(line)
        if not match:
            continue
        number = numeral_value(match.group("num"))
        rest = line[match.end():].strip()
        if number is None or not rest:
            return None
        end = P.RUN_IN_END.search(rest)
        if end is None:
            if len(rest) > _MAX_HEADING:
                return None  # a numbered paragraph, not a heading
            return style, number, rest, ""
        if end.start() > _MAX_HEADING:
            return None
        heading = rest[: end.start()].strip()
        return (style, number, heading, rest[end.end():].strip()) if heading else None
    return None


def split_enumeration(line: str) -> list[tuple[int, str]]:
    """Split a paragraph made of 一是…二是…三是… into ``(number, text)`` items.

    Only a paragraph that starts with an item is split, and only at items whose numbers
    follow on (一, 二, 三…): 这是 or a lone 二是 inside a sentence stays where it is.
    """
    if not P.ENUM_ITEM.match(line):  # most paragraphs: no scan of the whole line
        return []
    matches = list(P.ENUM_ITEM.finditer(line))
    items, expected, starts = [], 1, []
    for match in matches:
        value = numeral_value(match.group("num"))
        if value == expected:
            starts.append((match.start("num"), value))
            expected += 1
    for (start, value), following in zip(starts, starts[1:] + [(len(line), None)]):
        items.append((value, line[start:following[0]].strip()))
    return items


def _parse(lines: list[str]) -> list[_Section]:
    sections = [_Section(0, 0, None, None, None, None)]
    stack: list[tuple[str, int]] = []  # (style, section index)

    def open_section(style: str, number: int | None, heading: str, line: str | None = None) -> _Section:
        styles = [s for s, _ in stack]
        if style in styles:
            del stack[styles.index(style):]
        parent = stack[-1][1] if stack else None
        section = _Section(len(sections), len(stack) + 1, number, heading, style, parent, line)
        sections.append(section)
        stack.append((style, section.index))
        return section

    for line in lines:
        parsed = split_heading(line)
        if parsed:
            style, number, heading, run_in = parsed
            written = line[: len(line) - len(run_in)].rstrip() if run_in else line
            section = open_section(style, number, heading, written)
            if run_in:
                _add_paragraph(section, run_in, open_section)
            continue
        _add_paragraph(sections[-1], line, open_section)
    return sections


def _add_paragraph(section: _Section, text: str, open_section) -> None:
    items = split_enumeration(text)
    if not items:
        section.paragraphs.append(text)
        return
    for number, item in items:
        body = item[len(P.ENUM_ITEM.match(item).group(0)):] if P.ENUM_ITEM.match(item) else item
        end = P.RUN_IN_END.search(body)
        heading = body[: end.start()] if end and end.start() <= _MAX_HEADING else body[:20]
        enum_section = open_section("enum", number, heading.strip())
        enum_section.paragraphs.append(item)


def _assign_roles(sections: list[_Section], genre: str | None) -> list[str]:
    """Role of every section: its heading's, else inherited, else from the genre."""
    plan_only = genre in PLAN_GENRES
    default = "achievements" if genre in SUMMARY_GENRES else "other"
    roles: list[str] = []
    previous_top: str | None = None
    for section in sections:
        if plan_only:
            roles.append("plans")
            continue
        if section.level == 0:
            roles.append("preamble" if len(sections) > 1 else default)
            continue
        own = heading_role(section.heading) if section.style != "enum" else None
        if section.parent is None:
            if own:
                role = own
            elif previous_top and previous_top not in ("problems", "preamble"):
                role = previous_top
            else:
                role = default
            previous_top = role
        else:
            inherited = roles[section.parent]
            # A sub-heading may say more than its parent (工作情况 > 存在问题), but words
            # such as 补齐短板 under a plans heading are plans, not admitted problems.
            role = own if own and inherited in ("achievements", "other", "preamble") else inherited
        roles.append(role)
    return roles


def outline(text: str) -> list[_Section]:
    """The section tree of one cleaned document (roles not yet assigned)."""
    return _parse(filled_lines(text))


def outline_roles(sections: list[_Section]) -> set[str]:
    """Roles that a document's own headings name (evidence for its genre)."""
    return {role for role in (heading_role(s.heading) for s in sections if s.style != "enum") if role}


def lead_unit_share(sections: list[_Section]) -> float:
    """Share of paragraphs that end by naming a lead unit, as 工作要点 do: (…牵头)."""
    paragraphs = [p for s in sections for p in s.paragraphs]
    if not paragraphs:
        return 0.0
    return sum(_ends_in_parenthesis(p) and bool(P.LEAD_UNIT.search(p)) for p in paragraphs) / len(paragraphs)


def _ends_in_parenthesis(text: str) -> bool:
    """The last non-space character closes a parenthesis (what LEAD_UNIT needs, without a scan)."""
    last = text[-1:]
    if last.isspace():
        last = text.rstrip()[-1:]
    return last in (")", "）")


def tabulate(doc_id: str, sections: list[_Section], genre: str | None = None) -> tuple[list[dict], list[dict]]:
    """Section and paragraph rows of one document, with roles given its genre.

    Every heading is a paragraph row of kind ``heading`` (as written, its number
    included) before its section's paragraphs, so analyses read headings by default;
    the paragraphs of a 一是…二是… enumeration are of kind ``item``, the rest ``body``.
    A section's ``text`` is its heading line and its own paragraphs.
    """
    roles = _assign_roles(sections, genre)
    keep_preamble = bool(sections[0].paragraphs) or len(sections) == 1
    section_rows, paragraph_rows = [], []
    ids = {s.index: f"{doc_id}_s{s.index:03d}" for s in sections}
    for section, role in zip(sections, roles):
        if section.index == 0 and not keep_preamble:
            continue
        kind = "item" if section.style == "enum" else "body"
        own = [("heading", section.line)] if section.line else []
        own += [(kind, paragraph) for paragraph in section.paragraphs]
        section_rows.append(
            {
                "doc_id": doc_id,
                "section_id": ids[section.index],
                "parent_id": ids[section.parent] if section.parent is not None else None,
                "level": section.level,
                "number": section.number,
                "heading": section.heading,
                "role": role,
                "text": "\n".join(text for _, text in own),
            }
        )
        for kind, text in own:
            paragraph_rows.append(
                {
                    "doc_id": doc_id,
                    "section_id": ids[section.index],
                    "paragraph_id": f"{doc_id}_p{len(paragraph_rows) + 1:04d}",
                    "kind": kind,
                    "role": role,
                    "text": text,
                }
            )
    return section_rows, paragraph_rows


def split_sentences(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Sentences of paragraphs.

    Parameters
    ----------
    paragraphs
        The paragraphs table (``doc_id, section_id, paragraph_id, kind, role, text``).

    Returns
    -------
    pandas.DataFrame
        One row per sentence (split after 。！？；, closing quotes kept with their
        sentence): ``doc_id, section_id, paragraph_id, sentence_id, kind, role, text``.
    """
    rows = []
    for paragraph in paragraphs.itertuples(index=False):
        parts = [s.strip() for s in P.SENTENCE_SPLIT.split(paragraph.text) if s.strip()]
        for number, sentence in enumerate(parts, start=1):
            rows.append(
                {
                    "doc_id": paragraph.doc_id,
                    "section_id": paragraph.section_id,
                    "paragraph_id": paragraph.paragraph_id,
                    "sentence_id": f"{paragraph.paragraph_id}_{number:02d}",
                    "kind": paragraph.kind,
                    "role": paragraph.role,
                    "text": sentence,
                }
            )
    return pd.DataFrame(rows, columns=SENTENCE_COLUMNS)
