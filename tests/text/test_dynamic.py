"""Dynamic topics: tables, planted drift recovered, determinism, bad input named."""

import numpy as np
import pandas as pd
import pytest
from threadpoolctl import threadpool_limits

from govanalysis.text.dynamic import dynamic_topics

WORDS = {"farm": ["粮食", "农业", "农村", "耕地", "水利", "化肥"],
         "steel": ["钢铁", "工业", "煤炭", "机械", "电力", "矿山"],
         "digital": ["数据", "网络", "平台", "数字", "互联网", "算法"]}


def _corpus(seed=0):
    """Ten documents 2000-2009; farm and steel early, steel and digital late."""
    rng = np.random.default_rng(seed)
    rows, docs = [], []
    for year in range(2000, 2010):
        doc = f"d{year}"
        docs.append({"doc_id": doc, "year": year})
        themes = ["farm", "steel"] if year < 2005 else ["steel", "digital"]
        for p in range(8):
            words = WORDS[themes[p % 2]]
            for token in rng.choice(words, size=12):
                rows.append({"doc_id": doc, "paragraph_id": f"{doc}-{p}", "token": token})
    return pd.DataFrame(rows), pd.DataFrame(docs)


@pytest.fixture(scope="module")
def model():
    tokens, docs = _corpus()
    return dynamic_topics(tokens, docs=docs, window=5, k=3, window_k=2, n_window_terms=6)


def test_tables_contract(model):
    assert model.windows[["window", "start", "end", "n_docs", "k"]].values.tolist() == [
        ["2000-2004", 2000, 2004, 5, 2], ["2005-2009", 2005, 2009, 5, 2]]
    assert model.window_topics.columns.tolist() == ["window", "window_topic", "term", "weight", "rank"]
    assert model.topic_terms.columns.tolist() == ["topic", "term", "weight", "rank"]
    assert model.links.columns.tolist() == ["window", "window_topic", "topic", "weight"]
    assert model.prevalence.columns.tolist() == ["window", "topic", "weight"]
    assert len(model.links) == 4 * 3
    assert np.allclose(model.links.groupby(["window", "window_topic"])["weight"].sum(), 1)
    assert np.allclose(model.doc_topics.groupby("doc_id")["weight"].sum(), 1)
    assert np.allclose(model.prevalence.groupby("window")["weight"].sum(), 1)


def test_planted_topics_and_their_drift(model):
    top = model.topic_terms.query("rank <= 3").groupby("topic")["term"].agg(set)
    theme_of = {t: next(name for name, words in WORDS.items() if set(terms) <= set(words))
                for t, terms in top.items()}
    assert sorted(theme_of.values()) == ["digital", "farm", "steel"]
    prevalence = model.prevalence.assign(theme=model.prevalence.topic.map(theme_of)).pivot(
        index="window", columns="theme", values="weight")
    assert prevalence.loc["2000-2004", "farm"] > 0.4 and prevalence.loc["2005-2009", "farm"] < 0.05
    assert prevalence.loc["2005-2009", "digital"] > 0.4 and prevalence.loc["2000-2004", "digital"] < 0.05


def test_same_result_at_any_thread_count_and_n_jobs():
    tokens, docs = _corpus()
    with threadpool_limits(limits=1):
        one = dynamic_topics(tokens, docs=docs, window=5, k=None, ks=range(2, 5), window_ks=range(2, 4), n_runs=3)
    with threadpool_limits(limits=2):
        two = dynamic_topics(tokens, docs=docs, window=5, k=None, ks=range(2, 5), window_ks=range(2, 4), n_runs=3,
                             n_jobs=2)
    for name in ("windows", "window_topics", "topic_terms", "links", "doc_topics", "prevalence",
                 "window_selection", "selection"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(two, name))
    assert set(one.windows.k_chosen_by) == {"stability"}


def test_missing_or_non_numeric_years_are_named():
    tokens, docs = _corpus()
    docs = docs.astype({"year": object})
    docs.loc[docs.doc_id == "d2003", "year"] = None
    docs.loc[docs.doc_id == "d2004", "year"] = "二〇〇四"
    with pytest.raises(ValueError, match=r"2 documents have a missing or non-numeric 'year': d2003 \(missing\), "
                                         r"d2004 \('二〇〇四'\)"):
        dynamic_topics(tokens, docs=docs, window=5, k=2, window_k=2)


def test_documents_missing_from_docs_and_a_missing_column_are_named():
    tokens, docs = _corpus()
    with pytest.raises(ValueError, match="not in docs: d2009"):
        dynamic_topics(tokens, docs=docs[docs.doc_id != "d2009"], window=5, k=2, window_k=2)
    with pytest.raises(ValueError, match="docs has no column 'year'"):
        dynamic_topics(tokens, docs=docs.drop(columns="year"), window=5, k=2, window_k=2)


def test_a_window_with_no_documents_is_named():
    tokens, docs = _corpus()
    with pytest.raises(ValueError, match="window 2010-2012 has no documents"):
        dynamic_topics(tokens, docs=docs, window=[(2000, 2004), (2005, 2009), (2010, 2012)], k=2, window_k=2)
    with pytest.raises(ValueError, match="windows overlap"):
        dynamic_topics(tokens, docs=docs, window=[(2000, 2005), (2005, 2009)], k=2, window_k=2)
    with pytest.raises(ValueError, match="window_k names windows that do not exist: 1990"):
        dynamic_topics(tokens, docs=docs, window=5, k=2, window_k={"1990": 2})
