"""Structure: heading rules as input -> output tables, the section tree, roles."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govanalysis import _patterns as P
from govanalysis.parse import structure


@pytest.mark.parametrize(
    "line, expected",
    [
        ("一、2020年上半年工作情况", ("cn_comma", 1, "2020年上半年工作情况", "")),
        ("十二、保障措施", ("cn_comma", 12, "保障措施", "")),
        ("（一）发挥基层党组织战斗堡垒作用,共克时艰齐抗疫。",
         ("cn_paren", 1, "发挥基层党组织战斗堡垒作用,共克时艰齐抗疫", "")),
        ("(十一)积极构建智慧农业新模式。围绕“三农”信息化。",
         ("cn_paren", 11, "积极构建智慧农业新模式", "围绕“三农”信息化。")),
        ("（二）数据共享渠道受阻。全区多个单位业务系统使用上级垂直系统。",
         ("cn_paren", 2, "数据共享渠道受阻", "全区多个单位业务系统使用上级垂直系统。")),
        ("1.落实国家减税降费政策。落实情况:已落实。", ("arabic_dot", 1, "落实国家减税降费政策", "落实情况:已落实。")),
        ("2、推进政务服务标准化", ("arabic_dot", 2, "推进政务服务标准化", "")),
        ("3．持续优化营商环境", ("arabic_dot", 3, "持续优化营商环境", "")),
        ("（1）完善工作机制", ("arabic_paren", 1, "完善工作机制", "")),
        ("①推进一网通办", ("circled", 1, "推进一网通办", "")),
        ("第一部分 2024年工作回顾", ("part", 1, "2024年工作回顾", "")),
        ("第三章 保障措施", ("part", 3, "保障措施", "")),
        ("第二，强化数据共享。", ("cn_ordinal", 2, "强化数据共享", "")),
        # Not headings.
        ("2020年是数字政府改革建设攻坚之年。", None),
        ("1.5亿元用于数字政府建设。", None),
        ("12345热线受理群众诉求。", None),
        ("一二三四五六的工作思路", None),
        ("十四五时期数字政府建设", None),
        ("（一）" + "很长的编号段落" * 12 + "。", None),
    ],
)
def test_split_heading(line, expected):
    assert structure.split_heading(line) == expected


@pytest.mark.parametrize(
    "line, items",
    [
        ("一是统筹组织领导。内容甲。二是强化法治学习。内容乙。三是主要领导履职。",
         [(1, "一是统筹组织领导。内容甲。"), (2, "二是强化法治学习。内容乙。"), (3, "三是主要领导履职。")]),
        ("一是数据共享联通程度低。这是难点;二是平台整合不够。",
         [(1, "一是数据共享联通程度低。这是难点;"), (2, "二是平台整合不够。")]),
        ("工作中一是要加强领导。二是要强化保障。", []),
        ("这是一项长期任务。", []),
    ],
)
def test_split_enumeration(line, items):
    assert structure.split_enumeration(line) == items


def tree(text: str, genre: str | None = None) -> pd.DataFrame:
    sections, _ = structure.tabulate("d", structure.outline(text), genre)
    return pd.DataFrame(sections)


def test_depth_is_learned_and_skipped_numbers_are_tolerated():
    text = "\n".join([
        "今年以来，我局扎实推进各项工作。",
        "一、工作情况",
        "（一）推进一网通办",
        "1.事项梳理",
        "2.系统对接",
        "（四）深化数据共享",
        "（六）优化营商环境",
        "二、存在问题",
        "三、下一步工作计划",
    ])
    t = tree(text, "summary_and_plan")
    assert t["level"].tolist() == [0, 1, 2, 3, 3, 2, 2, 1, 1]
    assert t["number"].tolist()[1:] == [1, 1, 1, 2, 4, 6, 2, 3]
    parents = dict(zip(t["heading"].fillna(""), t["parent_id"]))
    assert parents["事项梳理"] == "d_s002"
    assert parents["深化数据共享"] == "d_s001"
    assert pd.isna(parents["存在问题"])
    assert t["role"].tolist() == ["preamble", "achievements", "achievements", "achievements",
                                  "achievements", "achievements", "achievements", "problems", "plans"]


def test_document_starting_at_a_lower_style_still_nests():
    t = tree("（一）推进一网通办\n1.事项梳理\n（二）存在问题\n1.数据共享难")
    assert t["level"].tolist() == [1, 2, 1, 2]
    assert t["role"].tolist() == ["other", "other", "problems", "problems"]


@pytest.mark.parametrize(
    "heading, role",
    [
        ("2021年推进法治政府建设主要举措和亮点成效", "achievements"),
        ("主要工作完成情况", "achievements"),
        ("工作亮点", "achievements"),
        ("2023年工作回顾", "achievements"),
        ("存在问题", "problems"),
        ("存在的主要问题", "problems"),
        ("存在主要问题和困难", "problems"),
        ("存在问题和下一步打算", "problems"),
        ("下步主要工作打算", "plans"),
        ("下半年工作安排", "plans"),
        ("2022年法治政府重点工作安排", "plans"),
        ("2025年工作总体要求", "plans"),
        ("保障措施", "safeguards"),
        ("以大数据助力打赢疫情防控阻击战", None),
    ],
)
def test_heading_role(heading, role):
    assert structure.heading_role(heading) == role


def test_sub_headings_refine_but_do_not_contradict_plans():
    text = "一、工作情况\n（一）推进改革\n（二）存在的不足\n二、下一步计划\n（一）补齐短板\n（二）加强考核"
    roles = tree(text, "summary_and_plan")["role"].tolist()
    assert roles == ["achievements", "achievements", "problems", "plans", "plans", "plans"]


def test_plan_only_document_is_plans_throughout():
    text = "2020年是攻坚之年。\n一、夯实基础\n（一）推进上云。(区政数局牵头)\n二、保障措施\n（一）加强宣传。"
    assert set(tree(text, "key_points")["role"]) == {"plans"}


def test_run_in_headings_and_enumerations_become_sections_with_paragraphs():
    text = "二、存在问题\n一是数据共享联通程度低。纵向已联通。二是平台整合不够。"
    sections, paragraphs = structure.tabulate("d", structure.outline(text), "summary")
    assert [s["heading"] for s in sections] == ["存在问题", "数据共享联通程度低", "平台整合不够"]
    assert [s["role"] for s in sections] == ["problems"] * 3
    assert [(p["kind"], p["text"]) for p in paragraphs] == [
        ("heading", "二、存在问题"), ("item", "一是数据共享联通程度低。纵向已联通。"), ("item", "二是平台整合不够。")]


@pytest.mark.parametrize(
    "text, rows",
    [
        # A heading line is a row of its own, its number kept, in document order.
        ("一、工作成效\n全面推行一网通办。", [("heading", "一、工作成效", "achievements"),
                                          ("body", "全面推行一网通办。", "achievements")]),
        # A run-in heading keeps its closing mark; the rest of the line is body.
        ("（一）政务服务数据共享难。部门数据回流慢。", [("heading", "（一）政务服务数据共享难。", "other"),
                                               ("body", "部门数据回流慢。", "other")]),
        # A heading with no paragraph under it is still text.
        ("二、存在问题\n（一）数据共享不充分\n三、下一步计划",
         [("heading", "二、存在问题", "problems"), ("heading", "（一）数据共享不充分", "problems"),
          ("heading", "三、下一步计划", "plans")]),
        # Text before the first heading is the preamble's body.
        ("今年以来，我局扎实推进改革。\n一、主要做法\n1.推进上云。",
         [("body", "今年以来，我局扎实推进改革。", "preamble"), ("heading", "一、主要做法", "achievements"),
          ("heading", "1.推进上云。", "achievements")]),
    ],
)
def test_paragraph_rows_cover_headings_in_order(text, rows):
    _, paragraphs = structure.tabulate("d", structure.outline(text), None)
    assert [(p["kind"], p["text"], p["role"]) for p in paragraphs] == rows
    assert "".join(p["text"] for p in paragraphs) == text.replace("\n", "")


def test_section_text_starts_with_its_heading_line():
    sections, _ = structure.tabulate("d", structure.outline("一、存在问题\n数据共享难。"), "summary")
    assert sections[-1]["text"] == "一、存在问题\n数据共享难。"


def test_missing_headings_and_empty_text():
    sections, paragraphs = structure.tabulate("d", structure.outline("只有一段正文，没有标题。"), "summary")
    assert [(s["level"], s["role"]) for s in sections] == [(0, "achievements")]
    assert len(paragraphs) == 1
    sections, paragraphs = structure.tabulate("d", structure.outline(""), None)
    assert len(sections) == 1 and paragraphs == []


def test_split_sentences_keeps_closing_quotes():
    paragraphs = pd.DataFrame([{"doc_id": "d", "section_id": "d_s000", "paragraph_id": "d_p0001",
                                "kind": "body", "role": "plans", "text": "推行“一网通办。”提升满意率；强化考核！"}])
    sentences = structure.split_sentences(paragraphs)
    assert sentences["text"].tolist() == ["推行“一网通办。”", "提升满意率；", "强化考核！"]
    assert sentences.columns.tolist() == structure.SENTENCE_COLUMNS


# The one-call forms equal the plain ones they replace (text built from the characters that matter).
_HEADING_CHARS = "一二三十百两〇第部分章节、.．，,（）() 12是。；：牵头负责配合市局)）\n"
_LINE = st.text(alphabet=st.sampled_from(list(_HEADING_CHARS)) | st.characters(blacklist_categories=("Cs",)),
                max_size=30)


@given(_LINE | st.one_of([st.from_regex(p.pattern) for _, p in P.HEADING_STYLES]))
def test_any_heading_style_matches_where_one_style_does(line):
    from govanalysis import _patterns as P

    assert bool(P.ANY_HEADING_STYLE.match(line)) == any(p.match(line) for _, p in P.HEADING_STYLES)


@given(st.lists(_LINE, min_size=1, max_size=6), st.sampled_from(["", "（市数据局牵头）", "(区政数局负责) \n", "）"]))
def test_lead_unit_share_equals_the_plain_count(paragraphs, ending):
    from govanalysis import _patterns as P

    paragraphs = [paragraphs[0] + ending, *paragraphs[1:]]
    sections = [structure._Section(0, 0, None, None, None, None, paragraphs=paragraphs)]
    plain = sum(bool(P.LEAD_UNIT.search(p)) for p in paragraphs) / len(paragraphs)
    assert structure.lead_unit_share(sections) == plain
    if ending.startswith(("（", "(")):
        assert plain > 0
