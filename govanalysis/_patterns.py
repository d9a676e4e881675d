"""Every regular expression of the package, compiled once.

Grouped by the pipeline stage that uses them. Vocabulary that users may want to edit
(page furniture, role keywords) lives in ``govanalysis/data`` and is compiled here.
"""

from __future__ import annotations

import re

from ._data import read_lines as _load_lines
from ._data import read_toml as _load_toml

# Patterns that open with a lookbehind or an alternation of groups give re no first
# character to scan for, so it runs the whole pattern at every position. Each such
# pattern here is compiled behind a lookahead on the characters its matches open with,
# which rejects most positions at once; the plain form is kept for the equality test.
GUARDED_SOURCES: dict[str, str] = {}


def _guarded(name: str, first: str, source: str) -> re.Pattern:
    """``source`` behind a lookahead on ``first`` (a character-class body)."""
    GUARDED_SOURCES[name] = source
    return re.compile(f"(?=[{first}])(?:{source})")


def _alternation(words: list[str]) -> str:
    # Longest first so that 扫一扫在手机打开当前页 wins over 扫一扫.
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


CN_DIGITS = "〇零一二三四五六七八九十百两"
# Han characters: the basic block (script detection samples it), extension A and the
# compatibility ideographs. Every pattern spells the range through these two names.
HAN_BASIC = r"\u4e00-\u9fff"
CJK = rf"\u3400-\u4dbf{HAN_BASIC}\uf900-\ufaff"

# --- reading --------------------------------------------------------------------
# UTF-8 read as Latin-1 / Windows-1252: a lead byte (Â..ô) shown as a letter, then a
# continuation byte (0x80-0xBF) shown as a C1 control, a symbol (¡..¿) or a cp1252 mark.
MOJIBAKE_PAIR = re.compile("[\u00c2-\u00f4][\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]")
# Characters of ordinary text (for judging a BOM-less UTF-16/UTF-32 decoding): tabs and
# newlines, printable ASCII and Latin-1, general and CJK punctuation, full-width forms, Han.
PLAIN_TEXT_CHAR = re.compile(rf"[\t\n\r\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u3000-\u303f\uff00-\uffef{CJK}]")

# --- cleaning -------------------------------------------------------------------
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"  # zero-width spaces and joiners, BOM, soft hyphen
_OTHER_NEWLINES = "\u2028\u2029\x0b\x0c\x85"  # line and paragraph separators, VT, FF, NEL
NEWLINES = re.compile(rf"\r\n?|[{_OTHER_NEWLINES}]")
# Horizontal whitespace of every kind (ASCII, NBSP, ideographic space, en/em spaces).
HSPACE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
# The other characters str.strip() removes (besides \n): where none is left, a line's edges
# hold at most the one space HSPACE leaves.
OTHER_SPACE = re.compile(r"[\x0b\x0c\r\x1c-\x1f\x85\u2028\u2029]")
# Spaces between Chinese characters, or between Chinese and digits (2025 年). Each pattern
# starts with the literal space so the engine scans for it, then looks back one step.
SPACE_BETWEEN_CJK = re.compile(rf" (?<=[{CJK}] ) *(?=[{CJK}])")
SPACE_CJK_DIGIT = re.compile(rf" (?<=[{CJK}] ) *(?=\d)| (?<=\d ) *(?=[{CJK}])")
BLANK_LINES = re.compile(r"\n{3,}")
# Lone surrogates are not text (no codec can write them); some JSON decoders let them in.
SURROGATES = "\ud800-\udfff"
CONTROL_CHARS = re.compile(f"[\x00-\x08\x0e-\x1f\x7f{SURROGATES}]")
# Zero-width characters and controls, removed in one pass.
_INVISIBLE = f"{ZERO_WIDTH}\x00-\x08\x0e-\x1f\x7f{SURROGATES}"
INVISIBLE_CHARS = re.compile(f"[{_INVISIBLE}]")

_FURNITURE = _load_toml("furniture.toml")
TOOLBAR_PHRASES = re.compile(_alternation(_FURNITURE["toolbar"]))
# What may remain on a pure toolbar line once its phrases are gone.
TOOLBAR_RESIDUE = re.compile(
    r"^[\s:：|｜/\\\-–—_·•,，.。;；!！?？()（）\[\]【】〖〗〔〕「」<>《》{}'\"“”‘’0-9\-"
    + "".join(_FURNITURE["close_marks"]) + "]*$"
)
# A QR-code caption: （扫描二维码查看全文） / 手机扫码阅读.
QR_CAPTION = re.compile(
    r"^[（(【\[]?[^。；！？!?（）()]{0,20}(?:二维码|扫码|扫一扫)[^。；！？!?（）()]{0,20}[）)】\]]?$"
)
# The basic CJK block: script detection converts a sample of these characters.
HAN_BASIC_RUN = re.compile(f"[{HAN_BASIC}]+")
NOT_HAN_BASIC = re.compile(f"[^{HAN_BASIC}]+")
# A short line with no Han character (T, Aa, ✕, >>) beside toolbar lines is one of them.
HAN_CHAR = re.compile(f"[{CJK}]")
HEADER_LABEL = re.compile(rf"(?:{_alternation(_FURNITURE['header_labels'])})\s*[:：】]")
HEADER_LABEL_BARE = re.compile(rf"(?:{_alternation(_FURNITURE['header_labels'])})")
BREADCRUMB_SOURCE = (
    rf"(?:{_alternation(_FURNITURE['breadcrumb_markers'])})|"
    r"(?:^|\s)首页\s*[>＞»›/]|[>＞»›]\s*\S+\s*[>＞»›]"
)
# The characters a breadcrumb can open with: the markers' first, 首, a space, an arrow.
_BREADCRUMB_FIRST = re.escape("".join(sorted({m[0] for m in _FURNITURE["breadcrumb_markers"]} | set("首>＞»›"))))
BREADCRUMB = _guarded("BREADCRUMB", _BREADCRUMB_FIRST + r"\s", BREADCRUMB_SOURCE)
TAIL_MARKER = re.compile(rf"^(?:{_alternation(_FURNITURE['tail_markers'])})\s*[:：]?$")
TABLE_ROW = re.compile(r"^\s*[|｜]|[|｜].*[|｜]")
SENTENCE_END_CHARS = "。！？!?；;"
SENTENCE_END = re.compile(rf"[{SENTENCE_END_CHARS}]\s*$")
# A line that leads into the body (各位代表：) is text, however often it repeats.
LEAD_IN_END = re.compile(r"[：:]\s*$")
# ８７．１５: a full-width full stop between digits is a decimal point.
FULLWIDTH_DECIMAL = re.compile(r"(?<=\d)．(?=\d)")
# Full-width ASCII letters and digits, the ideographic space and ％ ＋ ＝ ／ ＞ ＜ ｜ become
# half-width; Chinese punctuation （），。、：；“” is kept as it is.
HALF_WIDTH = {
    **{chr(0xFF10 + i): chr(0x30 + i) for i in range(10)},
    **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
    **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
    "\u3000": " ", "％": "%", "＋": "+", "＝": "=", "／": "/", "＞": ">", "＜": "<", "｜": "|",
}
WIDTH_CHARS = re.compile("[" + re.escape("".join(HALF_WIDTH)) + "]")
# Every character the newline, invisible-character and width steps change (．included):
# a text with none of them passes those three steps unchanged.
LAYOUT_CHARS = re.compile(f"[\r{_OTHER_NEWLINES}{_INVISIBLE}" + re.escape("".join(HALF_WIDTH)) + "．]")

# --- metadata -------------------------------------------------------------------
ISO_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*(?:[-/.年])\s*(?P<m>1[0-2]|0?[1-9])\s*(?:[-/.月])\s*"
    r"(?P<d>3[01]|[12]\d|0?[1-9])(?:\s*日)?(?!\d)"
)
CN_DATE = re.compile(
    rf"(?P<y>[〇零一二三四五六七八九]{{4}})年(?P<m>[{CN_DIGITS}]{{1,3}})月(?P<d>[{CN_DIGITS}]{{1,3}})日"
)
PUBLISHED_LABEL = re.compile(
    r"(?:发布时间|发布日期|信息提供日期|发文日期|成文日期|公布日期|发布于|日期|时间)\s*[:：]?\s*"
)
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?!\d)")
YEAR_RANGE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:年)?\s*[-—–~～至到]+\s*((?:19|20)\d{2})\s*年"
)
FIVE_YEAR_PLAN = re.compile(r"[“\"]?十[一二三四五六七八九]五[”\"]?(?:时期|期间|规划)")
PERIOD_H1 = re.compile(r"上半年|1\s*[-—–至~]\s*6\s*月|一至六月|前半年|(?<![上下])半年度?(?:工作)?总结")
PERIOD_H2 = re.compile(r"下半年|7\s*[-—–至~]\s*12\s*月")
PERIOD_ANNUAL = re.compile(r"年度|全年|\d{4}\s*年")
# Organ names end in one of these; the shortest match that ends at a boundary wins.
ORG_SUFFIX = (
    r"(?:人民政府办公室|人民政府办公厅|人民政府|管理委员会|委员会|领导小组办公室|领导小组|"
    r"办公室|办公厅|管委会|服务中心|中心|管理局|服务局|数据局|政数局|局|委|厅|办)"
)
ORG_AT_START = re.compile(
    rf"^(?P<org>(?:[{CJK}]{{1,24}}?){ORG_SUFFIX})"
    r"(?=关于|\d|[（(《“]|年度|上半年|下半年|工作|法治|印发|$|[，,、 ]|认真|坚持|紧紧|始终|按照|围绕|在|以|全面|深入)"
)
ORG_LINE = re.compile(rf"^(?P<org>[{CJK}（）()]{{2,40}}{ORG_SUFFIX})$")
SOURCE_VALUE = re.compile(r"(?:信息来源|文章来源|来源|发布机构|发文机关)\s*[:：]\s*(?P<value>[^\s:：|]{2,40})")
# ——2025年1月18日在…会议上 / （2024年1月29日在杭州市第十四届人民代表大会第四次会议上）
DELIVERY_LINE = re.compile(
    r"^[—\-－]{1,3}\s*|^[（(]\s*(?:19|20)\d{2}\s*年.{0,12}日\s*在.{2,60}(?:会议|大会)上.{0,12}[）)]$"
)

# 《…》 names another document: its years are not this report's.
BOOK_TITLE = re.compile(r"《[^《》]*》")
TABLE_RESIDUE_TAIL = re.compile(r"(?:\s*[|｜])+\s*$")
# 第1页共2页 and similar page markers glued to a converted document's first line.
PAGE_MARKER = re.compile(r"^第\s*\d+\s*页\s*[，,/]?\s*共\s*\d+\s*页")
# A title run into the first body line: …工作总结和下半年度安排2023年，… / …总结范文政府…
RUN_IN_TITLE = re.compile(
    r"^(?P<title>[^，。,；;：:！？!?]{4,60}(?:总结|计划|安排|打算|思路|要点|报告)(?:范文|全文|汇总)?)"
    r"(?=(?:19|20)\d{2}年|今年|[^。！？!?]{0,80}[，,])"
)
# …and it names a year or a work report, so 我局认真总结… is not taken for a title.
RUN_IN_TITLE_CUE = re.compile(r"(?:19|20)\d{2}|年度|半年|工作")
TITLE_LABEL = re.compile(r"^(?:标题|信息名称|文件名称|名称|题目|主题)\s*[:：]\s*")
# 京经信发〔2022〕87号: the year a notice was issued.
DOC_NUMBER = re.compile(r"[〔\[［(（]((?:19|20)\d{2})[〕\]］)）]\s*第?\d+\s*号")
FILENAME_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
NOTICE_TITLE = re.compile(r"(?:印发|转发|发布).{0,80}(?:通知|通告)$|的通知$")

SUMMARY_WORD = re.compile(r"总结|工作情况|工作报告|情况的?报告|自查报告|述职|履职情况")

GENRE_RULES = (
    # (genre, pattern) in priority order, matched against a title.
    ("rule_of_law_report", re.compile(r"法治政府建设.{0,12}(报告|情况)|法治建设.{0,8}年度报告|依法行政.{0,8}报告")),
    ("government_work_report", re.compile(r"政府工作报告")),
    ("key_points", re.compile(r"工作要点|要点")),
    ("policy_notice", NOTICE_TITLE),
    ("summary_and_plan", re.compile(r"(总结|情况|回顾).{0,30}(计划|打算|安排|思路|要点)")),
    ("summary", SUMMARY_WORD),
    ("plan", re.compile(r"计划|方案|规划|打算|安排|实施意见")),
    ("policy_notice", re.compile(r"通知|意见|办法|规定|决定|细则|通告|公告|批复")),
)
TITLE_HINT = re.compile(r"总结|计划|报告|要点|通知|方案|意见|办法|规划|安排|打算|情况|决定|公告")
# A government work report opens with its audience.
GWR_OPENING = re.compile(
    r"^各位代表[:：]|^各位(?:主任|委员)|我代表.{0,12}(?:人民政府|政府|行署|国务院).{0,8}(?:报告|作).{0,4}工作",
    re.M,
)
# Phrases only a government work report uses, anywhere in its body: the address to the
# congress and the government speaking of its own year's work.
GWR_BODY_CUE = re.compile(
    r"各位代表|向大会报告|请予审议|提请大会审议|今年政府工作|本届政府|政府工作的总体要求|政府自身建设|"
    r"(?:19|20)\d{2}年(?:政府)?工作的?总体要求"
)
# A government work report delivered in year N reviews year N-1: 一、2023年工作回顾 /
# 2023年主要工作回顾 / 刚刚过去的2023年.
GWR_REVIEW_YEAR = re.compile(
    r"((?:19|20)\d{2})年(?:政府|主要|的)?工作回顾|(?:刚刚)?过去的((?:19|20)\d{2})年"
)
# The year a government work report plans for: 2024年工作安排 / 2024年政府工作的总体要求.
GWR_PLAN_YEAR = re.compile(
    r"((?:19|20)\d{2})年(?:政府)?(?:的)?(?:工作)?(?:的)?(?:安排|总体要求|主要任务|重点任务|重点工作|目标任务|主要预期目标)"
)
# Body cues of the other genres, for documents whose title did not survive.
RULE_OF_LAW_CUE = re.compile(r"法治政府建设|法治政府|习近平法治思想|依法行政|法治建设")
REPORT_FORMULA = re.compile(r"现将.{0,12}(?:情况|工作).{0,6}(?:报告|汇报|总结)如下")
# 2023年，市大数据局将… / 今年，我局将…: the opening sentence announces what will be done.
PLAN_OPENING = re.compile(r"^(?:(?:19|20)\d{2}年|今年|明年|下半年)[，,].{0,40}?将")
# 2023年，在市委…领导下 / 今年以来，我局… / 一年来: the opening looks back.
SUMMARY_OPENING = re.compile(
    r"^(?:(?:19|20)\d{2}年(?:以来|上半年|度)?|今年(?:以)?来|今年上半年|一年来|上半年)[，,]|^.{0,40}取得.{0,6}成效"
)
# Year words of the body: 今年 / 本年 (the year of writing), 过去一年 (the year before).
THIS_YEAR = re.compile(r"今年以来|今年上半年|今年来|本年度|今年[，,]")
# 工作要点 assign each task to a lead unit: （市政数局牵头） / (区政务服务数据管理局负责).
LEAD_UNIT = re.compile(r"[（(][^（）()]{2,60}(?:牵头|负责|配合)[^（）()]{0,30}[)）]\s*$")

# --- structure ------------------------------------------------------------------
# Heading markers, one pattern per style. The style's depth is learned per document.
_CN = rf"[{CN_DIGITS}]{{1,4}}"
HEADING_STYLES = (
    ("part", re.compile(rf"^第(?P<num>{_CN}|\d{{1,2}})(?:部分|章|篇|节)\s*[、.．:：]?\s*")),
    ("cn_ordinal", re.compile(rf"^第(?P<num>{_CN})\s*[、，,.．:：]\s*")),
    ("cn_comma", re.compile(rf"^(?P<num>{_CN})\s*[、.．，,]\s*(?=\S)")),
    ("cn_paren", re.compile(rf"^[（(]\s*(?P<num>{_CN})\s*[）)]\s*[、.．]?\s*")),
    ("arabic_dot", re.compile(r"^(?P<num>\d{1,2})\s*(?:[、．]|\.(?!\d))\s*(?=\S)")),
    ("arabic_paren", re.compile(r"^[（(]\s*(?P<num>\d{1,2})\s*[）)]\s*")),
    ("circled", re.compile(r"^(?P<num>[①-⑳])\s*")),
)
# Any heading style at the start of a line, in one call: most lines are not headings. The
# styles' ``num`` groups become plain groups (a name may not repeat in one pattern); the
# styles take no flags, and a test checks it matches where one style does.
ANY_HEADING_STYLE = re.compile("|".join(re.sub(r"\(\?P<\w+>", "(?:", p.pattern) for _, p in HEADING_STYLES))
# 一是… 二是… enumerations; split a paragraph before each item after the first.
ENUM_ITEM = re.compile(r"(?:(?<=^)|(?<=[。；;！!？?]))\s*(?P<num>[一二三四五六七八九十]{1,3})是")
# Where a run-in heading ends: the first full stop, semicolon or colon.
RUN_IN_END = re.compile(r"[。；;：:！!？?]")
SENTENCE_SPLIT = re.compile(r"(?<=[。！？!?；;])(?![”’」』）)])|(?<=[。！？!?；;][”’」』）)])")

# --- roles ----------------------------------------------------------------------
ROLE_PATTERNS = tuple(
    (role, re.compile(pattern)) for role, pattern in _load_toml("roles.toml").items()
)

# --- indicators -----------------------------------------------------------------
UNIT_VOCABULARY = _load_toml("units.toml")
_UNITS = [unit for group in ("percent", "currencies", "counters", "measures") for unit in UNIT_VOCABULARY[group]]
_UNIT = "|".join(re.escape(u) for u in sorted(set(_UNITS), key=len, reverse=True))
_SCALE = r"万亿|亿亿|千万|百万|亿|万|千"
_CN_CORE = r"[零〇○一二两三四五六七八九十百千]*[十百千][零〇○一二两三四五六七八九十百千]*"
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:，\d{3})+(?!\d)|\d+)(?:\.\d+)?"
# An Arabic number (thousands separators, decimals, a range 10-15, 10至15 or 50亿—100亿), a
# scale (万, 亿…), an approximation (余, 多) and a unit; or a Chinese numeral with the same.
INDICATOR_SOURCE = (
    rf"(?P<num>{_NUMBER})"
    rf"(?:\s*(?P<scale1>{_SCALE})?\s*(?P<range>[-—–~～至到])\s*(?P<num2>\d+(?:\.\d+)?))?"
    rf"\s*(?P<approx0>余|多)?(?P<scale>{_SCALE})?(?P<approx>余|多)?\s*(?P<unit>{_UNIT})?"
    rf"|(?<![零〇○一二两三四五六七八九十百千点])"
    rf"(?P<cnum>(?:{_CN_CORE}|[一二两三四五六七八九])(?:[万亿]{_CN_CORE})*(?:点[零〇○一二三四五六七八九]+)?)"
    rf"(?=(?:{_SCALE})|(?:余|多)?(?:{_UNIT}))"
    rf"(?P<cscale>{_SCALE})?(?P<capprox>余|多)?(?P<cunit>{_UNIT})?"
)
# Every claim opens with a digit or a numeral (the guard makes the scan 2.7x faster).
INDICATOR = _guarded("INDICATOR", r"\d零〇○一二两三四五六七八九十百千", INDICATOR_SOURCE)
# 12.5万青年, 近百万群众: a noun of people right after a scale is counted in 人.
PEOPLE_AFTER = re.compile(
    r"[^\d，。；、,;]{0,2}?(?:" + "|".join(sorted(UNIT_VOCABULARY["people"], key=len, reverse=True)) + ")"
)
# 近千亿, 超万亿, 破百万: a scale with no digits is a claim when a bound comes before it.
SCALE_ONLY_BEFORE = re.compile(r"(?:近|超|逾|破|上|达|突破|超过|接近)$")
# 超万亿元, 近亿人: a bare scale after a bound, with a unit.
BARE_SCALE = _guarded("BARE_SCALE", "万亿",
                      r"(?<=近|超|逾|破)(?P<scale>万亿|亿|万)(?P<unit>元|美元|人次|人|户|吨|千瓦|件)")
# 人均640元 -> 元/人 (the rate's denominator from the words before the number).
PER_BEFORE = re.compile("(" + "|".join(UNIT_VOCABULARY["per"]) + r")[^\d，。；、]{0,8}?(?:[达为是约近超]|达到|超过)?$")
# 每立方米20微克 -> 微克/立方米; 645元/月 is kept whole.
PER_EACH_BEFORE = re.compile(rf"每((?:[万千百])?(?:{_UNIT}|平方公里|立方米|人|户|年|月|天|日))[^\d，。；、]{{0,4}}$")
RATE_AFTER = re.compile(r"/(?:人|户|月|年|天|日|次|秒|小时|千瓦时|立方米|平方米|平方公里|吨|公斤|亩)")
# Political formulas that start with a numeral (两个维护): names, not counts.
NUMBERED_FORMULAS = re.compile(
    "(?:" + "|".join(re.escape(f) for f in sorted(_load_lines("numbered_formulas.txt"), key=len, reverse=True)) + ")"
)
# 百分之十七 -> 17 %; 千分之三 -> 3 ‰.
PERCENT_WORDS = re.compile(
    r"(?P<base>百分之|千分之)(?P<n>[零〇一二两三四五六七八九十百]+(?:点[零〇一二三四五六七八九]+)?)"
)
# 历时两年, 连续5年, 经过一年多: a span of years (2023年 and 两年来 are dates).
YEARS_SPAN = re.compile(
    r"(?:(?:历时|历经|经过|用了|用|连续|持续|耗时|花了|花|提前|时隔)(?P<q>近|约)?(?P<n>\d{1,2}|[一二两三四五六七八九十]{1,2})"
    r"(?P<more>多)?个?年(?![代级度底末初前来]))"
)
# 三分之一 -> 1/3 (百分之 and 千分之 are percent and per mille).
CN_FRACTION = _guarded("CN_FRACTION", "一二两三四五六七八九十",
                       r"(?<![百千])(?P<b>[一二两三四五六七八九十]{1,3})分之(?P<a>[一二两三四五六七八九十]{1,3})")
# 半天, 半个小时, 半个工作日: half a unit of time (上半年 is a date).
HALF = _guarded("HALF", "半", r"(?<![上下前后多大一])半(?:个)?(?P<unit>天|小时|工作日|分钟)")
# 八成 = 80%: tenths, common in reports (超八成, 近九成); not 成为/成立/一成不变.
TENTHS = _guarded("TENTHS", "一二三四五六七八九",
                  r"(?<![一二三四五六七八九十])(?P<n>[一二三四五六七八九])成(?![为立功员果本效绩交就熟长型不都])")
FRACTION = _guarded("FRACTION", r"\d", r"(?<![\d/.])(?P<a>\d{1,3})/(?P<b>\d{1,3})(?![\d/])(?P<post>左右|以上|以下)?")
_RANK_NUMBER = r"(?P<rank>\d{1,3}|[一二三四五六七八九十]{1,3})"
_SCOPE = (r"(?:全球|全世界|世界|全国|全省|全市|全州|全区|全县|全盟|省内|市内|国内|同类|同级|"
          r"北方|南方|东部|中部|西部|东北|西北|西南|华东|华南|华北|华中)")
_PEERS = r"(?:[^\d，。；、,;第]{0,6}?(?:城市|地区|省份|省区|省市|地级市|副省级城市|县市|县区|区县|园区|开发区|高新区))?"
RANK = re.compile(rf"第{_RANK_NUMBER}(?P<unit>位|名)")
# 排名全省第五 / 位列全国第一 / 金牌数全国地级市第1 / 全国第三个: a rank without 位 or 名,
# after a ranking verb or a scope (全国, 全省, 中部 …, and the peers ranked: 城市, 地级市 …).
# (Found as 第N, then the words before it checked: one pattern over the whole text is slow.)
RANK_BARE = re.compile(rf"第{_RANK_NUMBER}(?:个|家)?(?![位名\d一二三四五六七八九十批次届期轮章条款节部])")
RANK_BEFORE = re.compile(
    rf"(?:(?:排名|排|位列|名列|位居|居|列|稳居|跃居|升至|跃升至)(?:{_SCOPE})?{_PEERS}|{_SCOPE}{_PEERS})$"
)
# 排名首位 / 位居全国首位: rank 1.
RANK_FIRST = re.compile(
    rf"(?:排名|位列|名列|位居|居|列|稳居|跃居)(?:{_SCOPE})?{_PEERS}(?P<rank>首位|首)(?![批个家次届期轮])"
)
# 广西第3个…的设区市 / 粤东地区第一个…的地级市: the Nth place to do something is a rank.
RANK_NTH = re.compile(
    rf"第{_RANK_NUMBER}个(?!百年|五年|十年)(?=[^，。；,;]{{2,30}}?的(?:省|市|县|区|城市|地级市|设区市|省份|省区|地区|国家|园区|开发区))"
)
# 前10强 / 前三名 / 前100位: a rank bound.
RANK_TOP = re.compile(rf"前{_RANK_NUMBER}(?P<unit>强|名|位)")
# 由86.52%提升至95.47%, 由平均缩短64%上升到81%, 分别从120家、80家增加到150家、95家, 从全国第11位跃升至第4位:
# the values before 至 / 到 are where the values after came from, paired in order.
_CN_ITEM = r"[零〇○一二两三四五六七八九十百千万亿点]*[十百千万亿][零〇○一二两三四五六七八九十百千万亿点]*"
_CHANGE_ITEM = rf"(?:第?\d+(?:\.\d+)?(?:余|多)?(?:{_SCALE})?|第?{_CN_ITEM})[^\d、，。；,;至到由从]{{0,3}}"
CHANGE = re.compile(
    rf"[由从](?P<lead>(?:\d{{4}}年(?:底|末|初)?的?)?[^\d，。；：,;:由从]{{0,8}}?)(?P<from>{_CHANGE_ITEM}(?:、{_CHANGE_ITEM})*)\s*"
    rf"(?:提升|提高|增长|增加|上升|下降|降低|减少|压缩|缩短|压减|跃升|攀升|扩大|升|降)?\s*(?:至|到)\s*"
    rf"(?:[^\d，。；、,;]{{0,6}}?)(?P<to>{_CHANGE_ITEM}(?:、{_CHANGE_ITEM})*)"
)
CHANGE_NUMBER = re.compile(rf"(?P<rank>第)?(?:(?P<num>\d+(?:\.\d+)?)(?:余|多)?(?P<scale>{_SCALE})?|(?P<cn>{_CN_ITEM}))")
# Names in quotes (“1+N”, “三个一批”) and titles 《…》: numbers inside are not claims. A quotation
# that runs over a sentence end or 40 characters is reported speech, whose numbers are.
QUOTE_SPANS = re.compile(
    r"“[^“”。；！？]{0,40}”|\"[^\"。；！？]{0,40}\"|「[^」。；！？]{0,40}」|『[^』。；！？]{0,40}』|《[^《》]*》"
)
METRIC_BOUNDARY = re.compile(r"[，。；：、,;:！？!?()（）“”\"《》【】\[\]\n]|\d[\d.,]*\s*(?:%|[^\d\s，。；,;])?")
QUALIFIER_BEFORE = re.compile(
    r"(不低于|不少于|不超过|超过|突破|高达|达到|提升至|提高至|提高到|提升到|增长至|增加到|达|超|约|近|逾|累计|共计|合计|共|仅|为|是|至|到|实现|完成|新增|已)$"
)
LEADING_QUALIFIER = re.compile(r"^(?:\S{0,6}?)(累计|共计|合计)")
QUALIFIER_AFTER = re.compile(r"^(以上|以下|左右|以内|之内|上下)")
METRIC_LEADING = re.compile(
    r"^(其中|目前|截至目前|截止目前|截至\S{0,6}底|截至\S{0,8}日|今年以来|上半年|全年|年内|当年|累计|共|已|并|且|和|及|与|将|使|让|"
    r"实现|完成|推动|推进|确保|力争|争取|协助做好|继续|进一步)+"
)
# A metric phrase ending in one of these is an action; the counted noun follows the unit.
ACTION_END = re.compile(
    r"(选派|取消|受理|推出|开通|建成|新建|建设|上线|梳理出?|汇聚|回流|提供|发放|办理|认领|录入|部署|整合|接入|打造|培训|"
    r"开展|举办|组织|收到|出具|签发|推送|归集|分配|投入|投放|建立了?|落实|下放|公开|处理|办结|审议通过|评审|排查出?|清理出?|"
    r"解决|化解|服务|惠及|覆盖|涉及|包括|含|有)$"
)
# A sentence that sets a goal. Strong cues mark a target even in a review of the year (预计全年增长5%);
# weak ones only outside it (完成了…目标任务, 争取资金95亿元 and 调研计划6个 report what was done).
TARGET_CUE = re.compile(
    r"力争|目标|确保|争取|计划|拟|预计|预期|将(?![近\d一二两三四五六七八九十百千])|要求|不低于|不少于|达到.{0,12}以上"
)
STRONG_TARGET_CUE = re.compile(
    r"力争|预期|预计|拟(?!定|订|任|稿|人)|目标[^，。；]{0,2}?(?:是|为|：|:)|计划(?:到|于|在|用|新建|完成|实现|投资)|确保(?!了)|"
    r"将(?=[^\d一二两三四五六七八九十百千，。；]{0,4}?(?:达到|实现|完成|新增|建成|突破|超过|提高|提升|增长|扩大|控制|新建|打造|培育|力争))"
)
# A number glued to these is part of a name or a slogan, not a measurement.
NAME_AFTER = re.compile(r"^(?:热线|G|\+|版|号|届|次会议|次全会|号文|年(?!度)|月|日|时)")
# 目前…已经超过2万亿元: a clause that reports a state reached, even in a plans section.
DONE_BEFORE = re.compile(r"(?:已经|已|目前|截至|现有|累计)[^，。；,;]*$")
# 人大二次会议, 五次全会: a session's ordinal.
SESSION_AFTER = re.compile(r"(?:会议|全会|中全会|全体会议)")
# …unit followed by a word ending in 率 names a metric (24小时响应率), not a value.
METRIC_NAME_AFTER = re.compile(rf"^[{CJK}]{{0,4}}率")
# 第四十九条 / 第3章 are article numbers; 前2% names a group.
NOT_A_MEASURE_BEFORE = re.compile(r"(?:第|前)$")
SENTENCE_BOUNDS = re.compile(r"[。；;！!？?\n]")

# --- policy terms ---------------------------------------------------------------
QUOTED_TERM = re.compile(
    r"“(?P<a>[^“”\n]{1,24})”|\"(?P<b>[^\"\n]{1,24})\"|「(?P<c>[^「」\n]{1,24})」|『(?P<d>[^『』\n]{1,24})』"
)
# A closing quote with no opening one (粤省事”): the term is the run of characters before it.
UNBALANCED_CLOSE = re.compile(rf"(?P<term>[{CJK}A-Za-z0-9+]{{2,12}})”")
TERM_SUFFIX = re.compile(r"(?:改革工作|专项行动|改革|工作|行动|工程|建设)$")
TERM_STRIP = re.compile(r"^[\s“”\"「」『』‘’']+|[\s“”\"「」『』‘’'，,。、；;：:]+$")

# --- themes ---------------------------------------------------------------------
# Quote marks inside a term (“双盲”评审, “互联网+”监管) are dropped before the lexicon is matched.
THEME_QUOTES = re.compile(r"[“”‘’「」『』\"]")

# --- tokens ---------------------------------------------------------------------
NUMBER_TOKEN = re.compile(r"^[\d.,%％‰+\-]+$|^[\d.]+[万亿千百]?$")
WORD_CHAR = re.compile(rf"[\w\u3400-\u4dbf{HAN_BASIC}]")  # a token must hold a letter, digit or Han character
# jieba's own user-dictionary line format: word [freq] [tag]
USER_DICT_LINE = re.compile(r"^(.+?)(?: ([0-9]+))?(?: ([a-z]+))?$")
LONE_SURROGATE = re.compile(f"[{SURROGATES}]")

# --- provenance -----------------------------------------------------------------
# An absolute web address, up to a space, a quote, an angle bracket or Chinese punctuation.
URL = r"https?://[^\s<>\"'，。；、）】》]+"
# A furniture line that says where the page is from: 原文链接：https://… / 网址: … / 来源：…
SOURCE_URL_LINE = re.compile(
    rf"(?:原文链接|原文地址|原文网址|本文链接|本文地址|文章链接|文章地址|页面地址|链接地址|网址|网站地址"
    rf"|信息来源|文章来源|来源|出处|URL|Source)\s*[:：]\s*(?:[^\s:：]{{0,30}}\s*)?(?P<url>{URL})",
    re.IGNORECASE,
)
# The label before a link in HTML furniture (来源：<a href=…>): text ending in one of these.
SOURCE_LINK_LABEL = re.compile(r"(?:原文链接|原文地址|原文网址|本文链接|网址|信息来源|文章来源|来源|出处)\s*[:：]?\s*$")
ABSOLUTE_URL = re.compile(rf"^{URL}$")
# 2024年1月2日 in a manifest's retrieved column: the marks that become ISO separators.
CN_DATE_MARK = re.compile(r"\s*[年月]\s*")

# --- text reuse -----------------------------------------------------------------
# What reuse compares, after width and case folding: Han characters, letters, digits, %
# and a decimal point between digits (5.5% stays 5.5%). Other punctuation, spaces and
# symbols are layout (、 or , , “ or ", a page's line break).
REUSE_TEXT = re.compile(rf"[0-9a-z%{CJK}]+|(?<=[0-9])\.(?=[0-9])")
