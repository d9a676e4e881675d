"""Every regular expression of the package, compiled once.

Grouped by the pipeline stage that uses them. Vocabulary that users may want to edit
(page furniture, role keywords) lives in ``govanalysis/data`` and is compiled here.
"""

from __future__ import annotations

import re

from ._data import read_toml as _load_toml


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
ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
NEWLINES = re.compile(r"\r\n?|\u2028|\u2029|\x0b|\x0c|\x85")
# Horizontal whitespace of every kind (ASCII, NBSP, ideographic space, en/em spaces).
HSPACE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{CJK}]) +(?=[{CJK}])")
SPACE_CJK_DIGIT = re.compile(rf"(?<=[{CJK}]) +(?=\d)|(?<=\d) +(?=[{CJK}])")
BLANK_LINES = re.compile(r"\n{3,}")
# Lone surrogates are not text (no codec can write them); some JSON decoders let them in.
SURROGATES = "\ud800-\udfff"
CONTROL_CHARS = re.compile(f"[\x00-\x08\x0e-\x1f\x7f{SURROGATES}]")

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
BREADCRUMB = re.compile(
    rf"(?:{_alternation(_FURNITURE['breadcrumb_markers'])})|"
    r"(?:^|\s)首页\s*[>＞»›/]|[>＞»›]\s*\S+\s*[>＞»›]"
)
TAIL_MARKER = re.compile(rf"^(?:{_alternation(_FURNITURE['tail_markers'])})\s*[:：]?$")
TABLE_ROW = re.compile(r"^\s*[|｜]|[|｜].*[|｜]")
SENTENCE_END = re.compile(r"[。！？!?；;]\s*$")
# A line that leads into the body (各位代表：) is text, however often it repeats.
LEAD_IN_END = re.compile(r"[：:]\s*$")
# ８７．１５: a full-width full stop between digits is a decimal point.
FULLWIDTH_DECIMAL = re.compile(r"(?<=\d)．(?=\d)")

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
_UNITS = [
    "%", "％", "‰", "个百分点", "个工作日", "工作日", "人次", "户次", "件次", "个", "项", "件", "台",
    "套", "人", "名", "家", "户", "条", "分", "位", "元", "份", "宗", "张", "笔", "批", "类", "场",
    "期", "所", "座", "辆", "部", "篇", "天", "小时", "分钟", "秒", "公里", "千米", "平方米", "亩",
    "吨", "斤", "公斤", "公顷", "立方米", "千瓦", "千瓦时", "倍", "GB", "TB", "PB", "Mbps", "Gbps", "M",
    "种", "本", "块", "处", "支", "单", "例", "路", "次",
]
_UNIT = "|".join(re.escape(u) for u in sorted(set(_UNITS), key=len, reverse=True))
_SCALE = r"万亿|千万|百万|亿|万|千"
# An Arabic number (thousands separators, decimals, a range 10-15 or 10至15), a scale
# (万, 亿…), an approximation (余, 多) and a unit; or a Chinese numeral with the same.
INDICATOR = re.compile(
    rf"(?P<num>(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?)"
    rf"(?:\s*(?P<range>[-—–~～至到])\s*(?P<num2>\d+(?:\.\d+)?))?"
    rf"\s*(?P<scale>{_SCALE})?(?P<approx>余|多)?\s*(?P<unit>{_UNIT})?"
    rf"|(?P<cnum>[零〇一二两三四五六七八九十百千]*[十百千][零〇一二两三四五六七八九十百千]*|[一二两三四五六七八九])"
    rf"(?P<cscale>{_SCALE})?(?P<capprox>余|多)?(?P<cunit>{_UNIT})"
)
# 八成 = 80%: tenths, common in reports (超八成, 近九成); not 成为/成立/一成不变.
TENTHS = re.compile(r"(?<![一二三四五六七八九十])(?P<n>[一二三四五六七八九])成(?![为立功员果本效绩交就熟长型不都])")
FRACTION = re.compile(r"(?<![\d/.])(?P<a>\d{1,3})/(?P<b>\d{1,3})(?![\d/])(?P<post>左右|以上|以下)?")
RANK = re.compile(r"第(?P<rank>\d{1,3}|[一二三四五六七八九十]{1,3})(?P<unit>位|名)")
# 排名全省第五 / 位列全省第一 / 居全市第二: a rank without 位 or 名.
RANK_AFTER = re.compile(
    r"(?:排名|排|位列|名列|居|列)(?:全国|全省|全市|全州|全区|全县|全盟|同类|同级)?(?:城市)?"
    r"第(?P<rank>\d{1,3}|[一二三四五六七八九十]{1,3})(?![位名\d一二三四五六七八九十批次届])"
)
# 由86.52%提升至95.47% / 从…提高到…: the first number is where the second came from.
CHANGE = re.compile(
    r"[由从](?P<a>\d+(?:\.\d+)?)\s*(?:%|个百分点)?\s*(?:提升|提高|增长|增加|上升|下降|降低|减少|压缩|缩短|压减)?\s*(?:至|到)\s*$"
)
QUOTE_SPANS = re.compile(r"“[^“”]*”|\"[^\"]*\"|「[^」]*」|『[^』]*』|《[^《》]*》")
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
TARGET_CUE = re.compile(r"力争|目标|确保|争取|计划|拟|预计|将(?!近)|要求|不低于|不少于|达到.{0,12}以上")
# A number glued to these is part of a name or a slogan, not a measurement.
NAME_AFTER = re.compile(r"^(?:热线|G|\+|版|号|届|次会议|次全会|号文|年|月|日|时)")
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

# --- tokens ---------------------------------------------------------------------
NUMBER_TOKEN = re.compile(r"^[\d.,%％‰+\-]+$|^[\d.]+[万亿千百]?$")
WORD_CHAR = re.compile(rf"[\w\u3400-\u4dbf{HAN_BASIC}]")  # a token must hold a letter, digit or Han character
# jieba's own user-dictionary line format: word [freq] [tag]
USER_DICT_LINE = re.compile(r"^(.+?)(?: ([0-9]+))?(?: ([a-z]+))?$")
LONE_SURROGATE = re.compile(f"[{SURROGATES}]")

# --- text reuse -----------------------------------------------------------------
# What reuse compares, after width and case folding: Han characters, letters, digits, %
# and a decimal point between digits (5.5% stays 5.5%). Other punctuation, spaces and
# symbols are layout (、 or , , “ or ", a page's line break).
REUSE_TEXT = re.compile(rf"[0-9a-z%{CJK}]+|(?<=[0-9])\.(?=[0-9])")
