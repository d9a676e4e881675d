"""Cleaning: small pure ``str -> str`` steps, composed explicitly.

Each step does one thing and can be used alone; :func:`clean_text` composes them in the
order the pipeline uses. Script conversion uses OpenCC (``t2s``; never ``tw2sp``, which
rewrites mainland vocabulary).
"""

from __future__ import annotations

from functools import lru_cache

from . import patterns as P

# Full-width ASCII letters and digits, the ideographic space and ％ become half-width;
# Chinese punctuation （），。、：；“” is kept as it is.
_WIDTH_TABLE = str.maketrans(
    {
        **{chr(0xFF10 + i): chr(0x30 + i) for i in range(10)},
        **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
        **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
        "\u3000": " ",
        "％": "%",
        "＋": "+",
        "＝": "=",
        "／": "/",
        "＞": ">",
        "＜": "<",
        "｜": "|",
    }
)


def normalize_newlines(text: str) -> str:
    """CRLF, CR and other line separators become ``\\n``."""
    return P.NEWLINES.sub("\n", text)


def remove_zero_width(text: str) -> str:
    """Drop zero-width spaces and joiners, BOMs, soft hyphens, control characters and lone
    surrogates (not text: no codec writes them)."""
    return P.CONTROL_CHARS.sub("", P.ZERO_WIDTH.sub("", text))


def normalize_width(text: str) -> str:
    """Full-width letters, digits, spaces and ％ to half-width; keep Chinese punctuation."""
    return text.translate(_WIDTH_TABLE)


def strip_lines(text: str) -> str:
    """Collapse runs of horizontal space, strip every line, keep at most one blank line."""
    lines = (P.HSPACE.sub(" ", line).strip() for line in text.split("\n"))
    return P.BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def remove_cjk_spaces(text: str) -> str:
    """Remove spaces between Chinese characters and between Chinese and digits.

    Chinese does not separate words by spaces; they come from layout (``2025 年``).
    """
    return P.SPACE_CJK_DIGIT.sub("", P.SPACE_BETWEEN_CJK.sub("", text))


def normalize(text: str) -> str:
    """Layout normalisation, the first stage: newlines, invisible characters, width, spaces."""
    return remove_cjk_spaces(strip_lines(normalize_width(remove_zero_width(normalize_newlines(text)))))


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Convert traditional characters to simplified with OpenCC ``t2s``."""
    return _t2s().convert(text) if text else text


def traditional_share(text: str) -> float:
    """Share of Chinese characters that OpenCC ``t2s`` changes (0 for simplified text)."""
    hanzi = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not hanzi:
        return 0.0
    sample = "".join(hanzi[:20000])
    converted = to_simplified(sample)
    return sum(a != b for a, b in zip(sample, converted)) / len(sample)


def detect_script(text: str, threshold: float = 0.02) -> str:
    """``traditional``, ``simplified`` or ``none`` (no Chinese characters).

    Traditional running text has 15-30 % of characters that t2s changes; simplified text
    has almost none (a few variant characters), so a low threshold separates them.
    """
    if not any("\u4e00" <= c <= "\u9fff" for c in text):
        return "none"
    return "traditional" if traditional_share(text) >= threshold else "simplified"


def furniture_kind(line: str) -> str | None:
    """Which kind of page furniture a line is, or None for real text.

    Kinds: ``breadcrumb`` (当前位置: 首页 > …), ``table`` (flattened ``|`` rows),
    ``header`` (来源: / 发布时间: lines), ``toolbar`` (字体 大 中 小, 打印, 分享 …).
    Sentences (ending in 。；！？) are never furniture.
    """
    line = line.strip()
    if not line:
        return None
    ends_sentence = bool(P.SENTENCE_END.search(line))
    if P.BREADCRUMB.search(line) and not ends_sentence and len(line) <= 200:
        return "breadcrumb"
    if P.TABLE_ROW.search(line) and not ends_sentence and len(line) <= 200:
        return "table"
    if len(line) <= 120 and not ends_sentence:
        labels = P.HEADER_LABEL.findall(line)
        if labels and (len(labels) >= 2 or P.HEADER_LABEL.match(line) or len(line) <= 60):
            return "header"
    if len(line) <= 60 and P.TOOLBAR_RESIDUE.match(P.TOOLBAR_PHRASES.sub("", line)):
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


def remove_furniture(text: str) -> str:
    """Drop lines of page furniture and a trailing block of related links.

    The rules describe page templates (see ``data/furniture.toml``), not any one site:
    breadcrumbs, ``来源:/发布时间:`` header lines, toolbars, flattened ``|`` tables.
    """
    lines = text.split("\n")
    kept = [line for line in lines[: tail_cut(lines)] if not is_furniture_line(line)]
    return P.BLANK_LINES.sub("\n\n", "\n".join(kept)).strip()


def drop_repeated_lines(text: str, window: int = 12) -> str:
    """Drop a line that repeats one of the ``window`` lines before it (duplicated titles)."""
    kept: list[str] = []
    for line in text.split("\n"):
        if line.strip() and line in kept[-window:]:
            continue
        kept.append(line)
    return P.BLANK_LINES.sub("\n\n", "\n".join(kept)).strip()


def clean_text(text: str) -> str:
    """The package's cleaning recipe: normalise, convert to simplified, drop furniture.

    Traditional text is converted only when detected, so simplified text is untouched.
    """
    text = normalize(text)
    if detect_script(text) == "traditional":
        text = to_simplified(text)
    return drop_repeated_lines(remove_furniture(text))
