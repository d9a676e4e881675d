"""Topics: contracts, determinism whatever the thread count, choose_k."""

import pandas as pd
import pytest
from threadpoolctl import threadpool_limits

from govanalysis.text.tokens import tokenize
from govanalysis.text.topics import choose_k, fit_topics, label_topics, tfidf_matrix


@pytest.fixture(scope="module")
def tokens(seeds_corpus):
    return tokenize(seeds_corpus.paragraphs)


def test_topic_tables_contract(tokens, seeds_corpus):
    model = fit_topics(tokens, 5)
    assert model.topic_terms.columns.tolist() == ["topic", "term", "weight", "rank"]
    assert model.unit_topics.columns.tolist() == ["paragraph_id", "doc_id", "role", "topic", "weight"]
    assert sorted(model.topic_terms.topic.unique()) == [1, 2, 3, 4, 5]
    assert model.topic_terms.groupby("topic")["rank"].apply(lambda r: list(r) == list(range(1, 16))).all()
    sums = model.unit_topics.groupby("paragraph_id", sort=False)["weight"].sum()
    # A unit's weights sum to 1, or to 0 when none of its terms is modelled (a heading
    # such as 一、工作成效 may hold only pruned terms).
    matrix = tfidf_matrix(tokens, "paragraph")
    empty = set(matrix.units.paragraph_id[matrix.X.getnnz(axis=1) == 0])
    assert ((sums - 1).abs() < 1e-6).sum() == len(sums) - len(empty)
    assert (sums[list(empty)] == 0).all()
    joined = model.unit_topics.merge(seeds_corpus.docs[["doc_id", "city"]], on="doc_id")
    assert len(joined) == len(model.unit_topics)


@pytest.mark.parametrize("unit, column", [("section", "section_id"), ("document", "doc_id")])
def test_other_units(seeds_corpus, unit, column):
    source = seeds_corpus.sections if unit == "section" else seeds_corpus.docs
    model = fit_topics(tokenize(source), 3, unit=unit)
    assert model.unit_topics.columns[0] == column


def test_two_fits_identical_whatever_the_thread_count(tokens):
    with threadpool_limits(limits=1):
        one = fit_topics(tokens, 6)
    with threadpool_limits(limits=2):
        two = fit_topics(tokens, 6)
    pd.testing.assert_frame_equal(one.topic_terms, two.topic_terms)
    pd.testing.assert_frame_equal(one.unit_topics, two.unit_topics)


def test_choose_k_table_and_recommendation(tokens):
    selection = choose_k(tokens, range(3, 7), n_runs=4)
    table = selection.table
    assert table.columns.tolist() == ["k", "stability", "stability_sd", "coherence", "reconstruction_error",
                                      "recommended"]
    assert table.k.tolist() == [3, 4, 5, 6]
    assert table.recommended.sum() == 1 and table.loc[table.recommended, "k"].item() == selection.k
    assert table.stability.between(0, 1).all() and table.coherence.between(-1, 1).all()
    assert table.reconstruction_error.is_monotonic_decreasing
    again = choose_k(tokens, range(3, 7), n_runs=4)
    pd.testing.assert_frame_equal(table, again.table)


def test_choose_k_finds_planted_topics():
    # Three disjoint vocabularies, twelve documents each: three topics are the stable answer.
    vocab = [["数据共享", "信息孤岛", "数据壁垒", "共享交换", "数据归集"],
             ["好差评", "满意率", "考核", "督查", "绩效"],
             ["政务云", "迁移上云", "政务外网", "机房", "专线"]]
    rows = []
    for topic, words in enumerate(vocab):
        for doc in range(12):
            for i in range(6):
                rows.append({"doc_id": f"t{topic}", "paragraph_id": f"t{topic}_p{doc}",
                             "token": words[(doc + i) % 5]})
    tokens = pd.DataFrame(rows)
    selection = choose_k(tokens, range(2, 6), n_runs=5)
    assert selection.k == 3
    top = fit_topics(tokens, 3).topic_terms.query("rank <= 3").groupby("topic").term.apply(set)
    assert all(any(terms <= set(words) for words in vocab) for terms in top)


def test_labels_name_a_theme(tokens):
    labels = label_topics(fit_topics(tokens, 5).topic_terms)
    assert labels.columns.tolist() == ["topic", "label", "theme", "theme_share"]
    assert labels.label.str.count("·").eq(2).all()


def test_empty_tokens_raise_a_clear_error():
    with pytest.raises(ValueError, match="no tokens"):
        tfidf_matrix(pd.DataFrame({"doc_id": [], "paragraph_id": [], "token": []}))
