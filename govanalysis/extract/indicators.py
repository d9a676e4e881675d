"""Indicators: every numeric claim in the paragraphs as a tidy row.

A claim is a number with a unit or a scale (87.15%, 3452份, 7527.23万元, 两万人, 第4位,
1/3左右). The words before it name the metric (市本级依申请网办率); qualifiers around it
say how it is bounded (超过, 以上, 约); a change 由86.52%提升至95.47% keeps its starting
value; the sentence and the section role say whether it is achieved or a target.
Years, dates, numbers inside names and slogans (12345热线, 5G, “1+1+9”, 十四五) and
heading numbers are not claims. Metric families come from ``data/metrics.toml``.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

import pandas as pd

from .. import _patterns as P
from .._data import read_toml

INDICATOR_COLUMNS = ["doc_id", "section_id", "paragraph_id", "role", "metric", "metric_key", "value",
                     "unit", "qualifier", "kind", "from_value", "raw", "offset"]
_SCALES = {"万亿": 10**12, "千万": 10**7, "百万": 10**6, "亿": 10**8, "万": 10**4, "千": 10**3}
_MAX_METRIC = 16  # characters of context searched for the metric phrase
_NEUTRAL_WORDS = ("为", "是", "实现", "完成", "已", "至", "到", "新增")  # link verbs, not bounds
_COUNTERS = set("个项件台套人名家户条份宗张笔批类场期所座辆部篇种本块处支单例路次")


@lru_cache(maxsize=1)
def metric_families() -> tuple[tuple[str, object], ...]:
    """``(metric_key, compiled pattern)`` from ``data/metrics.toml``, in file order."""
    import re

    return tuple((key, re.compile(pattern)) for key, pattern in read_toml("metrics.toml").items())


def metric_key(metric: str | None) -> str | None:
    """The canonical family of a metric phrase, or None."""
    if not metric:
        return None
    return next((key for key, pattern in metric_families() if pattern.search(metric)), None)


def chinese_number(token: str) -> float | None:
    """一千二百 -> 1200, 两 -> 2 (via cn2an); None when it is not a number."""
    import cn2an

    try:
        return float(cn2an.cn2an(token, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def _metric_before(text: str, start: int) -> tuple[str, str | None]:
    """(metric phrase, qualifier) from the words just before a number."""
    window = text[max(0, start - _MAX_METRIC):start]
    cut = 0
    for match in P.METRIC_BOUNDARY.finditer(window):
        cut = match.end()
    phrase = window[cut:].strip()
    qualifier = None
    while phrase:  # peel 达到 / 超过 / 累计 … off the end; the outermost one is kept
        match = P.QUALIFIER_BEFORE.search(phrase)
        if not match:
            break
        if qualifier is None and match.group(1) not in _NEUTRAL_WORDS:
            qualifier = match.group(1)
        phrase = phrase[: match.start()]
    if qualifier is None:
        leading = P.LEADING_QUALIFIER.match(phrase)
        qualifier = leading.group(1) if leading else None
    trimmed = P.METRIC_LEADING.sub("", phrase)
    return (trimmed if len(trimmed) >= 2 else phrase), qualifier


def _noun_after(text: str, end: int) -> str:
    """The noun a counter measures: 522个政务服务事项 -> 政务服务事项."""
    window = text[end:end + 12]
    stop = P.METRIC_BOUNDARY.search(window)
    noun = window[: stop.start()] if stop else window
    for verb in ("作为", "用于", "实现", "完成", "进行", "开展", "的", "在", "并", "和", "被"):
        position = noun.find(verb)
        if position > 0:
            noun = noun[:position]
    return noun.strip()


def _sentence(text: str, start: int) -> str:
    left = max((m.end() for m in P.SENTENCE_BOUNDS.finditer(text, 0, start)), default=0)
    right = P.SENTENCE_BOUNDS.search(text, start)
    return text[left: right.start() if right else len(text)]


def indicators_in(text: str) -> list[dict]:
    """Numeric claims in one paragraph, as row dicts without the id columns."""
    quoted = [m.span() for m in P.QUOTE_SPANS.finditer(text)]
    rows: list[dict] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, value: float, unit: str | None, after_qualifier: str | None,
            family: str | None = None) -> None:
        if _inside(quoted, start, end) or any(a < end and start < b for a, b in taken):
            return
        taken.append((start, end))
        metric, qualifier = _metric_before(text, start)
        change = P.CHANGE.search(text[max(0, start - 30):start])
        from_value = None
        if change:
            from_value = float(change.group("a"))
            metric, qualifier = _metric_before(text, start - len(change.group(0)))
            rows[:] = [r for r in rows if not (r["offset"] >= start - len(change.group(0)) and r["offset"] < start)]
        if unit in _COUNTERS and (not metric or len(metric) < 2 or P.ACTION_END.search(metric)):
            metric = (metric or "") + _noun_after(text, end)  # 选派 + 党员志愿者
        sentence = _sentence(text, start)
        rows.append({
            "metric": metric or None,
            "metric_key": family or metric_key(metric),
            "value": value,
            "unit": unit,
            "qualifier": after_qualifier or qualifier,
            "cue": bool(P.TARGET_CUE.search(sentence)),
            "from_value": from_value,
            "raw": text[start:end],
            "offset": start,
        })

    for pattern in (P.RANK, P.RANK_AFTER):
        for match in pattern.finditer(text):
            number = match.group("rank")
            value = float(number) if number.isdigit() else chinese_number(number)
            if value is not None:
                start = match.start("rank") - 1  # from 第
                add(start, match.end(), value, match.groupdict().get("unit") or "位", None, "ranking")
    for match in P.TENTHS.finditer(text):
        post = P.QUALIFIER_AFTER.match(text[match.end():match.end() + 2])
        add(match.start(), match.end(), 10.0 * "一二三四五六七八九".index(match["n"]) + 10.0, "%",
            post.group(1) if post else None)
    for match in P.FRACTION.finditer(text):
        add(match.start(), match.end(), int(match["a"]) / int(match["b"]), "fraction", match["post"])
    for match in P.INDICATOR.finditer(text):
        start, end = match.span()
        before = text[start - 1] if start else " "
        if before in "+＋/.-" or before.isdigit() or (before.isascii() and before.isalpha()):
            continue  # 1+1+9, version numbers, codes, IPv6
        after = text[end:end + 4]
        if match["cnum"]:
            if len(match["cnum"]) < 2 and not match["cscale"]:
                continue  # 一个, 千家万户
            value = chinese_number(match["cnum"])
            value = None if value is None else Decimal(str(value))
            if value is None or (value < 10 and not match["cscale"]):
                continue
            scale, unit, approx = match["cscale"], match["cunit"], match["capprox"]
        else:
            unit, scale, approx = match["unit"], match["scale"], match["approx"]
            if not unit and not scale:
                continue  # a bare number: a year, a code, a heading number
            if P.NAME_AFTER.match(text[match.end("num"):match.end("num") + 4]) and not unit:
                continue
            value = Decimal((match["num2"] or match["num"]).replace(",", ""))
        if P.NAME_AFTER.match(after) and unit not in ("%", "个百分点"):
            continue
        if P.METRIC_NAME_AFTER.match(after) or P.NOT_A_MEASURE_BEFORE.search(text[max(0, start - 1):start]):
            continue
        value = float(value * _SCALES.get(scale, 1))  # Decimal: 2338.3亿 is 233830000000, not …00003
        unit = "%" if unit == "％" else unit
        post = P.QUALIFIER_AFTER.match(text[end:end + 2])
        is_range = "range" if match["range"] and match["num2"] else None
        qualifier = (post.group(1) if post else None) or approx or is_range
        add(start, end, value, unit or None, qualifier)
    rows.sort(key=lambda r: r["offset"])
    return rows


def extract_indicators(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Numeric claims of every paragraph.

    Parameters
    ----------
    paragraphs
        The paragraphs table (``doc_id, section_id, paragraph_id, role, text``).

    Returns
    -------
    pandas.DataFrame
        One row per claim: ``doc_id, section_id, paragraph_id, role, metric, metric_key,
        value`` (scale applied: 7527.23万元 -> 75272300), ``unit, qualifier, kind``
        (``target`` when the sentence sets a goal or the section is a plan, else
        ``actual``), ``from_value`` (start of a stated change), ``raw`` (matched text) and
        ``offset`` (its character offset in the paragraph).
    """
    rows = []
    for paragraph in paragraphs.itertuples(index=False):
        for found in indicators_in(paragraph.text):
            cue = found.pop("cue")
            found["kind"] = "target" if cue or paragraph.role == "plans" else "actual"
            # A lone surrogate is no text (and Arrow-backed strings refuse it): U+FFFD, offsets unchanged.
            found = {k: P.LONE_SURROGATE.sub("\ufffd", v) if isinstance(v, str) else v for k, v in found.items()}
            rows.append({"doc_id": paragraph.doc_id, "section_id": paragraph.section_id,
                         "paragraph_id": paragraph.paragraph_id, "role": paragraph.role} | found)
    table = pd.DataFrame(rows, columns=INDICATOR_COLUMNS)
    return table.astype({"value": "float64", "from_value": "float64", "offset": "int64"})
