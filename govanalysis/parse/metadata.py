"""Metadata: title, issuer, region, dates, period and genre of one report.

Everything is derived from the text (and, as weak evidence, the file name): the title
line, the page-header lines that cleaning removes (来源 / 发布时间), the signature at the
end, the opening of the body, and the section structure. Each filled field records the
text span it came from; a field with no evidence stays NA.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .. import _patterns as P
from .cleaning import filled_lines, is_furniture_line
from .regions import NO_REGION, Region, resolve_region
from .structure import PLAN_GENRES, starts_with_heading

METADATA_FIELDS = ["title", "issuer", "province", "city", "county", "admin_level", "region_code",
                   "province_code", "published", "year", "review_year", "plan_year", "period", "genre"]
_HEADER_LINES = 15
_TITLE_MAX = 90


@dataclass
class Layout:
    """Where the parts of a normalised document are: title, header lines, signature."""

    title: str | None = None
    title_line: int | None = None
    banner: str | None = None  # a bare organ-name line above the title (site banner)
    header: list[str] = field(default_factory=list)  # furniture lines near the top
    signature: list[str] = field(default_factory=list)  # short lines at the very end
    delivery: str | None = None  # ——2025年1月18日在…会议上
    run_in: str | None = None  # the first body line, when the title was run into it


def _title_score(line: str) -> int:
    """How much a line looks like a report title (0: not a title at all)."""
    if (
        len(line) > _TITLE_MAX
        or P.SENTENCE_END.search(line)
        or line.endswith(("：", ":", "，", ","))
        or P.GWR_OPENING.match(line)
        or P.DELIVERY_LINE.match(line)
        or starts_with_heading(line)
        or not P.TITLE_HINT.search(line)
    ):
        return 0
    return 1 + bool(P.YEAR.search(line)) + bool(P.ORG_AT_START.match(line)) + (len(line) >= 10)


def find_layout(text: str) -> Layout:
    """Locate title, banner, header and signature lines in normalised (unfiltered) text.

    The title is the most title-like line (genre word, year, leading organ, length)
    among the lines before the body begins; a label such as 标题: is stripped.
    """
    layout = Layout()
    lines = filled_lines(text)
    best_score = 0
    first_body = None
    for index, line in enumerate(lines[:_HEADER_LINES]):
        if is_furniture_line(line):
            # A title followed by a flattened table row (标题 | ||||) is still a title.
            candidate = P.TABLE_RESIDUE_TAIL.sub("", line)
            if candidate != line and _title_score(candidate) > best_score:
                layout.title, layout.title_line, best_score = candidate, index, _title_score(candidate)
            else:
                layout.header.append(line)
            continue
        if P.DELIVERY_LINE.match(line) and layout.delivery is None:
            layout.delivery = line
            continue
        candidate = P.TITLE_LABEL.sub("", line)
        score = _title_score(candidate)
        if score > best_score:
            layout.title, layout.title_line, best_score = candidate, index, score
            continue
        if score:
            continue
        if layout.title is None and layout.banner is None and P.ORG_LINE.match(line):
            layout.banner = line
            continue
        if first_body is None:
            first_body = line
        if len(line) > _TITLE_MAX or starts_with_heading(line):
            break  # the body has begun
    if layout.title is None and first_body is not None:
        run_in = P.RUN_IN_TITLE.match(P.PAGE_MARKER.sub("", first_body))
        if run_in and P.TITLE_HINT.search(run_in["title"]) and P.RUN_IN_TITLE_CUE.search(run_in["title"]):
            layout.title, layout.run_in = run_in["title"], first_body
    tail = [line for line in lines[-4:] if not is_furniture_line(line)]
    layout.signature = [line for line in tail if len(line) <= 40 and not P.SENTENCE_END.search(line)
                        and not starts_with_heading(line)]
    return layout


def _valid_date(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _cn_number(token: str) -> int | None:
    import cn2an

    try:
        return int(cn2an.cn2an(token, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


def find_date(text: str) -> tuple[str, str] | None:
    """First valid date in ``text`` as ``(iso, span)``: 2021-02-03, 2021年1月4日, 二〇二一年一月四日."""
    for match in P.ISO_DATE.finditer(text):
        iso = _valid_date(int(match["y"]), int(match["m"]), int(match["d"]))
        if iso:
            return iso, match.group(0)
    for match in P.CN_DATE.finditer(text):
        year = int("".join(str("〇一二三四五六七八九".index(c)) for c in match["y"].replace("零", "〇")))
        month, day = _cn_number(match["m"]), _cn_number(match["d"])
        iso = _valid_date(year, month, day) if month and day else None
        if iso:
            return iso, match.group(0)
    return None


def _org_in(text: str, pattern) -> tuple[str, str] | None:
    match = pattern.match(text)
    return (match["org"], match["org"]) if match else None


def _first_body_paragraphs(text: str, layout: Layout, n: int = 3) -> list[str]:
    body: list[str] = []
    for line in text.split("\n"):  # lazily: only the first n are needed
        line = line.strip()
        if line and line not in (layout.title, layout.banner, layout.delivery) and not is_furniture_line(line):
            body.append(line)
            if len(body) == n:
                break
    return body


def infer_genre(title: str | None, body: str, heading_roles: set[str], lead_unit_share: float,
                text: str = "") -> tuple[str, str]:
    """Genre from the title when it says, else from the body and structure.

    Parameters
    ----------
    title
        The title line, or None when none survived.
    body
        The opening paragraphs of the body.
    heading_roles, lead_unit_share
        What the section structure says (see :func:`extract_metadata`).
    text
        The whole cleaned text, for cues that may sit anywhere (各位代表, 请予审议).

    Returns
    -------
    (str, str)
        The genre and the evidence for it.
    """
    if title:
        for genre, pattern in P.GENRE_RULES:
            match = pattern.search(title)
            if match:
                return genre, match.group(0)
    opening = P.GWR_OPENING.search(body[:600])
    if opening:
        return "government_work_report", opening.group(0)
    cues = P.GWR_BODY_CUE.findall(text or body)
    if len(cues) >= 2 or (cues and P.GWR_REVIEW_YEAR.search(text or body)):
        return "government_work_report", "、".join(sorted(set(cues)))
    if lead_unit_share >= 0.2:
        return "key_points", f"{lead_unit_share:.0%} of paragraphs assign a lead unit"
    rule_of_law = set(P.RULE_OF_LAW_CUE.findall(body[:1500]))
    if len(rule_of_law) >= 2 or (rule_of_law and P.REPORT_FORMULA.search(body[:1500])):
        return "rule_of_law_report", "、".join(sorted(rule_of_law))
    looks_back = bool(heading_roles & {"achievements", "problems"})
    looks_ahead = "plans" in heading_roles
    if looks_back and looks_ahead:
        return "summary_and_plan", "headings: " + ", ".join(sorted(heading_roles))
    if looks_back:
        return "summary", "headings: " + ", ".join(sorted(heading_roles))
    if looks_ahead:
        return "plan", "headings: plans"
    first = body.split("\n", 1)[0]
    for genre, pattern in (("plan", P.PLAN_OPENING), ("summary", P.SUMMARY_OPENING)):
        match = pattern.search(first)
        if match:
            return genre, match.group(0)
    return "other", ""


def review_plan_years(year: int | None, genre: str, title: str | None,
                      period: str | None) -> tuple[int | None, int | None]:
    """The year a document reviews and the year it plans, from its year and genre.

    A government work report delivered in N reviews N-1 and plans N; a summary reviews
    its year; a plan or 工作要点 plans its year; "2022年工作总结和2023年工作思路" reviews
    2022 and plans 2023; a 上半年总结和下半年计划 reviews and plans the same year; a
    summary-and-plan with one year plans the year after it. NA where the document does
    not review or plan (notices, multi-year plans).
    """
    if year is None or period == "multi_year":
        return None, None
    if genre == "government_work_report":
        return year - 1, year
    if genre in ("summary", "rule_of_law_report"):
        return year, None
    if genre in PLAN_GENRES:
        return None, year
    if genre == "summary_and_plan":
        years = sorted({int(m.group(1)) for m in P.YEAR.finditer(title or "")} - {year})
        later = [y for y in years if y > year]
        if later:
            return year, later[0]
        return year, year if period == "H1" else year + 1
    return None, None


def _year_period(source: str | None, genre: str, *, ranges: bool = True) -> tuple[int | None, str | None, str | None]:
    """Covered year, period and the span they came from, read off one text.

    ``ranges=False`` ignores year ranges (a body cites 纲要(2021-2025年) in passing).
    """
    if source is None:
        return None, None, None
    year_range = P.YEAR_RANGE.search(source) if ranges else None
    if year_range:
        return int(year_range.group(1)), "multi_year", year_range.group(0)
    years = list(P.YEAR.finditer(source))
    if ranges and P.FIVE_YEAR_PLAN.search(source) and genre in ("plan", "policy_notice", "key_points"):
        span = P.FIVE_YEAR_PLAN.search(source).group(0)
        return (int(years[0].group(1)) if years else None), "multi_year", span
    if not years:
        return None, None, None
    first = years[0]
    year = int(first.group(1))
    summary_word = P.SUMMARY_WORD.search(source)
    if (genre == "summary_and_plan" and len(years) == 1 and summary_word
            and first.start() > summary_word.start()):
        year -= 1  # 年度工作总结及2021年工作计划: the summary covers 2020
    window = source[first.start(): first.end() + 12]
    if P.PERIOD_H1.search(window) or P.PERIOD_H1.search(source[: first.end() + 30]):
        period = "H1"
    elif P.PERIOD_H2.search(window):
        period = "H2"
    elif genre in ("summary", "summary_and_plan", "plan", "key_points", "rule_of_law_report",
                   "government_work_report"):
        period = "annual"
    else:
        period = None
    return year, period, first.group(0)


@dataclass
class _Doc:
    """What the field functions read: the layout, the body's opening and the texts. Each
    field function returns ``(value, source, span)``, Nones when the text does not say."""

    layout: Layout
    normalized: str
    cleaned: str
    body: list[str]
    body_text: str
    stem: str




def _genre(doc: _Doc, heading_roles: set[str], lead_unit_share: float) -> tuple:
    """The genre from the title, else the body's cues, else the headings' roles."""
    title = doc.layout.title
    genre, evidence = infer_genre(title, doc.body_text, heading_roles, lead_unit_share, doc.cleaned)
    source = ("title" if title and evidence in title
              else "structure" if evidence.startswith(("headings", "%")) or "lead unit" in evidence else "body")
    return genre, source, evidence


def _region(doc: _Doc) -> tuple[Region, str | None]:
    """The place: title, header lines, signature, banner, file name, then the body's opening."""
    layout = doc.layout
    zones = [
        (layout.title or "", True),
        ("\n".join(layout.header), True),
        ("\n".join(layout.signature), True),
        (layout.banner or "", True),
        (doc.stem.replace("_", " "), True),
        (doc.body_text[:1500], False),
    ]
    zone_names = ["title", "header", "signature", "banner", "filename", "body"]
    region: Region = resolve_region(zones, context=doc.cleaned[:20000])
    if region is NO_REGION:
        return region, None
    source = next((name for (text, _), name in zip(zones, zone_names) if region.span and region.span in text), "body")
    return region, source


def _issuer(doc: _Doc, genre: str, meta: dict, region: Region) -> tuple:
    """The organ leading the title, a banner or signature line, the 来源 value, the organ
    opening the body, the file name; a government work report's issuer is the government
    of its region."""
    layout = doc.layout
    candidates = [("title", _org_in(layout.title or "", P.ORG_AT_START))]
    candidates += [("banner", _org_in(layout.banner or "", P.ORG_LINE))]
    candidates += [("signature", _org_in(line, P.ORG_LINE)) for line in layout.signature]
    for line in layout.header:
        match = P.SOURCE_VALUE.search(line)
        if match and P.ORG_LINE.match(match["value"]):
            candidates.append(("header", (match["value"], match.group(0))))
    candidates += [("body", _org_in(paragraph, P.ORG_AT_START)) for paragraph in doc.body[:2]]
    candidates += [("filename", _org_in(part, P.ORG_LINE)) for part in doc.stem.split("_")]
    if genre == "government_work_report":
        place = meta["county"] or meta["city"] or meta["province"]
        if place:
            candidates.insert(0, ("structure", (f"{place}人民政府", region.span)))
        elif meta["admin_level"] == "national":
            candidates.insert(0, ("structure", ("国务院", "全国人民代表大会")))
    source, found = next(((s, c) for s, c in candidates if c), (None, None))
    return (found[0], source, found[1]) if found else (None, None, None)


def _published(doc: _Doc) -> tuple:
    """A dated header line (labelled ones first), the delivery line, a dated signature."""
    layout = doc.layout
    date_sources = [("header", line) for line in layout.header]
    date_sources += [("delivery", layout.delivery or "")]
    date_sources += [("signature", line) for line in layout.signature]
    labelled = [(s, line) for s, line in date_sources if P.PUBLISHED_LABEL.search(line)]
    for source, line in labelled + date_sources:
        found_date = find_date(line)
        if found_date:
            return found_date[0], source, found_date[1]
    return None, None, None


def _year_and_period(doc: _Doc, genre: str, published: str | None) -> tuple[int | None, str | None, str, str | None]:
    """``(year, period, source, span)``: the title, else (a government work report) the
    delivery line, plan or review headings, else the opening of the body (citations 《…》
    removed), 今年以来 in a dated document, the document number 〔2022〕87号 or the file name."""
    layout, body_text = doc.layout, doc.body_text
    year, period, span = _year_period(layout.title, genre)
    source = "title"
    if year is None and genre == "government_work_report":
        # Delivered in year N: the delivery line's date, else the plan year, else the
        # reviewed year + 1.
        delivery = P.YEAR.search(layout.delivery or "")
        plan = None if delivery else P.GWR_PLAN_YEAR.search(doc.cleaned)
        review = None if delivery or plan else P.GWR_REVIEW_YEAR.search(doc.cleaned)
        if delivery:
            year, span, source = int(delivery.group(1)), delivery.group(0), "delivery"
        elif plan:
            year, span, source = int(plan.group(1)), plan.group(0), "body"
        elif review:
            year, span, source = int(review.group(1) or review.group(2)) + 1, review.group(0), "body"
        if year is not None:
            period = "annual"
    if year is None:
        year, period, span = _year_period(P.BOOK_TITLE.sub("", body_text[:300]), genre, ranges=False)
        source = "body"
        if year is not None and genre == "government_work_report":
            year += 1  # the opening "2023年，…" is the year reviewed
    if year is None and published and P.THIS_YEAR.search(body_text[:300]):
        # 今年以来 in a dated document: the year it was published.
        cue = P.THIS_YEAR.search(body_text[:300])
        year, span, source = int(published[:4]), cue.group(0), "published"
        period = "H1" if P.PERIOD_H1.search(body_text[:300]) else period
    if year is None:
        fallbacks = [("delivery", P.YEAR.search(layout.delivery or ""))]
        fallbacks += [("header", P.DOC_NUMBER.search(line)) for line in [*layout.header, *doc.body[:3]]]
        fallbacks += [("filename", P.FILENAME_YEAR.search(doc.stem))]
        source, match = next(((s, m) for s, m in fallbacks if m), (None, None))
        if match:
            year, span = int(match.group(1)), match.group(0)
    if period is None and year is not None and genre in PLAN_GENRES:
        period = "annual"
    if year is not None and period in (None, "annual") and layout.title:
        # A title with no year may still say which half (上半年度工作总结).
        period = "H1" if P.PERIOD_H1.search(layout.title) else "H2" if P.PERIOD_H2.search(layout.title) else period
    return year, period, source, span


def extract_metadata(
    doc_id: str, path: str, normalized: str, cleaned: str, heading_roles: set[str], lead_unit_share: float,
    layout: Layout | None = None,
) -> tuple[dict, list[dict]]:
    """Metadata of one document and the spans that support it, one field function at a time.

    Parameters
    ----------
    doc_id, path
        Identity of the document; the file name is weak evidence for places and issuer.
    normalized
        Text after layout normalisation and script conversion, furniture still in it.
    cleaned
        Text after furniture removal (the body the sections are parsed from).
    heading_roles
        Roles the document's own headings name (from :mod:`govanalysis.parse.structure`).
    lead_unit_share
        Share of paragraphs that end by naming a lead unit (a 工作要点 trait).
    layout
        The document's :class:`Layout` when the caller has found it already.

    Returns
    -------
    (dict, list of dict)
        Field values (NA as None) and rows ``doc_id, field, value, source, span``.
    """
    layout = layout or find_layout(normalized)
    body = _first_body_paragraphs(cleaned, layout)
    if layout.run_in and body and body[0] == layout.run_in:
        body[0] = P.PAGE_MARKER.sub("", body[0])[len(layout.title):]
    doc = _Doc(layout, normalized, cleaned, body, "\n".join(body), Path(path).stem if path else "")
    spans: list[dict] = []

    def record(name: str, value, source: str, span: str | None) -> None:
        if value is not None:
            spans.append({"doc_id": doc_id, "field": name, "value": str(value), "source": source,
                          "span": span})

    meta: dict = dict.fromkeys(METADATA_FIELDS)
    meta["title"] = layout.title
    record("title", layout.title, "title", layout.title)
    genre, source, evidence = _genre(doc, heading_roles, lead_unit_share)
    meta["genre"] = genre
    record("genre", genre, source, evidence)
    region, source = _region(doc)
    if region is not NO_REGION:
        meta |= {"province": region.province, "city": region.city, "county": region.county,
                 "admin_level": region.admin_level, "region_code": region.code,
                 "province_code": region.code[:2] + "0000"}
        for name in ("province", "city", "county", "admin_level", "region_code", "province_code"):
            record(name, meta[name], source, region.span)
    elif genre == "government_work_report" and "全国人民代表大会" in normalized[:600]:
        meta["admin_level"] = "national"
        record("admin_level", "national", "header", "全国人民代表大会")
    meta["issuer"], source, span = _issuer(doc, genre, meta, region)
    record("issuer", meta["issuer"], source, span)
    meta["published"], source, span = _published(doc)
    record("published", meta["published"], source, span)
    meta["year"], meta["period"], source, span = _year_and_period(doc, genre, meta["published"])
    meta["review_year"], meta["plan_year"] = review_plan_years(meta["year"], genre, layout.title, meta["period"])
    for name in ("year", "review_year", "plan_year", "period"):
        record(name, meta[name], source, span)
    return meta, spans
