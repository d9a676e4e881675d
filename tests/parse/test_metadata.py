"""Metadata rules as input -> output tables."""

import pytest

from govanalysis.parse import metadata


@pytest.mark.parametrize(
    "text, expected",
    [
        ("来源:本网访问量:-发布时间:2021-02-03", ("2021-02-03", "2021-02-03")),
        ("发布日期：2024年3月7日 10:12", ("2024-03-07", "2024年3月7日")),
        ("2018/3/26 17:50", ("2018-03-26", "2018/3/26")),
        ("二〇二一年一月四日", ("2021-01-04", "二〇二一年一月四日")),
        ("2021-02-30", None),
        ("2018326", None),
        ("12345热线", None),
    ],
)
def test_find_date(text, expected):
    assert metadata.find_date(text) == expected


@pytest.mark.parametrize(
    "title, body, roles, lead, genre",
    [
        ("清远市政务服务数据管理局2020年上半年工作总结及下半年工作计划", "", set(), 0, "summary_and_plan"),
        ("广州市白云区政务服务数据管理局2021年法治政府建设年度报告", "", set(), 0, "rule_of_law_report"),
        ("静海区2023年度法治政府建设情况报告", "", set(), 0, "rule_of_law_report"),
        ("2020年工作情况总结", "", set(), 0, "summary"),
        ("市大数据局2022年上半年工作总结", "", set(), 0, "summary"),
        ("2023年全市数据资源和政务服务管理工作要点", "", set(), 0, "key_points"),
        ("吴川市政务服务数据管理局关于印发吴川市数字政府改革建设2021年工作要点的通知", "", set(), 0, "key_points"),
        ("安徽省人民政府办公厅关于印发工业互联网创新发展行动计划(2021—2023年)的通知", "", set(), 0, "policy_notice"),
        ("2025年云南省政府工作报告", "", set(), 0, "government_work_report"),
        ("重庆市人民政府关于数字重庆建设推进情况的报告", "", set(), 0, "summary"),
        (None, "各位代表：\n现在，我代表市人民政府向大会报告工作", set(), 0, "government_work_report"),
        (None, "2020年是数字政府改革建设攻坚之年。", {"safeguards"}, 0.6, "key_points"),
        (None, "2022年上半年，我局……", {"achievements", "problems", "plans"}, 0, "summary_and_plan"),
        (None, "今年以来……", {"achievements"}, 0, "summary"),
        (None, "……", {"plans"}, 0, "plan"),
        (None, "……", set(), 0, "other"),
        # Titles of common forms.
        ("某区数据局2022年工作总结和2023年工作思路", "", set(), 0, "summary_and_plan"),
        ("政务中心上半年工作总结范文和下半年工作计划", "", set(), 0, "summary_and_plan"),
        ("市大数据局2024年工作打算", "", set(), 0, "plan"),
        # No title: the body says what the document is.
        (None, "（2024年1月29日在某市第十四届人民代表大会第四次会议上）\n某市人民政府市长\n各位代表：", set(), 0,
         "government_work_report"),
        (None, "2023年是开局之年。", {"achievements", "plans"}, 0, "summary_and_plan"),
        (None, "2022年，市政务服务数据管理局深入学习贯彻习近平法治思想，全面贯彻落实法治政府建设实施纲要。", set(),
         0, "rule_of_law_report"),
        (None, "2023年，市大数据局将高效执行市委、市政府重大决策部署。", set(), 0, "plan"),
        (None, "2023年，市数据资源管理局在市委、市政府的正确领导下，推动工作再上新台阶。", set(), 0, "summary"),
    ],
)
def test_infer_genre(title, body, roles, lead, genre):
    assert metadata.infer_genre(title, body, roles, lead)[0] == genre


@pytest.mark.parametrize(
    "text, genre",
    [
        # The address to the congress, anywhere in the text, twice.
        ("2023年是开局之年。\n各位代表！我们要……\n请予审议。", "government_work_report"),
        # One cue and a review heading.
        ("2023年工作回顾\n……今年政府工作的总体要求是……", "government_work_report"),
        # Handling deputies' proposals is agency work, not an address to the congress.
        ("办理人大代表建议和政协委员提案145件。", "other"),
    ],
)
def test_government_work_report_from_body_cues(text, genre):
    assert metadata.infer_genre(None, text.split("\n")[0], set(), 0, text)[0] == genre


@pytest.mark.parametrize(
    "year, genre, title, period, expected",
    [
        (2012, "government_work_report", "2012年政府工作报告", "annual", (2011, 2012)),
        (2020, "summary_and_plan", "2020年上半年工作总结及下半年工作计划", "H1", (2020, 2020)),
        (2022, "summary_and_plan", "2022年工作总结和2023年工作思路", "annual", (2022, 2023)),
        (2020, "summary_and_plan", "年度工作总结及2021年工作计划", "annual", (2020, 2021)),
        (2021, "key_points", "2021年工作要点", "annual", (None, 2021)),
        (2021, "rule_of_law_report", "2021年法治政府建设年度报告", "annual", (2021, None)),
        (2020, "summary", "2020年上半年工作总结", "H1", (2020, None)),
        (2021, "plan", "行动计划(2021—2023年)", "multi_year", (None, None)),
        (2022, "policy_notice", "关于印发《2022年考评办法》的通知", None, (None, None)),
        (None, "summary", None, None, (None, None)),
    ],
)
def test_review_and_plan_years(year, genre, title, period, expected):
    assert metadata.review_plan_years(year, genre, title, period) == expected


@pytest.mark.parametrize(
    "lines, title, body_starts",
    [
        # A title followed by flattened table residue.
        (["某市数据局2023年工作总结 | ||||", "2023年，我局扎实推进各项工作，取得明显成效。"],
         "某市数据局2023年工作总结", None),
        # A title run into the first body line, page marker and all.
        (["第1页共2页政务中心上半年度工作总结和下半年度安排2023年,县政务服务中心围绕工作主题,各项工作取得了明显成效。"],
         "政务中心上半年度工作总结和下半年度安排", "2023年,县政务服务中心"),
        # A body line that merely mentions a summary is not a run-in title.
        (["我局认真总结经验,扎实推进各项改革,取得了明显成效,群众满意度持续提升,各项工作稳步推进。"], None, None),
    ],
)
def test_layout_title_forms(lines, title, body_starts):
    from govanalysis.parse.corpus import parse_text

    layout = metadata.find_layout("\n".join(lines))
    assert layout.title == title
    if body_starts:
        assert parse_text("d", "\n".join(lines))["text"].startswith(body_starts)


def test_parenthesised_delivery_line_dates_a_government_work_report():
    from govanalysis.parse.corpus import parse_text

    text = ("（2024年1月29日在某市第十四届人民代表大会第四次会议上）\n各位代表：\n"
            "现在，我代表市人民政府向大会报告工作，请予审议。\n一、2023年工作回顾\n过去一年，我们砥砺前行。")
    meta = parse_text("d", text)["meta"]
    assert (meta["genre"], meta["published"], meta["year"], meta["review_year"], meta["plan_year"]) == (
        "government_work_report", "2024-01-29", 2024, 2023, 2024)


@pytest.mark.parametrize(
    "title, genre, expected",
    [
        ("清远市政务服务数据管理局2020年上半年工作总结及下半年工作计划", "summary_and_plan", (2020, "H1")),
        ("市大数据局2022年下半年工作计划", "plan", (2022, "H2")),
        ("深圳市政务服务和数据管理局2024年工作总结和2025年工作计划", "summary_and_plan", (2024, "annual")),
        ("政务服务数据管理局年度工作总结及2021年工作计划", "summary_and_plan", (2020, "annual")),
        ("河源市数字政府改革建设2021年工作要点", "key_points", (2021, "annual")),
        ("工业互联网创新发展行动计划(2021—2023年)", "plan", (2021, "multi_year")),
        ("“十四五”时期数字政府建设规划", "plan", (None, "multi_year")),
        ("政务中心上半年度工作总结", "summary", (None, None)),
        ("市大数据局2022年工作总结和2023年工作思路", "summary_and_plan", (2022, "annual")),
    ],
)
def test_year_and_period_from_title(title, genre, expected):
    year, period, _ = metadata._year_period(title, genre)
    assert (year, period) == expected


def test_layout_finds_title_header_banner_and_signature():
    text = "\n".join([
        "清远市政务服务数据管理局",
        "落实情况公开",
        "清远市政务服务数据管理局2020年上半年工作总结及下半年工作计划",
        "来源:本网访问量:-发布时间:2021-02-03",
        "今年以来,市政务服务数据管理局在市委、市政府的正确领导下,统筹做好疫情防控和经济社会发展工作,取得了一定成效,有关情况如下:",
        "一、工作情况",
        "正文。",
        "某市某区政务服务数据管理局",
    ])
    layout = metadata.find_layout(text)
    assert layout.title == "清远市政务服务数据管理局2020年上半年工作总结及下半年工作计划"
    assert layout.banner == "清远市政务服务数据管理局"
    assert layout.header == ["来源:本网访问量:-发布时间:2021-02-03"]
    assert layout.signature == ["某市某区政务服务数据管理局"]


def test_labelled_title_is_stripped():
    layout = metadata.find_layout("标题: 厦门市数据管理局2024年工作总结和2025年工作计划\n"
                                  "正文开始了，这是一段很长的正文。")
    assert layout.title == "厦门市数据管理局2024年工作总结和2025年工作计划"
