"""Cleaning: small pure ``str -> str`` steps, composed explicitly.

Each step does one thing and can be used alone; :func:`clean_text` composes them in the
order the pipeline uses. Script conversion uses OpenCC (``t2s``; never ``tw2sp``, which
rewrites mainland vocabulary).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from .. import _patterns as P


def normalize_newlines(text: str) -> str:
    """CRLF, CR and other line separators become ``\\n``."""
    return P.NEWLINES.sub("\n", text)


def remove_zero_width(text: str) -> str:
    """Drop zero-width spaces and joiners, BOMs, soft hyphens, control characters and lone
    surrogates (not text: no codec writes them)."""
    return P.INVISIBLE_CHARS.sub("", text)


def normalize_width(text: str) -> str:
    """Full-width letters, digits, spaces and ％ to half-width, and a full-width full stop
    between digits (８７．１５) to a decimal point; keep Chinese punctuation."""
    # A pattern over the few characters that change: str.translate looks up every character.
    text = P.WIDTH_CHARS.sub(lambda m: P.HALF_WIDTH[m.group()], text)
    # The lookbehind pattern is tried at every position: only texts with a ． need it.
    return P.FULLWIDTH_DECIMAL.sub(".", text) if "．" in text else text


def strip_lines(text: str) -> str:
    """Collapse runs of horizontal space, strip every line, keep at most one blank line."""
    collapsed = P.HSPACE.sub(" ", text)  # HSPACE spans no newline
    if P.OTHER_SPACE.search(collapsed):
        joined = "\n".join(line.strip() for line in collapsed.split("\n"))
    else:  # every line edge is at most one space: strip them all at once
        joined = collapsed.replace(" \n", "\n").replace("\n ", "\n")
    return (P.BLANK_LINES.sub("\n\n", joined) if "\n\n\n" in joined else joined).strip()


def filled_lines(text: str) -> list[str]:
    """The non-blank lines of a text, stripped."""
    return [stripped for line in text.split("\n") if (stripped := line.strip())]


def remove_cjk_spaces(text: str) -> str:
    """Remove spaces between Chinese characters and between Chinese and digits.

    Chinese does not separate words by spaces; they come from layout (``2025 年``).
    """
    return P.SPACE_CJK_DIGIT.sub("", P.SPACE_BETWEEN_CJK.sub("", text))


def normalize(text: str) -> str:
    """Layout normalisation, the first stage: newlines, invisible characters, width, spaces."""
    if P.LAYOUT_CHARS.search(text):  # one scan instead of three when they change nothing
        text = normalize_width(remove_zero_width(normalize_newlines(text)))
    return remove_cjk_spaces(strip_lines(text))


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Convert traditional characters to simplified with OpenCC ``t2s``.

    Examples
    --------
    >>> to_simplified("推進政務數據共享")
    '推进政务数据共享'
    """
    return _t2s().convert(text) if text else text


@lru_cache(maxsize=1)
def _traditional_chars():
    """A character class of the basic Han characters that t2s changes on their own (3,500
    or so), derived from OpenCC itself: text with none of them is simplified."""
    import re

    chars = [chr(code) for code in range(0x4E00, 0xA000)]
    converted = to_simplified("\n".join(chars)).split("\n")
    return re.compile("[" + "".join(c for c, s in zip(chars, converted) if c != s) + "]")


def traditional_share(text: str, sample: int = 20000) -> float:
    """Share of Chinese characters that OpenCC ``t2s`` changes (0 for simplified text),
    over the first ``sample`` Chinese characters."""
    prefix = 2 * sample
    hanzi = P.NOT_HAN_BASIC.sub("", text[:prefix])
    while len(hanzi) < sample and prefix < len(text):  # little Chinese up front: read on
        prefix *= 4
        hanzi = P.NOT_HAN_BASIC.sub("", text[:prefix])
    hanzi = hanzi[:sample]
    if not hanzi:
        return 0.0
    return _changed(hanzi, to_simplified(hanzi)) / len(hanzi)


def _changed(before: str, after: str) -> int:
    """Positions at which two strings differ (up to the shorter's length): the plain
    ``sum(map(operator.ne, before, after))``, compared as UTF-32 code arrays (25x faster)."""
    import numpy as np

    a = np.frombuffer(before.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    b = np.frombuffer(after.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    n = min(len(a), len(b))
    return int(np.count_nonzero(a[:n] != b[:n]))


def detect_script(text: str, threshold: float = 0.02) -> str:
    """``traditional``, ``simplified`` or ``none`` (no Chinese characters).

    Traditional running text has 15-30 % of characters that t2s changes; simplified text
    has almost none (a few variant characters), so a low threshold separates them.

    Examples
    --------
    >>> detect_script("推進政務數據共享"), detect_script("推进政务数据共享"), detect_script("2024")
    ('traditional', 'simplified', 'none')
    """
    if not P.HAN_BASIC_RUN.search(text):
        return "none"
    if not _traditional_chars().search(text):  # one scan in C instead of a conversion
        return "simplified"
    return "traditional" if traditional_share(text) >= threshold else "simplified"


_SENTENCE_ENDS = frozenset(P.SENTENCE_END_CHARS)


def _ends_sentence(line: str) -> bool:
    """``P.SENTENCE_END.search(line)`` without a scan of the line: its last non-space character."""
    return line.rstrip()[-1:] in _SENTENCE_ENDS


@lru_cache(maxsize=8192)  # the layout and metadata steps ask again about lines cleaning has judged
def furniture_kind(line: str) -> str | None:
    """Which kind of page furniture a line is, or None for real text.

    Kinds: ``breadcrumb`` (当前位置: 首页 > …), ``table`` (flattened ``|`` rows),
    ``header`` (来源: / 发布时间: lines), ``toolbar`` (字体 大 中 小, 打印, 分享 …).
    Sentences (ending in 。；！？) are never furniture.
    """
    line = line.strip()
    if not line or len(line) > 200:  # every rule below is for short lines
        return None
    ends_sentence = _ends_sentence(line)
    if not ends_sentence and P.BREADCRUMB.search(line):
        return "breadcrumb"
    if not ends_sentence and ("|" in line or "｜" in line) and P.TABLE_ROW.search(line):
        return "table"
    if len(line) <= 120 and not ends_sentence:
        labels = P.HEADER_LABEL.findall(line)
        if labels and (len(labels) >= 2 or P.HEADER_LABEL.match(line) or len(line) <= 60):
            return "header"
    if len(line) <= 60 and P.TOOLBAR_RESIDUE.match(P.TOOLBAR_PHRASES.sub("", line)):
        return "toolbar"
    if len(line) <= 40 and P.QR_CAPTION.match(line) and not P.ANY_HEADING_STYLE.match(line):
        return "toolbar"
    return None


def is_furniture_line(line: str) -> bool:
    """True for a line of page furniture (see :func:`furniture_kind`)."""
    return furniture_kind(line) is not None


def tail_cut(lines: list[str]) -> int:
    """Index of the line that opens a trailing block of related links (len(lines) if none)."""
    total = sum(len(line) + 1 for line in lines)
    position = 0
    for index, line in enumerate(lines):
        if position >= total * 0.75 and P.TAIL_MARKER.match(line.strip()):
            return index
        position += len(line) + 1
    return len(lines)


# Toolbar runs: at most this long a line, and this many lines around it.
_CONTROL_MAX = 12
_SYMBOL_MAX = 6
# Lines that open or close this many files of a corpus at the same place are the site's.
EDGE_LINES = 8


def _toolbar_runs(lines: list[str], kinds: list[str | None]) -> None:
    """Mark short Han-less lines (T, A+, ✕) that sit in a run of toolbar lines.

    A run is a stretch of short lines without sentence punctuation, blank lines
    ignored. In a run that holds at least two toolbar lines, a line of at most
    ``_SYMBOL_MAX`` characters with no Han character next to a toolbar line is one too
    (and so on along the run). Short lines with Han characters are kept: they may be a
    signature or a heading.
    """
    def short(line: str) -> bool:
        text = line.strip()
        return bool(text) and len(text) <= _CONTROL_MAX and not _ends_sentence(text)

    def symbol(i: int) -> bool:
        text = lines[i].strip()
        return kinds[i] is None and len(text) <= _SYMBOL_MAX and not P.HAN_CHAR.search(text)

    run: list[int] = []
    for index in [*range(len(lines)), None]:
        if index is not None and (short(lines[index]) or not lines[index].strip()):
            if lines[index].strip():
                run.append(index)
            continue
        if sum(kinds[i] == "toolbar" for i in run) >= 2:
            for order in (run, run[::-1]):  # spread from each toolbar line both ways
                for before, i in zip(order, order[1:]):
                    if kinds[before] == "toolbar" and symbol(i):
                        kinds[i] = "toolbar"
        run = []


def line_kinds(lines: list[str], site_lines: frozenset[str] = frozenset(), window: int = 12) -> list[str | None]:
    """What cleaning removes, line by line: a furniture kind, or None for text.

    Parameters
    ----------
    lines
        The lines of a normalised document.
    site_lines
        Lines that open or close many files of the corpus (see :func:`site_lines`);
        removed only within :data:`EDGE_LINES` non-blank lines of either end.
    window
        A line equal to one of this many non-blank lines before it is a ``duplicate``
        (a title printed twice), unless it ends a sentence or leads into one.

    Returns
    -------
    list
        One entry per line: ``breadcrumb``, ``table``, ``header``, ``toolbar`` (see
        :func:`furniture_kind`; runs of controls included), ``tail`` (a trailing block
        of related links), ``site`` (a line of the corpus's page template),
        ``duplicate``, or None.
    """
    cut = tail_cut(lines)
    kinds = [("tail" if number >= cut and line.strip() else furniture_kind(line)) for number, line in enumerate(lines)]
    _toolbar_runs(lines, kinds)
    if site_lines:
        filled = [i for i, line in enumerate(lines) if line.strip()]
        for i in filled[:EDGE_LINES] + filled[-EDGE_LINES:]:
            if kinds[i] is None and lines[i].strip() in site_lines:
                kinds[i] = "site"
    recent: list[str] = []
    for i, line in enumerate(lines):
        if kinds[i] is not None or not line.strip():
            continue
        if line in recent[-window:] and not (P.SENTENCE_END.search(line) or P.LEAD_IN_END.search(line)):
            kinds[i] = "duplicate"  # a title printed twice; 各位代表！ said twice is text
        recent.append(line)
    return kinds


def site_lines(texts: Iterable[str], *, min_docs: int = 3) -> frozenset[str]:
    """Lines of a corpus's page template: the same line at the same place in many files.

    A line counts when it stands at the same position among the first or last
    :data:`EDGE_LINES` non-blank lines of at least ``min_docs`` of the normalised
    ``texts`` (site banners, footers, 主办单位 lines). Lines that end a sentence or lead
    into the body (各位代表：), and lines that name a section role (2023年工作回顾), are
    text however often they repeat. Fewer than ``min_docs`` texts learn nothing.
    """
    from .structure import heading_role, starts_with_heading

    counts: Counter = Counter()
    for text in texts:
        filled = filled_lines(text)
        places = {(line, i) for i, line in enumerate(filled[:EDGE_LINES])}
        places |= {(line, -1 - i) for i, line in enumerate(reversed(filled[-EDGE_LINES:]))}
        counts.update(places)
    return frozenset(
        line for (line, _), n in counts.items()
        if n >= min_docs and len(line) <= 60 and not P.SENTENCE_END.search(line)
        and not P.LEAD_IN_END.search(line) and not starts_with_heading(line) and heading_role(line) is None
    )


def remove_furniture(text: str, site: frozenset[str] = frozenset()) -> str:
    """Drop lines of page furniture, a trailing block of related links and repeated lines.

    The rules describe page templates (see ``data/furniture.toml`` and
    :func:`line_kinds`), not any one site: breadcrumbs, ``来源:/发布时间:`` header lines,
    toolbars and runs of controls, flattened ``|`` tables, the corpus's ``site`` lines.
    """
    lines = text.split("\n")
    kept = [line for line, kind in zip(lines, line_kinds(lines, site)) if kind is None]
    return P.BLANK_LINES.sub("\n\n", "\n".join(kept)).strip()


def clean_text(text: str) -> str:
    """The package's cleaning recipe: normalise, convert to simplified, drop furniture.

    Traditional text is converted only when detected, so simplified text is untouched.
    """
    text = normalize(text)
    if detect_script(text) == "traditional":
        text = to_simplified(text)
    return remove_furniture(text)
