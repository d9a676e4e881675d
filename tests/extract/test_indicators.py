"""Indicators and policy terms: hand-checked real sentences -> expected rows."""

from pathlib import Path

import pandas as pd
import pytest

from govanalysis.extract.indicators import INDICATOR_COLUMNS, extract_indicators, indicators_in, metric_key
from govanalysis.extract.policy_terms import count_policy_terms, extract_policy_terms, normalize_term, terms_in

CASES = Path(__file__).parents[1] / "data" / "indicator_cases.tsv"


def load_cases():
    cases = []
    for line in CASES.read_text("utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        sentence, _, expected = line.partition("\t")
        rows = []
        for item in filter(None, expected.split(";")):
            raw, value, unit, key, qualifier, change = item.split("|")
            rows.append((raw, float(value), None if unit == "-" else unit, None if key == "-" else key,
                         None if qualifier == "-" else qualifier,
                         float(change[5:]) if change.startswith("from=") else None))
        cases.append(pytest.param(sentence, rows, id=sentence[:24]))
    return cases


CASE_LIST = load_cases()


def test_the_hand_checked_list_is_large_enough():
    assert len(CASE_LIST) >= 60
    assert sum(len(case.values[1]) for case in CASE_LIST) >= 100
    assert sum(not case.values[1] for case in CASE_LIST) >= 12  # negatives


@pytest.mark.parametrize("sentence, expected", CASE_LIST)
def test_sentence_claims(sentence, expected):
    got = [
        (r["raw"], r["value"], r["unit"], r["metric_key"], r["qualifier"], r["from_value"])
        for r in indicators_in(sentence)
    ]
    assert len(got) == len(expected), got
    for row, want in zip(got, expected):
        assert row[0] == want[0]
        assert row[1] == pytest.approx(want[1], rel=1e-12)
        assert row[2:] == want[2:]


@pytest.mark.parametrize(
    "metric, key",
    [("市本级依申请网办率", "online_service_rate"), ("全程网办率", "online_service_rate"),
     ("工单满意率", "satisfaction_rate"), ("好评率", "satisfaction_rate"),
     ("按时办结率", "on_time_rate"), ("按期办结率", "on_time_rate"),
     ("监管事项覆盖率", "coverage_rate"), ("设计概算资金", "funding"), ("排名全省", "ranking"),
     ("市本级依申请最多跑一次率", "onsite_once_rate"), ("党员志愿者", None), (None, None)],
)
def test_metric_key(metric, key):
    assert metric_key(metric) == key


def test_kind_follows_cues_and_role():
    paragraphs = pd.DataFrame([
        {"doc_id": "d", "section_id": "d_s1", "paragraph_id": "d_p1", "role": "achievements",
         "text": "网办率达87.15%。力争年底网办率不低于95%。"},
        {"doc_id": "d", "section_id": "d_s2", "paragraph_id": "d_p2", "role": "plans",
         "text": "推广使用电子健康码,实现发码率达到60%。"},
    ])
    table = extract_indicators(paragraphs)
    assert table.columns.tolist() == INDICATOR_COLUMNS
    assert table["kind"].tolist() == ["actual", "target", "target"]
    assert table["offset"].tolist() == [4, 21, 17]
    assert table.loc[1, "qualifier"] == "不低于"


def test_seed_expectations(seeds_corpus):
    table = extract_indicators(seeds_corpus.paragraphs)
    table["seed"] = table["doc_id"].str[:3]

    def has(seed, metric, value, unit, **more):
        rows = table[(table.seed == seed) & table.metric.fillna("").str.contains(metric)
                     & (table.value - value).abs().lt(1e-9) & (table.unit == unit)]
        for column, wanted in more.items():
            rows = rows[rows[column] == wanted]
        return len(rows) >= 1

    assert has("000", "网办率", 87.15, "%")
    assert has("000", "最多跑一次率", 98.79, "%")
    assert has("000", "工单满意率", 94.65, "%")
    assert has("001", "满意率", 99.99, "%")
    assert has("001", "好评率", 99.8, "%", qualifier="超过")
    assert has("002", "综合评分", 9.97, "分")
    assert has("002", "监管事项覆盖率", 55.62, "%")
    assert has("003", "设计概算资金", 75272300, "元")
    assert has("004", "发码率", 60, "%", kind="target")
    assert not table.raw.str.contains("12345").any()
    assert not table.raw.str.contains("年").any()
    assert not ((table.value >= 1990) & (table.value <= 2035) & table.unit.isna()).any()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("深化“最多跑一次”改革,推行“一网通办”。", [("最多跑一次", "最多跑一次", True), ("一网通办", "一网通办", True)]),
        ("推行粤省事”“粤商通码”扫码用证", [("粤省事", "粤省事", True), ("粤商通码", "粤商通码", True)]),
        ("用好「浙里办」和随申办", [("浙里办", "浙里办", True), ("随申办", "随申办", False)]),
        ("开展“放管服”改革工作", [("放管服", "放管服", True)]),
        ("推进“数字政府”建设", [("数字政府", "数字政府", True)]),
        ("“互联网+监管”平台录入数据", [("互联网+监管", "互联网+监管", True)]),
        ("没有任何术语的句子。", []),
    ],
)
def test_terms_in(text, expected):
    assert [(t["term"], t["term_norm"], t["quoted"]) for t in terms_in(text)] == expected


@pytest.mark.parametrize(
    "term, norm",
    [("“最多跑一次”改革", "最多跑一次"), ("一网通办", "一网通办"), ("数字政府建设", "数字政府"),
     ("好差评工作", "好差评"), ("改革", "改革"), (" “一窗通办”， ", "一窗通办")],
)
def test_normalize_term(term, norm):
    assert normalize_term(term) == norm


def test_policy_term_tables(seeds_corpus):
    terms = extract_policy_terms(seeds_corpus.paragraphs)
    counts = count_policy_terms(terms)
    assert set(terms.doc_id) <= set(seeds_corpus.docs.doc_id)
    assert counts.columns.tolist() == ["doc_id", "term_norm", "n_mentions", "n_quoted"]
    assert counts.n_mentions.sum() == len(terms)
    by_doc = counts.groupby("doc_id").term_norm.apply(set)
    assert "粤省事" in by_doc[by_doc.index.str.startswith("000")].iloc[0]
    assert "好差评" in set(counts.term_norm)


def load_audit():
    table = pd.read_csv(Path(__file__).parents[1] / "data" / "indicator_audit.tsv", sep="\t", comment="#", dtype=str,
                        keep_default_na=False)
    return table


def test_audit_findings_are_fixed():
    audit = load_audit()
    assert len(audit) >= 90
    for row in audit.itertuples():
        got = {r["raw"]: r for r in indicators_in(row.sentence)}
        verdict = row.judgment.split(":")[0]
        if verdict == "false_positive":
            assert row.raw not in got, row.sentence
        elif verdict in ("missed", "wrong_unit"):
            assert row.raw + row.unit in got or any(r["unit"] == row.unit and r["raw"].startswith(row.raw)
                                                    for r in got.values()), row.sentence
        else:
            assert row.raw in got, row.sentence


def test_cli_writes_indicator_tables(tmp_path, seeds_dir):
    from govanalysis.cli import main

    assert main(["indicators", str(seeds_dir), "--out", str(tmp_path), "--no-progress"]) == 0
    indicators = pd.read_csv(tmp_path / "indicators.csv")
    terms = pd.read_csv(tmp_path / "policy_terms.csv")
    assert indicators.columns.tolist() == INDICATOR_COLUMNS
    assert terms.columns.tolist()[:6] == ["doc_id", "section_id", "paragraph_id", "role", "term", "term_norm"]
    assert len(indicators) > 100 and len(terms) > 100
