"""Indicators: every numeric claim in the paragraphs as a tidy row.

A claim is a number with a unit or a scale (87.15%, 3452份, 7527.23万元, 两万人, 第4位,
1/3左右). The words before it name the metric (市本级依申请网办率); qualifiers around it
say how it is bounded (超过, 以上, 约); a change 由86.52%提升至95.47% keeps its starting
value; the sentence and the section role say whether it is achieved or a target.
Years, dates, numbers inside names and slogans (12345热线, 5G, “1+1+9”, 十四五) and
heading numbers are not claims. Metric families come from ``data/metrics.toml``.
"""

from __future__ import annotations

from bisect import bisect_left
from decimal import Decimal
from functools import lru_cache

import pandas as pd

from .. import _patterns as P
from .._data import read_toml

INDICATOR_COLUMNS = ["doc_id", "section_id", "paragraph_id", "role", "metric", "metric_key", "value",
                     "unit", "qualifier", "kind", "from_value", "raw", "offset"]
_SCALES = {"万亿": 10**12, "亿亿": 10**16, "千万": 10**7, "百万": 10**6, "亿": 10**8, "万": 10**4, "千": 10**3}
_MAX_METRIC = 16  # characters of context searched for the metric phrase
_NEUTRAL_WORDS = ("为", "是", "实现", "完成", "已", "至", "到", "新增")  # link verbs, not bounds
_COUNTERS = frozenset(P.UNIT_VOCABULARY["counters"])
_RATE_BASES = frozenset(P.UNIT_VOCABULARY["currencies"] + P.UNIT_VOCABULARY["measures"])
_NORMALISE = P.UNIT_VOCABULARY["normalise"]
# Units a single Chinese digit may count (两次, 四个系统, 增长两倍, 七天); 一 is an article.
# 二期 (phase two) is an ordinal, 七门 a place, 十分 "very".
_SMALL_COUNT_UNITS = (_COUNTERS - {"期", "门", "分"}) | {"倍", "天", "小时", "分钟", "个工作日", "工作日"}
_REVIEW_ROLES = ("achievements", "problems")


@lru_cache(maxsize=1)
def metric_families() -> tuple[tuple[str, object], ...]:
    """``(metric_key, compiled pattern)`` from ``data/metrics.toml``, in file order."""
    import re

    return tuple((key, re.compile(pattern)) for key, pattern in read_toml("metrics.toml").items())


@lru_cache(maxsize=65536)  # metric phrases recur across paragraphs
def metric_key(metric: str | None) -> str | None:
    """The canonical family of a metric phrase, or None."""
    if not metric:
        return None
    return next((key for key, pattern in metric_families() if pattern.search(metric)), None)


@lru_cache(maxsize=65536)  # cn2an validates every call; numerals recur
def chinese_number(token: str) -> float | None:
    """一千二百 -> 1200, 两 -> 2 (via cn2an); None when it is not a number."""
    import cn2an

    token = token.replace("○", "〇")  # 二百○八: a white circle for zero, common in older reports
    whole, point, decimals = token.partition("点")
    if point:
        number = chinese_number(whole)
        digits = "".join(str("〇一二三四五六七八九".find(c)) for c in decimals.replace("零", "〇"))
        return None if number is None or "-1" in digits else float(f"{int(number)}.{digits}")
    if token[:1] in "十百千":
        token = "一" + token  # 百万 = 一百万; cn2an wants the leading 一
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


def _sentence(text: str, start: int, bounds: list[int]) -> str:
    """The sentence around ``start``, given the positions of the text's sentence bounds."""
    i = bisect_left(bounds, start)
    return text[bounds[i - 1] + 1 if i else 0: bounds[i] if i < len(bounds) else len(text)]


def _changes(text: str) -> tuple[dict[int, tuple[float, int]], list[tuple[int, int]]]:
    """Stated changes: ``{offset of an end value: (start value, offset of 由/从)}`` and the
    spans of the start values, which are not claims of their own."""
    ends, starts = {}, []
    for match in P.CHANGE.finditer(text):
        froms = list(P.CHANGE_NUMBER.finditer(match["from"]))
        tos = list(P.CHANGE_NUMBER.finditer(match["to"]))
        if len(froms) != len(tos) or bool(froms[0]["rank"]) != bool(tos[0]["rank"]):
            continue
        for a, b in zip(froms, tos):
            if a["cn"]:
                start_value = chinese_number(a["cn"])
                if start_value is None:
                    continue
            else:
                start_value = float(Decimal(a["num"]) * _SCALES.get(a["scale"] or b["scale"], 1))
            ends[match.start("to") + b.start()] = (start_value, match.start())
            starts.append((match.start("from") + a.start(), match.start("from") + a.end()))
    return ends, starts


def _rate_unit(text: str, start: int, end: int, unit: str | None) -> tuple[str | None, int]:
    """A unit as a rate: 645元/月, 1分/千瓦时; for money and measures 人均640元 -> 元/人, 每立方米20微克 -> 微克/立方米.
    Returns the unit and the end of the raw text."""
    after = P.RATE_AFTER.match(text, end) if unit else None
    if after:
        return unit + after.group(0), after.end()
    if unit not in _RATE_BASES:
        return unit, end
    before = text[max(0, start - 12):start]
    per = P.PER_BEFORE.search(before)
    if per:
        return f"{unit}/{P.UNIT_VOCABULARY['per'][per.group(1)]}", end
    each = P.PER_EACH_BEFORE.search(before)
    if each:
        return f"{unit}/{each.group(1)}", end
    return unit, end


def indicators_in(text: str) -> list[dict]:
    """Numeric claims in one paragraph, as row dicts without the id columns.

    ``cue`` says how strongly the sentence sets a goal (``strong``, ``weak`` or None), or
    ``done`` when the clause reports a state reached;
    :func:`extract_indicators` turns it and the section role into ``kind``.
    """
    quoted = [m.span() for m in P.QUOTE_SPANS.finditer(text)]
    bounds = [m.start() for m in P.SENTENCE_BOUNDS.finditer(text)]
    change_ends, change_starts = _changes(text)
    rows: list[dict] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, value: float, unit: str | None, after_qualifier: str | None,
            family: str | None = None) -> None:
        if _inside(quoted, start, end) or any(a < end and start < b for a, b in taken):
            return
        if any(a <= start < b for a, b in change_starts):
            return  # 由86.52%…: the start of a change is the from_value of its end
        taken.append((start, end))
        metric, qualifier = _metric_before(text, start)
        from_value = None
        if start in change_ends:
            from_value, change_start = change_ends[start]
            metric, qualifier = _metric_before(text, change_start)
        if unit in _COUNTERS and (not metric or len(metric) < 2 or P.ACTION_END.search(metric)):
            metric = (metric or "") + _noun_after(text, end)  # 选派 + 党员志愿者
        sentence = _sentence(text, start, bounds)
        cue = "strong" if P.STRONG_TARGET_CUE.search(sentence) else "weak" if P.TARGET_CUE.search(sentence) else None
        if cue != "strong" and P.DONE_BEFORE.search(text, max(0, start - 30), start):
            cue = "done"
        rows.append({
            "metric": metric or None,
            "metric_key": family or metric_key(metric),
            "value": value,
            "unit": unit,
            "qualifier": after_qualifier or qualifier,
            "cue": cue,
            "from_value": from_value,
            "raw": text[start:end],
            "offset": start,
        })

    def rank_value(number: str) -> float | None:
        return float(number) if number.isdigit() else chinese_number(number)

    for match in P.RANK.finditer(text):
        value = rank_value(match["rank"])
        if value is not None:
            add(match.start(), match.end(), value, "位", None, "ranking")
    for match in P.RANK_BARE.finditer(text):  # 排名全省第五, 全国地级市第1, 全国第三个
        value = rank_value(match["rank"])
        if value is not None and P.RANK_BEFORE.search(text, max(0, match.start() - 16), match.start()):
            add(match.start(), match.end(), value, "位", None, "ranking")
    for match in P.RANK_NTH.finditer(text):
        value = rank_value(match["rank"])
        if value is not None:
            add(match.start(), match.end(), value, "位", None, "ranking")
    for match in P.RANK_FIRST.finditer(text):
        add(match.start("rank"), match.end(), 1.0, "位", None, "ranking")
    for match in P.RANK_TOP.finditer(text):
        value = rank_value(match["rank"])
        if value is not None:
            add(match.start(), match.end(), value, "位", "前", "ranking")
    if "分之" in text:  # the pattern needs it: skip the scan
        for match in P.PERCENT_WORDS.finditer(text):
            value = chinese_number(match["n"])
            if value is not None:
                add(match.start(), match.end(), value, "%" if match["base"] == "百分之" else "‰", None)
    if "万" in text or "亿" in text:  # the pattern needs it: skip the scan
        for match in P.BARE_SCALE.finditer(text):
            add(match.start(), match.end(), float(_SCALES[match["scale"]]), match["unit"], None)
    for match in P.YEARS_SPAN.finditer(text):
        value = float(match["n"]) if match["n"].isdigit() else chinese_number(match["n"])
        if value is not None:
            add(match.start("n"), match.end(), value, "年", match["q"] or match["more"])
    if "分之" in text:  # the pattern needs it: skip the scan
        for match in P.CN_FRACTION.finditer(text):
            a, b = chinese_number(match["a"]), chinese_number(match["b"])
            if a is not None and b:
                post = P.QUALIFIER_AFTER.match(text[match.end():match.end() + 2])
                add(match.start(), match.end(), a / b, "fraction", post.group(1) if post else None)
    if "半" in text:  # the pattern needs it: skip the scan
        for match in P.HALF.finditer(text):
            add(match.start(), match.end(), 0.5, _NORMALISE.get(match["unit"], match["unit"]), None)
    if "成" in text:  # the pattern needs it: skip the scan
        for match in P.TENTHS.finditer(text):
            post = P.QUALIFIER_AFTER.match(text[match.end():match.end() + 2])
            add(match.start(), match.end(), 10.0 * "一二三四五六七八九".index(match["n"]) + 10.0, "%",
                post.group(1) if post else None)
    if "/" in text:  # the pattern needs it: skip the scan
        for match in P.FRACTION.finditer(text):
            add(match.start(), match.end(), int(match["a"]) / int(match["b"]), "fraction", match["post"])
    for match in P.INDICATOR.finditer(text):
        start, end = match.span()
        before = text[start - 1] if start else " "
        if before in "+＋/.-×*" or before.isdigit() or (before.isascii() and before.isalpha()):
            continue  # 1+1+9, 7×24小时, version numbers, codes, IPv6
        if match["cnum"]:
            scale, unit, approx = match["cscale"], match["cunit"], match["capprox"]
            if not unit and not scale:
                continue  # 二十大, 十九届: a numeral alone names, it does not measure
            if P.SESSION_AFTER.match(text, end):
                continue
            if len(match["cnum"]) == 1 and not scale:
                if match["cnum"] not in "二两三四五六七八九十" or unit not in _SMALL_COUNT_UNITS:
                    continue  # 一个 is an article; 千家万户, 百姓 are words
                if P.NUMBERED_FORMULAS.match(text, start):
                    continue  # 两个维护, 四个全面: names
            # 七十二亿六千万 is one number: cn2an reads the numeral with its scale
            value = chinese_number(match["cnum"] + (scale or ""))
            if value is None and scale:  # 百亿亿: a compound scale cn2an does not read
                value = chinese_number(match["cnum"])
                value = None if value is None else value * _SCALES[scale]
            if value is None:
                continue
            value, scaled = Decimal(str(value)), scale
            scale = None
        else:
            unit, scale, approx = match["unit"], match["scale"], match["approx"] or match["approx0"]
            if not unit and not scale:
                continue  # a bare number: a year, a code, a heading number
            if P.NAME_AFTER.match(text[match.end("num"):match.end("num") + 4]) and not unit:
                continue
            value = Decimal((match["num2"] or match["num"]).replace(",", "").replace("，", ""))
            scaled = scale
        after = text[end:end + 4]
        if not unit and scaled:
            people = P.PEOPLE_AFTER.match(text, end)
            if people:
                unit = "人"  # 12.5万青年, 近百万群众
            elif match["cnum"] and not (P.SCALE_ONLY_BEFORE.search(text, 0, start) or after.startswith("级")):
                continue  # 千万 as an adverb; a bare 百万 with nothing bounding or counting it
        if P.NAME_AFTER.match(after) and unit not in ("%", "个百分点"):
            continue
        if P.METRIC_NAME_AFTER.match(after) or P.NOT_A_MEASURE_BEFORE.search(text[max(0, start - 1):start]):
            continue
        value = float(value * _SCALES.get(scale, 1))  # Decimal: 2338.3亿 is 233830000000, not …00003
        unit, end = _rate_unit(text, start, end, _NORMALISE.get(unit, unit))
        post = P.QUALIFIER_AFTER.match(text[end:end + 2])
        is_range = "range" if match["range"] and match["num2"] else None
        qualifier = (post.group(1) if post else None) or approx or is_range
        add(start, end, value, unit or None, qualifier)
    rows.sort(key=lambda r: r["offset"])
    return rows


def claim_kind(cue: str | None, role: str | None) -> str:
    """``target`` or ``actual`` from the sentence's goal cue and the section role.

    A clause that reports a state reached (已经, 目前, 截至, 累计 before the number) is actual;
    a plan section states targets; a review (achievements, problems) states what was done
    unless the sentence has a strong cue (力争, 预计, 目标是, 将达到); elsewhere any cue
    (目标, 确保, 计划, 不低于 …) marks a target.
    """
    if cue == "done":
        return "actual"  # 目前…已经超过2万亿元, even in a plans section
    if role == "plans" or cue == "strong":
        return "target"
    if role in _REVIEW_ROLES:
        return "actual"
    return "target" if cue else "actual"


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
    columns = ["doc_id", "section_id", "paragraph_id", "role", "text"]
    for doc_id, section_id, paragraph_id, role, text in zip(*(paragraphs[c].tolist() for c in columns)):
        surrogate = P.LONE_SURROGATE.search(text) is not None
        for found in indicators_in(text):
            found["kind"] = claim_kind(found.pop("cue"), role)
            if surrogate:  # no text (and Arrow-backed strings refuse it): U+FFFD, offsets unchanged
                found = {k: P.LONE_SURROGATE.sub("\ufffd", v) if isinstance(v, str) else v for k, v in found.items()}
            rows.append({"doc_id": doc_id, "section_id": section_id, "paragraph_id": paragraph_id, "role": role}
                        | found)
    table = pd.DataFrame(rows, columns=INDICATOR_COLUMNS)
    return table.astype({"value": "float64", "from_value": "float64", "offset": "int64"})
