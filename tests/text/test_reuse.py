"""Text reuse: input -> output tables for the edits reuse survives, the datasketch
equivalence of signatures and candidates, any n_jobs, bad input, and the constructed set."""

import importlib.util
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import govanalysis as ga
from govanalysis.text import reuse as R

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ROOT / "corpora"

SOURCE = "坚持以人民为中心的发展思想，着力保障和改善民生，推动高质量发展取得新成效。"
JOBS = "全国城镇新增就业一千二百万人以上，城镇调查失业率控制在百分之五点五左右。"


def _table(texts: list[str], doc: str = "d") -> pd.DataFrame:
    return pd.DataFrame({"doc_id": doc, "sentence_id": [f"{doc}_{i}" for i in range(len(texts))], "text": texts})


def _parsed_sentences(text: str, doc: str = "local") -> pd.DataFrame:
    parsed = ga.parse_text(doc, text)
    return ga.split_sentences(pd.DataFrame(parsed["paragraphs"]))


# (case, local sentences, source sentences, expected rows: local index, source index,
#  similarity, shared_chars, shared_text)
CASES = [
    ("the same sentence", [SOURCE, JOBS], [SOURCE], [(0, 0, 1.0, 34, SOURCE[:-1])]),
    ("half-width punctuation", ["坚持以人民为中心的发展思想, 着力保障和改善民生, 推动高质量发展取得新成效."], [SOURCE],
     [(0, 0, 1.0, 34, "坚持以人民为中心的发展思想, 着力保障和改善民生, 推动高质量发展取得新成效")]),
    ("full-width letters and digits", ["全国城镇新增就业１２００万人以上，城镇调查失业率控制在５．５％左右。"],
     ["全国城镇新增就业1200万人以上，城镇调查失业率控制在5.5%左右。"],
     [(0, 0, 1.0, 32, "全国城镇新增就业１２００万人以上，城镇调查失业率控制在５．５％左右")]),
    ("another number is another text", ["全国城镇新增就业1100万人以上，城镇调查失业率控制在5.5%左右。"],
     ["全国城镇新增就业1200万人以上，城镇调查失业率控制在5.5%左右。"],
     [(0, 0, 31 / 32, 31, "全国城镇新增就业1…00万人以上，城镇调查失业率控制在5.5%左右")]),
    ("全国 -> 全省", [JOBS.replace("全国", "全省")], [JOBS],
     [(0, 0, 32 / 34, 32, "城镇新增就业一千二百万人以上，城镇调查失业率控制在百分之五点五左右")]),
    ("a word changed inside", ["坚持以人民为中心的发展思想，切实保障和改善民生，推动高质量发展取得新成效。"], [SOURCE],
     [(0, 0, 32 / 34, 32, "坚持以人民为中心的发展思想…保障和改善民生，推动高质量发展取得新成效")]),
    ("clipped local sentence", ["着力保障和改善民生，推动高质量发展取得新成效。"], [SOURCE],
     [(0, 0, 1.0, 21, "着力保障和改善民生，推动高质量发展取得新成效")]),
    ("clipped source sentence", [SOURCE[:-1] + "，奋力谱写中国式现代化新篇章。"], [SOURCE],
     [(0, 0, 1.0, 34, SOURCE[:-1])]),
    ("the same clauses in another order", [SOURCE], ["推动高质量发展取得新成效，着力保障和改善民生。"], []),
    ("a local sentence that holds two sources", ["坚持以人民为中心的发展思想，着力保障和改善民生，" + JOBS],
     ["坚持以人民为中心的发展思想，着力保障和改善民生。", JOBS],
     [(0, 0, 1.0, 22, "坚持以人民为中心的发展思想，着力保障和改善民生"), (0, 1, 1.0, 34, JOBS[:-1])]),
    ("unrelated", ["持续优化营商环境，激发各类经营主体活力和社会创造力。"], [SOURCE], []),
]


@pytest.mark.parametrize("case, local, source, expected", CASES, ids=[c[0] for c in CASES])
def test_reuse_table(case, local, source, expected):
    got = ga.text_reuse(_table(local, "local"), _table(source, "source"))
    want = pd.DataFrame([{"sentence_id": f"local_{i}", "source_sentence_id": f"source_{j}", "similarity": sim,
                          "shared_chars": n, "shared_text": span} for i, j, sim, n, span in expected],
                        columns=["sentence_id", "source_sentence_id", "similarity", "shared_chars", "shared_text"])
    got = got[want.columns].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want.astype(got.dtypes.to_dict()), check_exact=False)


def test_columns_and_texts_of_a_pair():
    got = ga.text_reuse(_table([JOBS.replace("全国", "全省")], "p"), _table([JOBS], "n"))
    assert list(got.columns) == R.REUSE_COLUMNS
    assert got.iloc[0][["doc_id", "source_doc_id", "text", "source_text"]].tolist() == [
        "p", "n", JOBS.replace("全国", "全省"), JOBS]


def test_sentence_split_across_lines_by_the_page():
    # A page breaks one sentence over two lines; the parser makes two sentence rows and
    # each half is found with its source.
    sentence = SOURCE[:-1] + "，不断增强人民群众获得感幸福感安全感。"
    local = _parsed_sentences(f"各位代表：\n{sentence[:25]}\n{sentence[25:]}\n")
    assert local["text"].tolist() == ["各位代表：", sentence[:25], sentence[25:]]
    got = ga.text_reuse(local, _table([sentence], "national"))
    assert got[["text", "similarity", "shared_chars", "shared_text"]].values.tolist() == [
        [sentence[:25], 1.0, 23, sentence[:25]],
        [sentence[25:], 1.0, 28, sentence[25:-1]],
    ]


def test_a_corpus_with_itself_never_pairs_a_document_with_itself():
    table = pd.concat([_table([SOURCE, JOBS], "a"), _table([SOURCE], "b"), _table([JOBS + "要做好。"], "c")])
    got = ga.text_reuse(table)
    assert set(zip(got.doc_id, got.source_doc_id)) == {("a", "b"), ("b", "a"), ("a", "c"), ("c", "a")}
    assert (got.doc_id != got.source_doc_id).all()


def test_identical_documents_are_not_compared_and_say_so():
    table = pd.concat([_table([SOURCE, JOBS], "a"), _table([SOURCE, JOBS], "copy"), _table([SOURCE], "b")])
    with pytest.warns(ga.ReuseWarning, match="5 pairs of documents with identical text not compared: a = a_src; "
                                             "a = copy_src; b = b_src; copy = a_src; copy = copy_src"):
        got = ga.text_reuse(table, table.assign(doc_id=table.doc_id + "_src",
                                                sentence_id=table.sentence_id + "_src"))
    pairs = set(zip(got.doc_id, got.source_doc_id))
    assert ("a", "a_src") not in pairs and ("a", "copy_src") not in pairs and ("a", "b_src") in pairs


def test_a_source_identical_to_the_target_leaves_only_other_documents():
    table = pd.concat([_table([SOURCE, JOBS], "a"), _table([SOURCE], "b")])
    with pytest.warns(ga.ReuseWarning, match="2 pairs of documents with identical text not compared: a = a; b = b"):
        got = ga.text_reuse(table, table)
    pd.testing.assert_frame_equal(got, ga.text_reuse(table))


def test_documents_without_long_sentences_are_named():
    table = pd.concat([_table([SOURCE], "a"), _table(["很短。", "也很短的句子。"], "short")])
    with pytest.warns(ga.ReuseWarning, match="sentences: 1 document has no sentence of 20 or more characters and is "
                                             "not compared: short"):
        ga.text_reuse(table, _table([JOBS], "s"))


BAD = [
    (lambda: ga.text_reuse(_table([])), "sentences: no sentences"),
    (lambda: ga.text_reuse(_table([SOURCE]), _table([])), "sources: no sentences"),
    (lambda: ga.text_reuse(pd.DataFrame({"doc_id": ["a"], "text": [SOURCE]})), "sentences: missing column sentence_id"),
    (lambda: ga.text_reuse([SOURCE]), "sentences: expected a sentences table"),
    (lambda: ga.text_reuse(_table([SOURCE, JOBS]).assign(sentence_id="x")), "sentences: sentence_id is not unique"),
    (lambda: ga.text_reuse(_table(["太短了。"])), "sentences: no sentence has 20 or more characters"),
    (lambda: ga.text_reuse(_table([SOURCE]), _table(["短。"])), "sources: no sentence has 20"),
    (lambda: ga.text_reuse(_table([SOURCE]), shingle=1), "shingle:"),
    (lambda: ga.text_reuse(_table([SOURCE]), threshold=0), "threshold:"),
    (lambda: ga.text_reuse(_table([SOURCE]), threshold=1.5), "threshold:"),
    (lambda: ga.text_reuse(_table([SOURCE]), threshold="high"), "threshold:"),
    (lambda: ga.text_reuse(_table([SOURCE]), min_chars=3), "min_chars:"),
    (lambda: ga.text_reuse(_table([SOURCE]), min_span=30), "min_span:"),
    (lambda: ga.text_reuse(_table([SOURCE]), num_perm=8), "num_perm:"),
    (lambda: ga.text_reuse(_table([SOURCE]), seed=-1), "seed:"),
    (lambda: ga.reuse_by_doc(ga.text_reuse(_table([SOURCE])), _table([SOURCE]), by="city"), "by:"),
    (lambda: ga.reuse_by_doc(pd.DataFrame(), _table([SOURCE])), "reuse: not a text_reuse table"),
    (lambda: ga.reuse_by_doc(ga.text_reuse(_table([SOURCE])), _table([SOURCE]), by="source_level"),
     "source_docs: needed"),
]


@pytest.mark.parametrize("call, message", BAD, ids=[m for _, m in BAD])
def test_bad_input_is_a_value_error_naming_it(call, message):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ga.ReuseWarning)
        with pytest.raises(ValueError, match=message):
            call()


def test_a_corpus_of_one_document_compared_with_itself_is_an_empty_table():
    got = ga.text_reuse(_table([SOURCE, JOBS]))
    assert got.empty and list(got.columns) == R.REUSE_COLUMNS


# --- datasketch -----------------------------------------------------------------------

def test_window_signatures_are_datasketch_minhashes():
    from datasketch import MinHash

    texts = [R.normalize_for_reuse(t) for t in (SOURCE, JOBS * 3, "短句子")]
    permutations = R._permutations(64, 3)
    signatures, owner = R.window_signatures(texts, shingle=5, permutations=permutations)
    assert owner.tolist() == [0] * 2 + [1] * 11  # 30 shingles: 2 windows; 98: 11; 3 characters: none
    for window, text_index in enumerate(owner):
        text = texts[text_index]
        rank = int((owner[:window] == text_index).sum())
        shingles = [text[i:i + 5] for i in range(len(text) - 4)][rank * R.STRIDE: rank * R.STRIDE + R.WINDOW]
        minhash = MinHash(num_perm=64, seed=3, hashfunc=R.shingle_hash)
        minhash.update_batch(shingles)
        assert np.array_equal(minhash.hashvalues, signatures[window])


def test_candidates_are_what_datasketch_lsh_finds():
    from datasketch import LeanMinHash, MinHashLSH

    national = ga.parse_corpus(CORPORA / "provincial-gwr-2025" / "gwr2025_北京市.txt").sentences
    provincial = ga.parse_corpus(CORPORA / "provincial-gwr-2025" / "gwr2025_上海市.txt").sentences
    local = [R.normalize_for_reuse(t) for t in provincial.text]
    source = [R.normalize_for_reuse(t) for t in national.text]
    permutations = R._permutations(128, 1)
    bands, rows = R._band_params(128)
    local_sig, local_owner = R.window_signatures(local, shingle=5, permutations=permutations)
    source_sig, source_owner = R.window_signatures(source, shingle=5, permutations=permutations)
    ours = R._candidates(R._band_keys(local_sig, bands, rows), local_owner, R._band_keys(source_sig, bands, rows),
                         source_owner, len(source))
    lsh = MinHashLSH(num_perm=128, params=(bands, rows))
    for window, signature in enumerate(source_sig):
        lsh.insert(window, LeanMinHash(seed=1, hashvalues=signature, scheme="affine32"))
    theirs = {int(local_owner[w]) * len(source) + int(source_owner[hit])
              for w, signature in enumerate(local_sig)
              for hit in lsh.query(LeanMinHash(seed=1, hashvalues=signature, scheme="affine32"))}
    assert len(theirs) > 20
    assert set(ours.tolist()) == theirs


def test_importing_the_module_does_not_load_datasketch():
    code = "import sys, govanalysis as ga; ga.text_reuse; print('datasketch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- the same table at any n_jobs ----------------------------------------------------------

@pytest.fixture(scope="module")
def provincial():
    return ga.parse_corpus(sorted((CORPORA / "provincial-gwr-2025").glob("*.txt"))[:8]).sentences


@pytest.fixture(scope="module")
def serial(provincial):
    return ga.text_reuse(provincial)


def test_same_table_on_two_processes_and_in_small_chunks(provincial, serial, monkeypatch):
    assert len(serial) > 50
    pd.testing.assert_frame_equal(ga.text_reuse(provincial, n_jobs=2), serial)
    monkeypatch.setattr(R, "CHUNK", 97)
    pd.testing.assert_frame_equal(ga.text_reuse(provincial, n_jobs=2), serial)


def test_same_table_on_a_dask_local_cluster(provincial, serial):
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0")
    with cluster, distributed.Client(cluster) as client:
        pd.testing.assert_frame_equal(ga.text_reuse(provincial, client=client), serial)


# --- aggregations -------------------------------------------------------------------------

def test_reuse_by_doc_shares_levels_years_and_direction():
    other = "持续优化营商环境，激发各类经营主体活力和社会创造力。"
    local = pd.concat([_table([SOURCE, JOBS.replace("全国", "全省"), other], "p"),
                       _table(["很短。"], "q")])
    sources = pd.concat([_table([SOURCE], "n2017"), _table([JOBS], "n2018"), _table([SOURCE], "city")])
    docs = pd.DataFrame({"doc_id": ["p", "q"], "admin_level": "province", "year": [2025, 2025],
                         "published": ["2025-01-15", None]})
    source_docs = pd.DataFrame({"doc_id": ["n2017", "n2018", "city"],
                                "admin_level": ["national", "national", "prefecture"],
                                "year": [2017, 2018, 2026], "published": ["2017-03-05", None, None]})
    with pytest.warns(ga.ReuseWarning, match="no sentence of 20"):
        reuse = ga.text_reuse(local, sources)
    by_doc = ga.reuse_by_doc(reuse, local, docs=docs, source_docs=source_docs)
    assert by_doc.to_dict("records") == [
        {"doc_id": "p", "source_doc_id": "city", "n_sentences": 3, "n_reused": 1, "sentence_share": 1 / 3,
         "n_chars": 34 + 34 + 24, "reused_chars": 34, "char_share": 34 / 92, "direction": "source_later"},
        {"doc_id": "p", "source_doc_id": "n2017", "n_sentences": 3, "n_reused": 1, "sentence_share": 1 / 3,
         "n_chars": 92, "reused_chars": 34, "char_share": 34 / 92, "direction": "source_first"},
        {"doc_id": "p", "source_doc_id": "n2018", "n_sentences": 3, "n_reused": 1, "sentence_share": 1 / 3,
         "n_chars": 92, "reused_chars": 32, "char_share": 32 / 92, "direction": "source_first"},
    ]
    levels = ga.reuse_by_doc(reuse, local, by="source_level", source_docs=source_docs)
    assert levels[["doc_id", "source_level", "n_reused", "reused_chars"]].values.tolist() == [
        ["p", "national", 2, 66], ["p", "prefecture", 1, 34]]
    years = ga.reuse_by_doc(reuse, local, by="source_year", source_docs=source_docs)
    assert years[["source_year", "n_reused"]].values.tolist() == [[2017, 1], [2018, 1], [2026, 1]]
    overall = ga.reuse_by_doc(reuse, local, by=None)
    assert overall.iloc[0].to_dict() == {"doc_id": "p", "n_sentences": 3, "n_reused": 2, "sentence_share": 2 / 3,
                                         "n_chars": 92, "reused_chars": 66, "char_share": 66 / 92}
    assert overall.iloc[1][["doc_id", "n_sentences", "n_reused"]].tolist() == ["q", 0, 0]
    assert overall.iloc[1][["sentence_share", "char_share"]].isna().all()


# --- command line -------------------------------------------------------------------------

def _cli(*args):
    return subprocess.run([sys.executable, "-m", "govanalysis.cli", "reuse", *map(str, args)], capture_output=True,
                          text=True)


def test_cli_writes_reuse_by_doc_and_docs_of_both_sides(tmp_path):
    (tmp_path / "local").mkdir()
    (tmp_path / "national").mkdir()
    local = JOBS.replace("全国", "全省")
    (tmp_path / "local" / "p.txt").write_text(f"各位代表：\n{local}\n{SOURCE}\n", encoding="utf-8")
    (tmp_path / "national" / "n.txt").write_text(f"各位代表：\n{JOBS}\n", encoding="utf-8")
    done = _cli(tmp_path / "local", "--against", tmp_path / "national", "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    reuse = pd.read_csv(tmp_path / "out" / "reuse.csv")
    assert list(reuse.columns) == R.REUSE_COLUMNS and reuse.shared_chars.tolist() == [32]
    assert list(pd.read_csv(tmp_path / "out" / "docs.csv").side) == ["target", "source"]
    assert pd.read_csv(tmp_path / "out" / "reuse_by_doc.csv").n_reused.tolist() == [1]


@pytest.mark.parametrize("args, message", [
    (["{empty}"], "govanalysis reuse: INPUT: sentences: no sentences"),
    (["{local}", "--against", "{empty}"], "govanalysis reuse: --against: sources: no sentences"),
    (["{local}", "--threshold", "0"], "argument --threshold: must be in (0, 1], not 0"),
    (["{local}", "--shingle", "30"], "--shingle 30 is larger than --min-chars 20"),
    (["{local}", "--against", "{missing}"], "INPUT"),
])
def test_cli_bad_input_is_one_line_and_exit_2(tmp_path, args, message):
    (tmp_path / "empty").mkdir()
    (tmp_path / "local").mkdir()
    (tmp_path / "local" / "p.txt").write_text(f"{SOURCE}\n", encoding="utf-8")
    paths = {"empty": tmp_path / "empty", "local": tmp_path / "local", "missing": tmp_path / "nothing"}
    done = _cli(*[a.format(**paths) for a in args], "--out", tmp_path / "out")
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "out").exists()


# --- validation -----------------------------------------------------------------------------

def _validation():
    spec = importlib.util.spec_from_file_location("reuse_validation", ROOT / "bench" / "reuse_validation.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_constructed_set_recall_and_precision_by_edit_kind(tmp_path):
    validation = _validation()
    recent = sorted((CORPORA / "national-gwr").glob("20*.txt"))  # 2000-2017: the test stays fast
    result = validation.score(validation.build(tmp_path, n_per_kind=15, seed=11, source_files=recent))
    for kind, row in result["by_kind"].items():
        assert row["located_after_parse"] == row["inserted"] == 15, kind
        # Three edits at once leave some 24-character clips sharing fewer than min_chars=20
        # characters: 12 of 15 here, 96 of 100 in bench/results-reuse-validation.json.
        assert row["recall"] >= (0.8 if kind == "combined" else 1.0), (kind, row)
        assert row["precision"] >= 0.9, (kind, row)
    assert result["overall_precision"] >= 0.95
    # Every pair that names another source than the inserted one shares text the true source has.
    assert result["false_pairs_sharing_the_true_sources_text"] == len(result["false_pairs"])


HAND_CHECK = ROOT / "bench" / "gold" / "reuse_hand_check.tsv"


def test_hand_checked_pairs_are_still_reported_as_coded():
    # 50 pairs drawn by bench/reuse_hand_check.py (seed 16) and judged by hand: 21 reuse of
    # policy or political language, 28 set formulas of the genre, 1 not reuse.
    checked = pd.read_csv(HAND_CHECK, sep="\t", dtype=str, keep_default_na=False)
    assert len(checked) == 50 and checked["check_id"].is_unique
    assert checked["judgement"].value_counts().to_dict() == {"formula": 28, "reuse": 21, "not_reuse": 1}
    provincial = ga.parse_corpus(CORPORA / "provincial-gwr-2025").sentences
    national = ga.parse_corpus(CORPORA / "national-gwr").sentences
    for comparison, sources in (("provincial_vs_national", national), ("provincial_vs_provincial", provincial)):
        coded = checked[checked["comparison"] == comparison]
        local = provincial[provincial["sentence_id"].isin(coded["sentence_id"])]
        found = ga.text_reuse(local, sources)
        found = found.assign(similarity=found["similarity"].round(3).map(str),
                             shared_chars=found["shared_chars"].map(str))
        columns = ["sentence_id", "source_sentence_id", "similarity", "shared_chars", "text", "source_text",
                   "shared_text"]
        assert coded[columns].merge(found[columns], how="left", indicator=True)["_merge"].eq("both").all(), comparison
