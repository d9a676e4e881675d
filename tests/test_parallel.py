"""Parallel and distributed runs give the serial results; caches skip repeated work."""

import os

import pandas as pd
import pytest

from govanalysis import parse_corpus
from govanalysis._parallel import chunked, map_chunks
from govanalysis.text.themes import score_themes, theme_hits
from govanalysis.text.tokens import Tokenizer, TokenizerConfig, tokenize


def double(chunk):
    return [2 * x for x in chunk]


def test_map_chunks_keeps_order_whatever_the_workers():
    chunks = chunked(list(range(23)), 4)
    expected = [2 * x for x in range(23)]
    assert map_chunks(double, chunks) == expected
    assert map_chunks(double, chunks, n_jobs=2) == expected
    assert map_chunks(double, chunks, n_jobs=2, prefer="threads") == expected
    assert map_chunks(double, []) == []
    lazy = (chunk for chunk in chunks)  # a generator: workers start on the first chunks
    assert map_chunks(double, lazy, n_jobs=2, total=len(chunks)) == expected
    assert map_chunks(double, iter(chunks[:1]), n_jobs=2, total=1) == expected[:4]


def pid_of(chunk):
    return [os.getpid()]


def assert_same_corpus(a, b):
    for name in ("docs", "sections", "paragraphs", "metadata_spans", "removed_lines"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))


def test_parallel_parse_equals_serial(seeds_dir, seeds_corpus):
    assert_same_corpus(parse_corpus(seeds_dir, n_jobs=2, chunk_size=1), seeds_corpus)


def test_parse_cache_skips_parsing_on_rerun(seeds_dir, seeds_corpus, tmp_path, monkeypatch):
    first = parse_corpus(seeds_dir, cache_dir=tmp_path)
    assert_same_corpus(first, seeds_corpus)
    import govanalysis.parse.corpus as pipeline

    def fail(*args, **kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr(pipeline, "parse_text", fail)
    assert_same_corpus(parse_corpus(seeds_dir, cache_dir=tmp_path), seeds_corpus)


def test_parallel_tokenize_equals_serial(seeds_corpus):
    serial = tokenize(seeds_corpus.paragraphs)
    for config in (TokenizerConfig(), TokenizerConfig(backend="jieba")):
        parallel = tokenize(seeds_corpus.paragraphs, Tokenizer(config), n_jobs=2, chunk_size=16)
        pd.testing.assert_frame_equal(parallel, serial)


ODD_UNITS = pd.DataFrame({
    "paragraph_id": [f"p{i:02d}" for i in range(8)],
    "text": ["推进一网通办\n和数据共享", "行末回车\r\n下一行", "", "孤立的代理项\ud800数据共享\udfff",
             "𠀀𠀁数据共享😀政务云", "a" * 300 + "数据共享", "\x00控制字符\x07", "网办率达87.15%，满意率99.8%"],
}, dtype=object)  # object: pandas' pyarrow-backed strings (with pyarrow installed) refuse lone surrogates


@pytest.mark.parametrize("config", [TokenizerConfig(), TokenizerConfig(backend="jieba")])
def test_parallel_tokenize_equals_serial_on_odd_text(config):
    # Local workers read their texts from files: odd characters must survive the trip.
    serial = tokenize(ODD_UNITS, Tokenizer(config))
    assert "数据共享" in set(serial.token)
    pd.testing.assert_frame_equal(tokenize(ODD_UNITS, Tokenizer(config), n_jobs=2, chunk_size=1), serial)


def test_many_tasks_per_worker_give_the_serial_table(seeds_corpus, monkeypatch):
    import govanalysis.text.tokens as tokens

    serial = tokenize(seeds_corpus.paragraphs)
    monkeypatch.setattr(tokens, "TASK_CHARS", 5_000)  # a large corpus: tasks capped in size
    pd.testing.assert_frame_equal(tokenize(seeds_corpus.paragraphs, Tokenizer(), n_jobs=2, chunk_size=1), serial)


def test_both_backends_agree_on_odd_text():
    fast, reference = Tokenizer(), Tokenizer(TokenizerConfig(backend="jieba"))
    assert fast.backend == "rjieba"
    pd.testing.assert_frame_equal(tokenize(ODD_UNITS, fast), tokenize(ODD_UNITS, reference))


def test_tokenize_cache_counts(seeds_corpus, tmp_path):
    tokenizer = Tokenizer(cache_dir=tmp_path)
    tokenize(seeds_corpus.paragraphs, tokenizer)
    segmented = tokenizer.stats["segmented"]
    assert segmented == seeds_corpus.paragraphs.text.nunique()
    again = Tokenizer(cache_dir=tmp_path)
    tokenize(seeds_corpus.paragraphs, again, n_jobs=2)
    assert again.stats["segmented"] == 0


def test_parallel_theme_scores_equal_serial(seeds_corpus):
    tokens = tokenize(seeds_corpus.paragraphs)
    pd.testing.assert_frame_equal(theme_hits(seeds_corpus.paragraphs, n_jobs=2, chunk_size=20),
                                  theme_hits(seeds_corpus.paragraphs))
    pd.testing.assert_frame_equal(score_themes(seeds_corpus.paragraphs, tokens, n_jobs=2),
                                  score_themes(seeds_corpus.paragraphs, tokens))


def test_dask_local_cluster_gives_the_serial_tables(seeds_dir, seeds_corpus):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        corpus = parse_corpus(seeds_dir, client=client, chunk_size=2)
        assert_same_corpus(corpus, seeds_corpus)
        tokens = tokenize(corpus.paragraphs, client=client, chunk_size=32)
        pd.testing.assert_frame_equal(tokens, tokenize(seeds_corpus.paragraphs))
        pd.testing.assert_frame_equal(theme_hits(corpus.paragraphs, client=client, chunk_size=40),
                                      theme_hits(seeds_corpus.paragraphs))


def test_changed_texts_alone_are_segmented_again(seeds_corpus, tmp_path):
    units = seeds_corpus.paragraphs.copy()
    tokenize(units, Tokenizer(cache_dir=tmp_path))
    units.loc[units.index[:3], "text"] = ["新增一网通办事项", "", "数据共享仍有信息孤岛"]
    again = Tokenizer(cache_dir=tmp_path)
    pd.testing.assert_frame_equal(tokenize(units, again), tokenize(units))
    assert again.stats["segmented"] == 3  # the per-text cache holds every other paragraph
    cached = Tokenizer(cache_dir=tmp_path)
    assert [cached.cut(text) for text in units.text[3:8]] == [Tokenizer().cut(text) for text in units.text[3:8]]
    assert cached.stats == {"segmented": 0, "cached": 5}


def test_parse_cache_key_covers_the_parse_code_and_only_it():
    import ast
    import importlib.util
    from importlib import resources

    from govanalysis._cache import code_fingerprint
    from govanalysis.parse.corpus import PARSE_DATA, PARSE_MODULES

    package = resources.files("govanalysis")
    # Every package module a parse module imports (_cache, _parallel and io/tables move or write
    # results, they do not make them).
    imported = set()
    for name in PARSE_MODULES:
        here = "govanalysis." + name.replace("/", ".")
        tree = ast.parse(package.joinpath(*f"{name}.py".split("/")).read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = importlib.util.resolve_name("." * node.level + (node.module or ""), here.rsplit(".", 1)[0])
                imported |= {base} if node.module else {f"{base}.{alias.name}" for alias in node.names}
    paths = {module.removeprefix("govanalysis.").replace(".", "/") for module in imported}
    assert len(paths) > 5 and paths - {"_cache", "_parallel", "io/tables"} <= set(PARSE_MODULES)
    # Data files the parse modules read by name.
    read = {f for name in PARSE_MODULES for f in package.joinpath("data").iterdir()
            if f.name in package.joinpath(*f"{name}.py".split("/")).read_text("utf-8")}
    assert {f.name for f in read} <= set(PARSE_DATA)
    assert "viz/figures" not in PARSE_MODULES and "text/tokens" not in PARSE_MODULES
    assert code_fingerprint(PARSE_MODULES, PARSE_DATA) != code_fingerprint(PARSE_MODULES + ("viz/figures",), PARSE_DATA)
