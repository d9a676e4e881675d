"""Report helpers the notebooks share."""

from govanalysis.viz import summaries


def test_doc_labels_name_parsed_documents_only(seeds_corpus):
    labels = summaries.doc_labels(seeds_corpus.docs)
    parsed = seeds_corpus.docs.query("status in ('ok', 'warning')")
    assert labels.index.tolist() == parsed.doc_id.tolist()
    assert "README" in set(seeds_corpus.docs.doc_id) - set(labels.index)  # skipped: no label
    assert labels.is_unique
    assert labels[labels.index.str.startswith("002")].iloc[0] == "武江区 2022 H1"
