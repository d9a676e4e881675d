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


# The grammar, class by class (issue 13): text -> (raw, value, unit, qualifier, from_value) rows.
GRAMMAR = {
    "unit after a scale": [
        ("吸引外资500亿美元", [("500亿美元", 5e10, "美元", None, None)]),
        ("交付无人机3万架", [("3万架", 3e4, "架", None, None)]),
        ("吸引12.5万青年来此就业", [("12.5万", 1.25e5, "人", None, None)]),
        ("惠及近百万群众", [("百万", 1e6, "人", "近", None)]),
        ("带动3亿多农村人口脱贫", [("3亿多", 3e8, "人", "多", None)]),
        ("算力规模达2.2万P", [("2.2万P", 2.2e4, "P", "达", None)]),
    ],
    "scale without digits": [
        ("形成近千亿元产业集群", [("千亿元", 1e11, "元", "近", None)]),
        ("打造超万亿元产业", [("万亿元", 1e12, "元", "超", None)]),
        ("服务百万人次", [("百万人次", 1e6, "人次", None, None)]),
        ("培育两万亿级产业", [("两万亿", 2e12, None, None, None)]),
        ("千万不能松懈", []),
    ],
    "rate units": [
        ("最低工资标准提高到645元/月", [("645元/月", 645, "元/月", "提高到", None)]),
        ("城乡居民人均可支配收入4318元", [("4318元", 4318, "元/人", None, None)]),
        ("PM2.5平均浓度每立方米29微克", [("29微克", 29, "微克/立方米", None, None)]),
        ("细颗粒物浓度降至29微克/立方米", [("29微克/立方米", 29, "微克/立方米", None, None)]),
        ("平均电价下降1分/千瓦时", [("1分/千瓦时", 1, "分/千瓦时", None, None)]),
    ],
    "changes": [
        ("企业数分别从120家、80家增加到150家、95家", [("150家", 150, "家", None, 120), ("95家", 95, "家", None, 80)]),
        ("排名从全国第11位跃升至第4位", [("第4位", 4, "位", None, 11)]),
        ("网办率由86.52%提升至95.47%", [("95.47%", 95.47, "%", None, 86.52)]),
        ("时限由平均缩短64%上升到81%", [("81%", 81, "%", None, 64)]),
        ("规模由120万元增加到150万元", [("150万元", 1.5e6, "元", None, 1.2e6)]),
        ("企业从2019年的30家增加到50家", [("50家", 50, "家", None, 30)]),
        ("覆盖人数由年初的400多万人扩大到年末的1120多万人", [("1120多万人", 1.12e7, "人", "多", 4e6)]),
        ("发电量：从七十二亿六千万度增加到一百五十九亿度", [("一百五十九亿度", 1.59e10, "度", None, 7.26e9)]),
    ],
    "ranks": [
        ("考核排名全省第5名", [("第5名", 5, "位", None, None)]),
        ("营商环境评价位居全国第三个", [("第三个", 3, "位", None, None)]),
        ("金牌数全国地级市第1", [("第1", 1, "位", None, None)]),
        ("综合排名位居全省首位", [("首位", 1, "位", None, None)]),
        ("连续进入全国前10强", [("前10强", 10, "位", "前", None)]),
        ("成为广西第3个高速公路里程突破千公里的设区市", [("第3个", 3, "位", None, None)]),
        ("实现第一个百年奋斗目标", []),
        ("召开第二十二届博览会", []),
    ],
    "Chinese numerals": [
        ("开展两次专项检查", [("两次", 2, "次", None, None)]),
        ("整合四个市级系统", [("四个", 4, "个", None, None)]),
        ("实现半天办结", [("半天", 0.5, "天", None, None)]),
        ("缩短至半个小时", [("半个小时", 0.5, "小时", None, None)]),
        ("交易额增长两倍", [("两倍", 2, "倍", None, None)]),
        ("完成率超八成", [("八成", 80, "%", "超", None)]),
        ("占总数的百分之十七", [("百分之十七", 17, "%", None, None)]),
        ("历时两年建成平台", [("两年", 2, "年", None, None)]),
        ("达到一九五○年的一点八倍", [("一点八倍", 1.8, "倍", None, None)]),
        ("共有高等学校二百○八所", [("二百○八所", 208, "所", None, None)]),
        ("只在三分之一左右的农户中实现", [("三分之一", 1 / 3, "fraction", "左右", None)]),
        ("必须十分注意", []),
        ("增强“四个意识”、做到两个维护", []),
        ("建成一个平台、一批项目", []),
        ("党的二十大和十九届五次全会精神", []),
        ("人大二次会议确定的目标", []),
    ],
    "large and compound scales": [
        ("建设百亿亿次超算", [("百亿亿次", 1e18, "次", None, None)]),
        ("原煤产量拟定为一亿五千零七十二万四千吨", [("一亿五千零七十二万四千吨", 150724000, "吨", None, None)]),
        ("汇聚8500万江苏人民的力量", [("8500万", 8.5e7, "人", None, None)]),
        ("铁路铺轨1，222公里", [("1，222公里", 1222, "公里", None, None)]),
        ("办件4000多万件", [("4000多万件", 4e7, "件", "多", None)]),
        ("营收50亿—100亿元企业", [("50亿—100亿元", 1e10, "元", "range", None)]),
        ("支出1，967，849，000元", [("1，967，849，000元", 1967849000, "元", None, None)]),
    ],
    "not claims": [
        ("提供7×24小时在线服务", []),
        ("出台《数字政府建设三年行动计划（2021-2023年）》", []),
        ("拨打12345热线反映", []),
        ("全省5G基站", []),
    ],
    "reported speech keeps its numbers": [
        ("他说：“截至11月底，全市总评价量898万条。其中，主动评价量897万条。”",
         [("898万条", 8.98e6, "条", None, None), ("897万条", 8.97e6, "条", None, None)]),
    ],
}


@pytest.mark.parametrize(
    "text, expected", [pytest.param(t, e, id=f"{cls}: {t[:14]}") for cls, cases in GRAMMAR.items() for t, e in cases])
def test_grammar(text, expected):
    got = [(r["raw"], r["value"], r["unit"], r["qualifier"], r["from_value"]) for r in indicators_in(text)]
    assert [row[0] for row in got] == [row[0] for row in expected], got
    for row, want in zip(got, expected):
        assert row[1] == pytest.approx(want[1], rel=1e-12)
        assert row[2:] == want[2:], row


@pytest.mark.parametrize(
    "text, role, kind",
    [
        ("网办率达87.15%。", "achievements", "actual"),
        ("超额完成“双倍增”目标，新增企业26家。", "achievements", "actual"),  # 目标 as a noun of the review
        ("争取中央资金95亿元。", "achievements", "actual"),  # 争取 = obtained
        ("制定调研计划6个。", "achievements", "actual"),
        ("将23项职权事项下放。", "other", "actual"),  # 将 + number: the object marker
        ("预计全年增长5%左右。", "achievements", "target"),
        ("调控目标定为8%。", "achievements", "target"),
        ("力争网办率不低于95%。", "achievements", "target"),
        ("确保好评率达到99%以上。", "other", "target"),
        ("网办率达87.15%。", "plans", "target"),
        ("目前教育经费支出已经超过2万亿元，今后还要继续增加。", "plans", "actual"),
        ("今年拟安排500亿元设立调节基金。", "achievements", "target"),
        ("新建5G基站1000个。", "plans", "target"),
    ],
)
def test_kind(text, role, kind):
    paragraphs = pd.DataFrame([{"doc_id": "d", "section_id": "d_s1", "paragraph_id": "d_p1", "role": role,
                                "text": text}])
    assert extract_indicators(paragraphs)["kind"].tolist() == [kind]


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
    assert not table[table.unit != "年"].raw.str.contains("年").any()  # 连续两年 is a span, 2021年 no claim
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

