"""Validation: coding sheets, scores against hand coding, agreement, suggestions, intrusion tests."""

import numpy as np
import pandas as pd
import pytest

import govanalysis as ga
from govanalysis.cli import main
from govanalysis.validate import _allocate

LEXICON = {"data_sharing": {"terms": ["数据共享", "共享平台"], "exclude": ["数据共享交易"]},
           "hotline": {"terms": ["12345", "热线"], "requires": {"热线": ["市民", "政务"]}}}


def sheet(rows):
    """A coded sheet from (text, data_sharing, hotline) rows; None = not coded."""
    table = pd.DataFrame(rows, columns=["text", "data_sharing", "hotline"])
    table.insert(0, "unit_id", [f"u{i}" for i in range(len(rows))])
    return table


@pytest.mark.parametrize(
    "sizes, n, expected",
    [({"a": 100, "b": 100}, 10, {"a": 5, "b": 5}),
     ({"a": 400, "b": 100}, 11, {"a": 7, "b": 4}),  # 1 each, then sqrt: 20 : 10 of 9
     ({"a": 1000, "b": 2}, 10, {"a": 9, "b": 1}),  # every stratum is coded
     ({"a": 3, "b": 2}, 10, {"a": 3, "b": 2}),  # n above the total: everything
     ({"a": 1, "b": 1, "c": 1}, 2, {"a": 1, "b": 1, "c": 0})],
)
def test_allocation(sizes, n, expected):
    assert _allocate(sizes, n) == expected


def test_sample_for_coding_is_a_seeded_stratified_sheet(seeds_corpus):
    first = ga.sample_for_coding(seeds_corpus.paragraphs, 40, random_state=3)
    again = ga.sample_for_coding(seeds_corpus.paragraphs, 40, random_state=3)
    other = ga.sample_for_coding(seeds_corpus.paragraphs, 40, random_state=4)
    pd.testing.assert_frame_equal(first, again)
    assert set(first["unit_id"]) != set(other["unit_id"])
    assert list(first.columns) == ["unit_id", "text", *ga.load_lexicon()]
    assert len(first) == 40 and first["unit_id"].is_unique and first.iloc[:, 2:].isna().all().all()
    assert first["text"].str.len().between(15, 600).all()
    hits = set(ga.theme_matches(seeds_corpus.paragraphs)["paragraph_id"])
    drawn_hits = first["unit_id"].isin(hits)
    assert drawn_hits.any() and (~drawn_hits).any()  # passages the lexicon misses are coded too
    roles = seeds_corpus.paragraphs.set_index("paragraph_id")["role"]
    assert first["unit_id"].map(roles).nunique() >= 3


@pytest.mark.parametrize("n", [0, -3, 2.5, "10", True])
def test_sample_for_coding_rejects_a_bad_n(seeds_corpus, n):
    with pytest.raises(ValueError, match="^n:"):
        ga.sample_for_coding(seeds_corpus.paragraphs, n)


def test_score_coding_counts_against_the_coding():
    coded = sheet([
        ("推进数据共享，建设共享平台。", 1, 0),          # tp data_sharing
        ("打击数据共享交易中的违法行为。", 0, 0),        # excluded: no fp
        ("建成政务数据共享平台。", 0, 0),                # fp data_sharing
        ("数据互通，打破信息壁垒。", 1, 0),              # fn data_sharing
        ("市民热线接通率99%。", 0, 1),                   # tp hotline
        ("热线电话已经开通。", 0, 1),                     # requires fails -> fn hotline
        ("12345受理诉求。", None, 1),                    # data_sharing not coded
    ])
    result = ga.score_coding(coded, LEXICON, n_boot=200)
    scores = result.scores.set_index("theme")
    assert scores.loc["data_sharing", ["n_units", "n_positive", "tp", "fp", "fn"]].tolist() == [6, 2, 1, 1, 1]
    assert scores.loc["hotline", ["n_units", "n_positive", "tp", "fp", "fn"]].tolist() == [7, 3, 2, 0, 1]
    assert scores.loc["data_sharing", "f1"] == pytest.approx(0.5)
    assert scores.loc["hotline", "precision"] == 1.0 and scores.loc["hotline", "recall"] == pytest.approx(2 / 3, 1e-3)
    assert scores.loc["macro", "f1"] == pytest.approx((0.5 + 0.8) / 2, 1e-3)
    for theme in ("data_sharing", "hotline", "macro"):
        assert scores.loc[theme, "f1_low"] <= scores.loc[theme, "f1"] <= scores.loc[theme, "f1_high"]
    errors = result.errors.set_index(["unit_id", "theme"])
    assert errors.loc[("u2", "data_sharing"), "error"] == "false_positive"
    assert errors.loc[("u2", "data_sharing"), "terms"] == "共享平台×1;数据共享×1" or "数据共享" in errors.loc[
        ("u2", "data_sharing"), "terms"]
    assert errors.loc[("u5", "hotline"), "error"] == "false_negative"
    pd.testing.assert_frame_equal(result.scores, ga.score_coding(coded, LEXICON, n_boot=200).scores)


@pytest.mark.parametrize(
    "change, message",
    [(lambda t: t.assign(foo=0), "unknown theme column"),
     (lambda t: t.assign(hotline=[2, 0, 0]), "column 'hotline', unit_id u0: code 2 is not 0, 1 or blank"),
     (lambda t: t.assign(hotline=["yes", 0, 0]), "code 'yes'"),
     (lambda t: t.assign(unit_id=["a", "a", "b"]), "duplicate unit_id a"),
     (lambda t: t.assign(data_sharing=None, hotline=None), "no coded rows"),
     (lambda t: t.drop(columns="text"), "no 'text' column")],
)
def test_bad_coding_sheets_are_named(change, message):
    good = sheet([("推进数据共享", 1, 0), ("市民热线", 0, 1), ("其他工作", 0, 0)])
    with pytest.raises(ga.CodingError, match=message):
        ga.score_coding(change(good.astype(object)), LEXICON)


def test_coder_agreement_matches_krippendorff_by_hand():
    a = sheet([("一", 1, 0), ("二", 1, 0), ("三", 0, 0), ("四", 0, 0)])
    b = sheet([("一", 1, 0), ("二", 0, 0), ("三", 0, 0), ("四", 0, 0)])
    table = ga.coder_agreement(a, b, LEXICON).set_index("theme")
    # nominal alpha: Do = 2/8, De = 2*5*3/(8*7) -> 1 - Do/De = 0.5333
    assert table.loc["data_sharing", "agreement"] == 0.75
    assert table.loc["data_sharing", "f1"] == pytest.approx(2 / 3, abs=1e-4)  # 1 shared of 2 and 1 positives
    assert np.isnan(table.loc["hotline", "f1"]) and table.loc["all", "f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert table.loc["data_sharing", "alpha"] == pytest.approx(1 - 0.25 / (30 / 56), abs=1e-4)
    assert np.isnan(table.loc["hotline", "alpha"]) and table.loc["hotline", "agreement"] == 1.0
    assert ga.coder_agreement(a, a, LEXICON).set_index("theme").loc["data_sharing", "alpha"] == 1.0


def test_suggest_terms_finds_the_missing_word_and_the_noisy_term():
    coded = sheet([("推进数据互通，实现数据互通。", 1, 0), ("部门数据互通共用。", 1, 0), ("数据互通机制建立。", 1, 0),
                   ("共享平台建设滞后，共享平台。", 0, 0), ("共享平台招商。", 0, 0), ("数据共享取得成效。", 1, 0),
                   ("交通建设。", 0, 0), ("农业发展。", 0, 0)])
    table = ga.suggest_terms(coded, lexicon=LEXICON)
    mine = table[table["theme"] == "data_sharing"]
    assert "互通" in set(mine.loc[mine["kind"] == "add", "term"]) or "数据互通" in set(
        mine.loc[mine["kind"] == "add", "term"])
    review = mine[mine["kind"] == "review"].set_index("term")
    assert review.loc["共享平台", "n_negative"] == 2 and review.loc["共享平台", "n_positive"] == 0
    assert not set(mine.loc[mine["kind"] == "add", "term"]) & set(LEXICON["data_sharing"]["terms"])


@pytest.fixture(scope="module")
def model(seeds_corpus):
    return ga.fit_topics(ga.tokenize(seeds_corpus.paragraphs), 6)


def test_word_intrusion_sheet_and_scoring(model):
    test = ga.word_intrusion(model, n_top=5, random_state=1)
    listed = model.topic_terms.groupby("topic")["term"].agg(set)
    assert len(test.sheet) == len(test.key) == model.k
    for row, key in zip(test.sheet.itertuples(index=False), test.key.itertuples(index=False)):
        words = [getattr(row, f"word_{i}") for i in range(1, 7)]
        assert key.intruder in words and key.intruder not in listed[key.topic]
    assert test.sheet["answer"].eq("").all() and "intruder" not in test.sheet
    answers = test.sheet.assign(answer=[k if i % 2 else "错" for i, k in enumerate(test.key["intruder"])])
    scored = ga.score_word_intrusion(answers, test.key)
    assert scored["correct"].tolist() == [i % 2 == 1 for i in range(model.k)]
    pd.testing.assert_frame_equal(test.sheet, ga.word_intrusion(model, n_top=5, random_state=1).sheet)


def test_topic_intrusion_sheet_and_log_odds(model, seeds_corpus):
    test = ga.topic_intrusion(model, seeds_corpus.paragraphs, n=6, random_state=2)
    weights = test.key[[f"option_{i}_weight" for i in range(1, 5)]].to_numpy()
    odd = weights[np.arange(len(weights)), test.key["intruder"].to_numpy() - 1]
    assert (odd[:, None] <= weights + 1e-12).all()  # the intruder is the unit's lightest option
    right = ga.score_topic_intrusion(test.sheet.assign(answer=test.key["intruder"]), test.key)
    assert right["correct"].all() and (right["topic_log_odds"] == 0).all()
    wrong = ga.score_topic_intrusion(test.sheet.assign(answer=test.key["intruder"] % 4 + 1), test.key)
    assert (~wrong["correct"]).all() and (wrong["topic_log_odds"] <= 0).all()


def test_cli_validate_round_trip(tmp_path, seeds_dir, capsys):
    assert main(["validate", "sample", str(seeds_dir), "--n", "12", "--out", str(tmp_path), "--no-progress"]) == 0
    coded = pd.read_csv(tmp_path / "coding_sheet.csv")
    assert (tmp_path / "coding_sheet.xlsx").exists() and len(coded) == 12
    coded.iloc[:, 2:] = 0
    coded.loc[coded["text"].str.contains("好差评|满意"), "evaluation"] = 1
    coded.to_csv(tmp_path / "coded.csv", index=False)
    assert main(["validate", "score", str(tmp_path / "coded.csv"), "--out", str(tmp_path)]) == 0
    scores = pd.read_csv(tmp_path / "validation_scores.csv")
    assert scores.columns.tolist() == list(ga.validate.SCORE_COLUMNS) and scores["theme"].iloc[-1] == "macro"
    assert (tmp_path / "validation_errors.csv").exists()
    assert main(["validate", "agreement", str(tmp_path / "coded.csv"), str(tmp_path / "coded.csv")]) == 0
    capsys.readouterr()
    coded.loc[0, "evaluation"] = 7
    coded.to_csv(tmp_path / "bad.csv", index=False)
    assert main(["validate", "score", str(tmp_path / "bad.csv"), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "column 'evaluation'" in err[0] and "code 7" in err[0]
