"""Cleaning: each str -> str step, and the furniture rules as an input -> output table."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govanalysis import _patterns as P
from govanalysis.parse import cleaning


@pytest.mark.parametrize(
    "line, kind",
    [
        ("当前位置: 首页 > 政务公开 > 法治政府建设 > 部门法治政府建设报告", "breadcrumb"),
        ("您现在的位置 首页 > 五公开专栏 > 结果公开", "breadcrumb"),
        ("找总结网 > 工作计划 > 单位工作计划 >", "breadcrumb"),
        ("来源:本网访问量:-发布时间:2021-02-03", "header"),
        ("发布时间:2022-01-14来源:区政务服务数据管理局字体大小:", "header"),
        ("栏目:通知公告发布时间:2021-01-04", "header"),
        ("信息来源:深圳市政务服务和数据管理局信息提供日期:2025-10-23 17:46 【字体: 视力保护色:", "header"),
        ("浏览次数:-", "header"),
        ("【法宝引证码】 CLI.12.5679380", "header"),
        ("原文链接:https://example.org/lar/a.html", "header"),
        ("| cwl2", "table"),
        ("索引号 | 11440300 | 分类 | 规划计划", "table"),
        ("智能问答", "toolbar"),
        ("扫一扫在手机打开当前页", "toolbar"),
        ("分享:", "toolbar"),
        ("扫码浏览", "toolbar"),
        ("字体 大 中 小", "toolbar"),
        ("【打印本页】【关闭窗口】", "toolbar"),
        ("相关信息", "toolbar"),
        ("（政府工作报告附件二维码）", "toolbar"),
        ("扫描二维码查看全文", "toolbar"),
        ("（三）推行扫码办事", None),
        ("全面推行扫码亮证，群众办事更便捷。", None),
        # Real text is never furniture, even when it uses the same words.
        ("一、2020年上半年工作情况", None),
        ("（二）数据共享渠道受阻。全区多个单位业务系统使用上级垂直系统。", None),
        ("推动数据来源可查、去向可追,实现分享共用。", None),
        ("各位代表:", None),
        ("2020年工作情况总结", None),
        ("韶关市武江区政务服务数据管理局", None),
        ("", None),
    ],
)
def test_furniture_kind(line, kind):
    assert cleaning.furniture_kind(line) == kind


@pytest.mark.parametrize(
    "step, text, expected",
    [
        (cleaning.normalize_newlines, "一\r\n二\r三\n四", "一\n二\n三\n四"),
        (cleaning.remove_zero_width, "数\u200b据\ufeff共\u200d享", "数据共享"),
        (cleaning.remove_zero_width, "数据\ud800共享\udfff", "数据共享"),  # lone surrogates are not text
        (cleaning.normalize_width, "ＡＢＣ１２３　网办率８７．１５％", "ABC123 网办率87.15%"),
        (cleaning.normalize_width, "1．总体情况", "1．总体情况"),  # a heading's mark is not a decimal point
        (cleaning.normalize_width, "（一）数据共享，“一网通办”。", "（一）数据共享，“一网通办”。"),
        (cleaning.strip_lines, "  标题 \n\n\n\n\u3000\u3000正文  内容", "标题\n\n正文 内容"),
        (cleaning.remove_cjk_spaces, "行政审批服务局 2025 年政务公开 工作", "行政审批服务局2025年政务公开工作"),
        (cleaning.remove_cjk_spaces, "IPv6 改造与 5G 网络", "IPv6改造与5G 网络"),
    ],
)
def test_cleaning_steps(step, text, expected):
    assert step(text) == expected


def test_normalize_composes_the_layout_steps():
    raw = "\ufeff  一、工作情况\r\n\r\n\u3000\u3000网办率达８７％。\u200b"
    assert cleaning.normalize(raw) == "一、工作情况\n\n网办率达87%。"


@pytest.mark.parametrize(
    "text, script",
    [
        ("梅縣區數字政府改革建設工作要點，擦亮“粵系列”移動應用品牌。", "traditional"),
        ("梅县区数字政府改革建设工作要点，擦亮“粤系列”移动应用品牌。", "simplified"),
        ("Digital government 2020", "none"),
        ("", "none"),
    ],
)
def test_detect_script(text, script):
    assert cleaning.detect_script(text) == script


def test_to_simplified_keeps_mainland_vocabulary():
    assert cleaning.to_simplified("建立智慧城市小程序，數據共享") == "建立智慧城市小程序，数据共享"


def test_remove_furniture_keeps_body_and_cuts_trailing_links():
    page = "\n".join([
        "智能问答",
        "当前位置: 首页 > 政务公开",
        "某市政务服务数据管理局2021年工作总结",
        "发布时间:2022-01-14 来源:本局 字体大小:",
        "一、工作情况",
        "全面推进数据共享，完成事项梳理。" * 10,
        "相关信息",
        "某市2020年工作总结",
        "分享",
    ])
    cleaned = cleaning.remove_furniture(page)
    assert cleaned.split("\n") == [
        "某市政务服务数据管理局2021年工作总结",
        "一、工作情况",
        "全面推进数据共享，完成事项梳理。" * 10,
    ]


def test_duplicated_title_line_is_recorded_as_duplicate():
    lines = ["2020年工作情况总结", "", "2020年工作情况总结", "各位代表！", "正文。", "各位代表！",
             "各位代表：", "各位代表："]
    assert cleaning.line_kinds(lines) == [None, None, "duplicate", None, None, None, None, None]


def test_clean_text_converts_traditional_and_survives_odd_input():
    assert "数字政府" in cleaning.clean_text("2020年是數字政府改革建設攻堅之年。")
    assert cleaning.clean_text("") == ""
    assert cleaning.clean_text("\x00\x01\u200b\n\n") == ""
    assert cleaning.clean_text("🙂 emoji 𠮷 and combining é") == "🙂 emoji 𠮷 and combining é"


BODY = ["某市政务服务数据管理局2023年工作总结", "2023年，我局全面推进数据共享，完成事项梳理。",
        "一、工作成效", "全面推行一网通办，网办率达到95%。"]


@pytest.mark.parametrize(
    "controls",
    [
        # One control per line, as a provincial page template prints them.
        ["下载", "打印", "全屏", "收藏", "【", "放大", "还原", "缩小", "】", "×", "分享到微信", "相关文件", "专题页"],
        # Another order, brackets and full-width forms.
        ["[打印]", "[关闭]", "[字体：大 中 小]", "A+", "A", "A-", "分享到：", "微博", "QQ空间", "✕"],
        ["【下载】", "【全屏阅读】", "【加入收藏】", "T", "T", "T", "进入专题", "相关文档："],
    ],
)
def test_toolbar_runs_are_removed_wherever_they_sit(controls):
    for page in ([*BODY[:1], *controls, *BODY[1:]], [*BODY, *controls]):
        lines = [cleaning.normalize(line) for line in page]
        kinds = cleaning.line_kinds(lines)
        assert [line for line, kind in zip(lines, kinds) if kind is None] == BODY
        assert set(kinds) - {None} <= {"toolbar", "header"}  # 字体： is a header label too


def test_short_lines_beside_a_toolbar_that_hold_han_characters_are_kept():
    lines = ["全面推行一网通办。", "某市数据局", "2023年12月30日", "打印", "关闭", "T"]
    assert cleaning.line_kinds(lines) == [None, None, None, "toolbar", "toolbar", "toolbar"]


@pytest.mark.parametrize(
    "pages, site",
    [
        # The same banner and footer at the same place in three files: the site's.
        ([["某省政务服务网", "标题一", "正文一。", "主办：某省政务服务数据管理局"],
          ["某省政务服务网", "标题二", "正文二。", "主办：某省政务服务数据管理局"],
          ["某省政务服务网", "标题三", "正文三。", "主办：某省政务服务数据管理局"]],
         {"某省政务服务网", "主办：某省政务服务数据管理局"}),
        # Two files are not a corpus template.
        ([["某省政务服务网", "正文一。"], ["某省政务服务网", "正文二。"]], set()),
        # Sentences, lead-ins and section headings are text however often they repeat.
        ([["各位代表：", "2023年工作回顾", "一、总体情况", "我们砥砺前行。"]] * 3, set()),
        # The same line at different places is not a template line.
        ([["甲", "某某"], ["某某", "甲", "乙", "丙"], ["丙", "乙", "某某", "甲", "丁"]], set()),
    ],
)
def test_site_lines(pages, site):
    assert cleaning.site_lines("\n".join(page) for page in pages) == site


def _plain_traditional_share(text: str) -> float:
    hanzi = "".join(c for c in text if "\u4e00" <= c <= "\u9fff")[:20000]
    converted = cleaning.to_simplified(hanzi)
    return sum(a != b for a, b in zip(hanzi, converted)) / len(hanzi) if hanzi else 0.0


@pytest.mark.parametrize("text", [
    "數字政府改革建設" * 5000,                       # more than the sample
    "a" * 100_000 + "數字政府改革建設，政務服務。" * 10,  # Chinese only far in: read on
    "ok " * 10 + "数字政府",
    "no Chinese at all",
    "",
])
def test_traditional_share_reads_the_first_sample_of_chinese(text):
    assert cleaning.traditional_share(text) == _plain_traditional_share(text)


# The fast forms equal the plain ones they replace (text built from the characters that matter).
_CHARS = "数据共享网办率一二 　\t0123456789０１２ＡＢａｂ％．.，。abc\u3400\uf900"
_TEXT = st.text(alphabet=st.sampled_from(list(_CHARS)) | st.characters(), max_size=60)


@given(_TEXT)
def test_normalize_width_equals_translate(text):
    import re

    table = str.maketrans(P.HALF_WIDTH)
    assert cleaning.normalize_width(text) == re.sub(r"(?<=\d)．(?=\d)", ".", text.translate(table))


@given(_TEXT)
def test_space_patterns_equal_the_lookbehind_first_forms(text):
    import re

    cjk = P.CJK
    between = re.compile(rf"(?<=[{cjk}]) +(?=[{cjk}])")
    digit = re.compile(rf"(?<=[{cjk}]) +(?=\d)|(?<=\d) +(?=[{cjk}])")
    assert P.SPACE_BETWEEN_CJK.sub("", text) == between.sub("", text)
    assert P.SPACE_CJK_DIGIT.sub("", text) == digit.sub("", text)


@given(_TEXT, _TEXT)
def test_changed_counts_like_the_plain_comparison(a, b):
    import operator

    from govanalysis.parse.cleaning import _changed

    assert _changed(a, b) == sum(map(operator.ne, a, b))


def test_detect_script_fast_path_equals_the_conversion(seeds_corpus):
    # Text with none of the characters t2s changes is decided without converting it; the
    # decision must be the one the converted share gives, on simplified and traditional text.
    import opencc

    from govanalysis.parse.cleaning import detect_script, traditional_share

    s2t = opencc.OpenCC("s2t")
    raw = list(seeds_corpus.docs["raw_text"].dropna())
    texts = [*raw, *(s2t.convert(t) for t in raw)]
    texts += ["政府工作報告", "云计算 乾隆 著作", "2024"]
    for text in texts:
        slow = "none" if not any("\u4e00" <= c <= "\u9fff" for c in text) else (
            "traditional" if traditional_share(text) >= 0.02 else "simplified")
        assert detect_script(text) == slow


@pytest.mark.parametrize("line", ["推进数据共享。", "推进数据共享。  ", "推进数据共享", "一、工作情况", "是否？\t", "",
                                  " ", "；", "Done!", "各位代表：", "好。\u3000", "好。\n"])
def test_ends_sentence_is_the_pattern(line):
    assert cleaning._ends_sentence(line) is bool(P.SENTENCE_END.search(line))


def test_other_space_holds_every_space_that_hspace_leaves():
    hspace = {c for c in map(chr, range(0x110000)) if P.HSPACE.fullmatch(c)}
    others = {c for c in map(chr, range(0x110000)) if c.isspace()} - hspace - {"\n"}
    assert others == {c for c in map(chr, range(0x110000)) if P.OTHER_SPACE.fullmatch(c)}


@given(_TEXT)
def test_strip_lines_equals_stripping_each_line(text):
    for case in (text, text.replace("a", "\n"), text.replace("a", " \n ")):
        joined = "\n".join(line.strip() for line in P.HSPACE.sub(" ", case).split("\n"))
        expected = (P.BLANK_LINES.sub("\n\n", joined)).strip()
        assert cleaning.strip_lines(case) == expected


@given(_TEXT)
def test_normalize_equals_the_five_steps_composed(text):
    for case in (text, text + "\r\n", "８．５" + text, "8．5" + text, "\u200b" + text):
        plain = cleaning.remove_cjk_spaces(cleaning.strip_lines(cleaning.normalize_width(
            cleaning.remove_zero_width(cleaning.normalize_newlines(case)))))
        assert cleaning.normalize(case) == plain


def test_layout_chars_hold_every_character_the_three_steps_change():
    steps = (cleaning.normalize_newlines, cleaning.remove_zero_width, cleaning.normalize_width)
    changed = {c for c in map(chr, range(0x110000)) if any(step(c) != c for step in steps)}
    assert changed and all(P.LAYOUT_CHARS.fullmatch(c) for c in changed)
