"""Weighted log-odds on a constructed example with a known answer; similarity."""

import numpy as np
import pandas as pd
import pytest

from govanalysis.text.compare import distinctive_terms, log_odds, similarity


def tokens_from(counts: dict[str, dict[str, int]]) -> pd.DataFrame:
    rows = [{"doc_id": doc, "token": term} for doc, terms in counts.items() for term, n in terms.items()
            for _ in range(n)]
    return pd.DataFrame(rows)


def test_log_odds_matches_the_formula():
    tokens = tokens_from({"a": {"共享": 30, "考核": 10}, "b": {"共享": 10, "考核": 30}})
    table = log_odds(tokens).set_index(["doc_id", "term"])
    # By hand: n=80, prior α0=80, α_w = 40 for both terms; group a vs b for 共享:
    # ω_a = log((30+40)/(40+80-30-40)) = log(70/50); ω_b = log((10+40)/(40+80-10-40)) = log(50/70)
    delta = np.log(70 / 50) - np.log(50 / 70)
    z = delta / np.sqrt(1 / 70 + 1 / 50)
    assert table.loc[("a", "共享"), "log_odds"] == pytest.approx(delta, abs=1e-7)
    assert table.loc[("a", "共享"), "z"] == pytest.approx(z, abs=1e-7)
    assert table.loc[("b", "共享"), "z"] == pytest.approx(-z, abs=1e-7)


def test_equal_use_is_not_distinctive_and_exclusive_use_is():
    tokens = tokens_from({"a": {"数据": 20, "热线": 12}, "b": {"数据": 20, "云": 12}})
    table = log_odds(tokens).set_index(["doc_id", "term"])
    assert table.loc[("a", "数据"), "z"] == pytest.approx(0, abs=1e-9)
    assert table.loc[("a", "热线"), "z"] > 2
    top = distinctive_terms(tokens, n=1)
    assert top.set_index("doc_id").term.to_dict() == {"a": "热线", "b": "云"}


def test_prior_shrinks_rare_terms():
    tokens = tokens_from({"a": {"罕见": 1, "常见": 50}, "b": {"常见": 51, "其他": 40}})
    weak = log_odds(tokens, prior_strength=1).set_index(["doc_id", "term"]).loc[("a", "罕见"), "z"]
    strong = log_odds(tokens, prior_strength=1000).set_index(["doc_id", "term"]).loc[("a", "罕见"), "z"]
    assert abs(strong) < abs(weak)


def test_similarity_is_a_symmetric_unit_diagonal_table():
    tokens = tokens_from({"a": {"共享": 3, "云": 1}, "b": {"共享": 3, "云": 1}, "c": {"热线": 2}})
    table = similarity(tokens)
    matrix = table.pivot(index="doc_id_a", columns="doc_id_b", values="cosine")
    assert np.allclose(np.diag(matrix), 1)
    assert np.allclose(matrix, matrix.T)
    assert matrix.loc["a", "b"] == pytest.approx(1) and matrix.loc["a", "c"] == pytest.approx(0)


def test_the_by_column_keeps_its_name():
    tokens = tokens_from({"a": {"共享": 3, "云": 1}, "b": {"热线": 2}}).assign(role="plans")
    assert log_odds(tokens, by="role").columns.tolist() == ["role", "term", "count", "log_odds", "z"]
    assert distinctive_terms(tokens, by="doc_id", n=1).doc_id.tolist() == ["a", "b"]
    assert similarity(tokens, by="role").columns.tolist() == ["role_a", "role_b", "cosine"]
