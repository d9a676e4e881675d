"""Themes on hand-made paragraphs, and the seeds' data-sharing problems."""

import pandas as pd
import pytest

from govanalysis.text.themes import THEME_SCORE_COLUMNS, load_lexicon, score_themes, theme_hits, theme_matches
from govanalysis.text.tokens import tokenize

PARAGRAPHS = pd.DataFrame([
    {"doc_id": "a", "section_id": "a_s1", "paragraph_id": "a_p1", "role": "problems",
     "text": "数据共享渠道受阻，信息孤岛仍然存在，数据共享交换不畅。"},
    {"doc_id": "a", "section_id": "a_s1", "paragraph_id": "a_p2", "role": "problems",
     "text": "基层人员不足。"},
    {"doc_id": "a", "section_id": "a_s2", "paragraph_id": "a_p3", "role": "plans",
     "text": "推行一窗通办和好差评，提升满意率。"},
])
LEXICON = {"data_sharing": ["数据共享", "信息孤岛", "数据共享交换"], "evaluation": ["好差评", "满意率"],
           "one_window": ["一窗通办"]}


def test_theme_hits_longest_match_first():
    hits = theme_hits(PARAGRAPHS, LEXICON)
    row = hits[(hits.paragraph_id == "a_p1") & (hits.theme == "data_sharing")].iloc[0]
    assert row.hits == 3
    assert row.terms == "信息孤岛×1;数据共享×1;数据共享交换×1"
    assert set(hits.paragraph_id) == {"a_p1", "a_p3"}


def test_score_themes_per_document_and_role():
    tokens = pd.DataFrame({"paragraph_id": ["a_p1"] * 8 + ["a_p2"] * 2 + ["a_p3"] * 5, "doc_id": "a",
                           "role": ["problems"] * 10 + ["plans"] * 5, "token": "x"})
    scores = score_themes(PARAGRAPHS, tokens, LEXICON)
    assert scores.columns.tolist() == THEME_SCORE_COLUMNS
    assert len(scores) == 2 * 3  # every role x theme, zeros included
    problems = scores.set_index(["role", "theme"]).loc["problems"]
    assert problems.loc["data_sharing", "hits"] == 3
    assert problems.loc["data_sharing", "per_1k_tokens"] == 300.0
    assert problems.loc["data_sharing", "share_paragraphs"] == 0.5
    assert problems.loc["evaluation", "hits"] == 0
    plans = scores.set_index(["role", "theme"]).loc["plans"]
    assert plans.loc["evaluation", "hits"] == 2 and plans.loc["evaluation", "per_1k_tokens"] == 400.0


def test_user_lexicon_from_toml(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('hotline = ["12345", "热线"]\n', encoding="utf-8")
    assert load_lexicon(path) == {"hotline": ["12345", "热线"]}
    with pytest.raises(ValueError, match="without terms"):
        load_lexicon({"empty": []})


def test_package_lexicon_has_the_required_themes():
    themes = set(load_lexicon())
    assert {"data_sharing", "one_window", "online_service", "evaluation", "hotline_12345", "e_certificates",
            "infrastructure", "epidemic", "business_environment", "supervision", "public_resource_trading",
            "transparency", "rule_of_law", "talent", "security"} <= themes


def test_seed_reports_name_data_sharing_as_a_problem(seeds_corpus):
    scores = score_themes(seeds_corpus.paragraphs, tokenize(seeds_corpus.paragraphs))
    problems = scores[(scores.role == "problems") & (scores.theme == "data_sharing") & (scores.hits > 0)]
    assert problems.doc_id.nunique() >= 3


def test_theme_matches_are_the_long_table_behind_the_hits(seeds_corpus):
    from govanalysis.text.themes import MATCH_COLUMNS, theme_matches

    matches = theme_matches(seeds_corpus.paragraphs)
    assert matches.columns.tolist() == MATCH_COLUMNS
    assert (matches["n"] >= 1).all()
    assert not matches.duplicated(["paragraph_id", "theme", "term"]).any()
    hits = theme_hits(seeds_corpus.paragraphs)
    summed = matches.groupby(["paragraph_id", "theme"], sort=False)["n"].sum()
    assert summed.tolist() == hits["hits"].tolist()
    # A heading row is matched like any other paragraph.
    headings = seeds_corpus.paragraphs.query("kind == 'heading'").paragraph_id
    assert matches.paragraph_id.isin(headings).any()


@pytest.mark.parametrize(
    "text, theme, found",
    [
        ("全面推行“双盲”评审，评标专家随机抽取。", "public_resource_trading", True),  # quotes inside a term
        ("按照“123456”总体思路推进工作。", "hotline_12345", False),  # 12345 inside a longer number
        ("12345热线接通率98%。", "hotline_12345", True),
        ("依法平等保护民营企业合法权益。", "security", False),  # 等保 inside 平等保护
        ("落实网络安全等级保护制度，开展等保测评。", "security", True),
        ("在保证数据安全的前提下引入社会资本。", "security", False),  # a precondition, not the subject
        ("加强教师人才队伍建设。", "talent", False),
        ("部分公职人员依法行政能力有待增强。", "talent", True),
        ("部分公务人员专业化能力不足，需加强培训。", "talent", True),
        ("这是考验广大干部能力作风的目标。", "talent", False),
        ("建设就业一体化信息平台、零工平台。", "infrastructure", False),  # a sector platform
        ("推动部门信息系统整合迁移上云。", "infrastructure", True),
        ("推进新型基础设施等重点领域项目。", "infrastructure", False),
        ("视频专网覆盖全区，政务网延伸到社区。", "infrastructure", True),
        ("规范政府门户网站和政务网站管理。", "infrastructure", False),
        ("打好惠企政策组合拳，减免税费3亿元。", "business_environment", False),  # subsidies alone
        ("推动惠企政策免申即享、直达快享。", "business_environment", True),
        ("及时回应企业呼声、解决企业诉求。", "hotline_12345", False),
        ("严格食品药品安全监管。", "supervision", True),
        ("建设政务新媒体监管平台。", "supervision", False),
        ("规范涉企执法，压减涉企检查频次。", "supervision", True),
        ("规范涉企执法，压减涉企检查频次。", "business_environment", False),
        ("全面落实市场准入、公平执法、权益保护等举措。", "supervision", False),
        ("落实项目绩效综合评价机制。", "evaluation", False),  # project performance, not government work
        ("全国工商联营商环境评价全省第二。", "evaluation", False),  # a placement is an honour
        ("落实季度“赛马”考评机制。", "evaluation", True),
        ("开展退役军人线上线下专场招聘。", "online_service", False),
        ("推动政务服务线上线下深度融合。", "online_service", True),
        ("组建服务队伍，实行一站式帮办代办服务。", "talent", True),
    ],
)
def test_package_lexicon_context_rules(text, theme, found):
    paragraphs = pd.DataFrame({"doc_id": ["d"], "section_id": ["s"], "paragraph_id": ["p"], "role": ["body"],
                               "text": [text]})
    from govanalysis.text.themes import theme_matches

    matches = theme_matches(paragraphs)
    assert (theme in set(matches["theme"])) is found, matches.to_dict("records")


def test_term_matcher_equals_the_longest_first_alternation(seeds_corpus):
    # The one Aho-Corasick scan must give each theme what the regular expression of its
    # terms sorted longest first finds: the same spans, left to right, without overlap.
    import re

    from govanalysis.text.themes import _Matcher, load_theme_rules

    rules = load_theme_rules()
    matcher = _Matcher(rules)
    texts = [*seeds_corpus.paragraphs["text"], "一网通办一网统管政务服务一网通办", "数据共享共享平台"]
    patterns = [re.compile("|".join(re.escape(t) for t in rules[theme]["terms"])) for theme in matcher.themes]
    for text in texts:
        spans = matcher.spans(text)
        for index, pattern in enumerate(patterns):
            assert spans.get(index, []) == [m.span() for m in pattern.finditer(text)]


def test_joined_terms_equal_the_groupby_join(seeds_corpus):
    from govanalysis.text.themes import _joined_terms

    matches = theme_matches(seeds_corpus.paragraphs)
    by = ["doc_id", "role", "theme"]
    per_term = matches.groupby([*by, "term"], sort=False)["n"].sum().reset_index()
    per_term = per_term.sort_values(["n", "term"], ascending=[False, True], kind="stable")
    items = per_term["term"] + "×" + per_term["n"].astype(str)
    plain = items.groupby([per_term[c] for c in by], sort=False).agg(";".join).rename("terms")
    assert len(plain) > 20
    pd.testing.assert_series_equal(_joined_terms(per_term, by), plain)


def _frames_of_every_kind(seeds_corpus):
    import io

    csv = "doc_id,section_id,paragraph_id,role,text\nd1,1,p1,plans,数据共享平台建设。\nd1,,p2,,营商环境持续优化。\n"
    yield seeds_corpus.paragraphs
    yield seeds_corpus.paragraphs.astype({"role": "category"})
    yield pd.read_csv(io.StringIO(csv))
    yield pd.read_csv(io.StringIO(csv), dtype=str)
    yield pd.read_csv(io.StringIO(csv), dtype="string")
    yield pd.read_csv(io.StringIO(csv), dtype_backend="numpy_nullable")
    yield pd.read_csv(io.StringIO(csv)).astype({"role": "category"})


def test_records_equal_to_dict_records(seeds_corpus):
    from govanalysis.text.themes import _records

    columns = ["doc_id", "section_id", "paragraph_id", "role", "text"]
    for frame in _frames_of_every_kind(seeds_corpus):
        got, expected = _records(frame, columns), frame[columns].to_dict("records")
        assert len(got) == len(expected) and repr(got) == repr(expected)
        assert theme_matches(frame.head(40)).equals(theme_matches(frame.head(40).astype(object)))
