"""Reliability (issue 19): no traceback, no lost file, no wrong number on any input a folder can hold.

Each case here failed before the fix: file names that are not UTF-8, doc_id clashes,
entries with no row, BOM-less UTF-16/32, NUL bytes, mojibake, topics on small corpora,
lexicons that were silently misread, bad CLI parameters, and quadratic policy terms.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sys
import urllib.parse
from pathlib import Path

import pandas as pd
import pytest

from govanalysis import cli, parse_corpus
from govanalysis.io.reading import decode_bytes, read_corpus

REPORT = ("清远市政务服务数据管理局2020年上半年工作总结\n"
          "一、工作成效\n（一）推进数据共享。全市网办率达87.15%，满意率99.8%，推行“一网通办”。\n"
          "（二）优化营商环境。企业开办时间压缩至1个工作日，办理政务服务事项3452件。\n"
          "二、存在问题\n数据共享渠道不畅，信息孤岛仍然存在，基层人员不足。\n"
          "三、下一步工作计划\n力争网办率达到95%以上，深化“最多跑一次”改革，推广粤省事。\n")
GBK_NAME = "工作总结".encode("gbk") + b".txt"


def write(folder: Path, name: str | bytes, text: str | bytes = REPORT) -> Path:
    path = Path(os.fsdecode(os.path.join(os.fsencode(folder), os.fsencode(name))))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def run(capsys, *argv) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of ``govanalysis ARGV`` (argparse's exit included)."""
    argv = [str(a) for a in argv] + ([] if argv[0] == "figures" else ["--no-progress"])
    try:
        code = cli.main(argv)
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


# --- 1. file names of any bytes; doc_ids that never clash ---------------------------


def test_gbk_file_name_is_read_shown_with_replacement_and_kept_exactly(tmp_path):
    write(tmp_path, GBK_NAME)
    corpus = parse_corpus(tmp_path)
    doc = corpus.docs.iloc[0]
    assert doc.status == "ok" and "\ufffd" in doc.doc_id and "\ufffd" in doc.path
    assert doc.doc_id.encode("utf-8")  # a valid string: no surrogates
    assert urllib.parse.unquote_to_bytes(doc.path_bytes) == os.fsencode(tmp_path) + b"/" + GBK_NAME
    assert len(corpus.paragraphs) > 0


def test_gbk_file_name_through_the_cache_and_the_csv(tmp_path):
    write(tmp_path / "in", GBK_NAME)
    for _ in range(2):  # the second run reads from the cache
        corpus = parse_corpus(tmp_path / "in", cache_dir=tmp_path / "cache")
        assert corpus.docs.status.tolist() == ["ok"]
    corpus.write(tmp_path / "out")
    docs = pd.read_csv(tmp_path / "out" / "docs.csv")
    expected = [os.fsencode(tmp_path / "in") + b"/" + GBK_NAME]
    assert docs.path_bytes.map(urllib.parse.unquote_to_bytes).tolist() == expected


def test_same_stems_and_a_real_dash_2_get_three_ids_each_with_its_own_file(tmp_path):
    write(tmp_path, "a/x.txt", REPORT + "甲")
    write(tmp_path, "b/x.txt", REPORT + "乙")
    write(tmp_path, "x-2.txt", REPORT + "丙")
    corpus = parse_corpus(tmp_path)
    docs = corpus.docs.set_index("doc_id")
    assert sorted(docs.index) == ["a/x", "b/x", "x-2"]
    for doc_id, name in [("a/x", "a/x.txt"), ("b/x", "b/x.txt"), ("x-2", "x-2.txt")]:
        assert docs.loc[doc_id, "sha256"] == hashlib.sha256((tmp_path / name).read_bytes()).hexdigest()
    assert corpus.paragraphs.paragraph_id.is_unique
    assert docs.loc["a/x", "raw_text"].endswith("甲") and docs.loc["x-2", "raw_text"].endswith("丙")


@pytest.mark.parametrize("names, ids", [
    (["x.txt", "x.html"], ["x.txt", "x.html"]),
    (["d/e/x.txt", "d/x.txt", "x.txt", "y.txt"], ["d/e/x", "d/x", "x", "y"]),
    # x.txt's fallback would be x.txt.txt's stem: it moves on to the path's hash.
    (["x.txt", "x.txt.txt", "x.html"], [r"x\.txt~[0-9a-f]{8}", "x.txt", "x.html"]),
])
def test_doc_ids_are_unique_and_derived_from_the_relative_path(tmp_path, names, ids):
    import re

    for name in names:
        write(tmp_path, name)
    table = read_corpus(tmp_path).set_index("path")
    got = [table.loc[str(tmp_path / name), "doc_id"] for name in names]
    assert all(re.fullmatch(pattern, doc_id) for pattern, doc_id in zip(ids, got)), got
    assert read_corpus(tmp_path).doc_id.tolist() == table.doc_id.tolist()  # stable


# --- 2. every entry of a folder is exactly one row ------------------------------------


def build_odd_folder(folder: Path) -> None:
    write(folder, "report.txt")
    write(folder, "manifest_2023年工作总结.txt")
    write(folder, "README.txt", "about this corpus")
    write(folder, "LICENSE", "MIT")
    write(folder, "meta.csv", "a,b\n1,2\n")
    write(folder, "notes.json", "{}")
    write(folder, ".hidden.txt")
    write(folder, ".git/config", "[core]")
    os.symlink("loop", folder / "loop")
    os.symlink("nowhere.txt", folder / "broken.txt")
    os.mkfifo(folder / "pipe.txt")
    (folder / "sub").mkdir()
    os.symlink("..", folder / "sub" / "up")


EXPECTED = {  # doc_id -> (status, words in the message)
    "report": ("ok", ""),
    "manifest_2023年工作总结": ("ok", ""),
    "README": ("skipped", "sidecar"),
    "LICENSE": ("skipped", "sidecar"),
    "meta": ("skipped", "sidecar file (.csv)"),
    "notes": ("skipped", "sidecar file (.json)"),
    ".hidden": ("skipped", "hidden file"),
    ".git": ("skipped", "hidden folder"),
    "loop": ("error", "symbolic link loop"),
    "broken": ("error", "broken symbolic link"),
    "pipe": ("skipped", "FIFO"),
    "up": ("skipped", "folder already read"),
}


def test_every_entry_of_a_folder_is_one_row_with_a_reason(tmp_path):
    build_odd_folder(tmp_path)
    signal.alarm(60)  # opening the FIFO would block forever: fail instead of hanging
    try:
        docs = parse_corpus(tmp_path).docs
    finally:
        signal.alarm(0)
    assert docs.doc_id.is_unique
    got = {row.doc_id: (row.status, row.message) for row in docs.itertuples()}
    assert set(got) == set(EXPECTED)
    for doc_id, (status, words) in EXPECTED.items():
        assert got[doc_id][0] == status, (doc_id, got[doc_id])
        assert words in got[doc_id][1], (doc_id, got[doc_id])


def test_named_fifo_and_broken_link_are_rows_not_a_hang(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    os.symlink("nowhere.txt", tmp_path / "broken.txt")
    table = read_corpus([tmp_path / "pipe.txt", tmp_path / "broken.txt"])
    assert table.status.tolist() == ["skipped", "error"]


def test_unreadable_subfolder_is_an_error_row(tmp_path, monkeypatch):
    write(tmp_path, "good.txt")
    write(tmp_path, "locked/inside.txt")
    real_scandir = os.scandir

    def scandir(path):  # root reads any folder, so deny this one as chmod 000 would
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    docs = read_corpus(tmp_path).set_index("doc_id")
    assert docs.loc["good", "status"] == "ok"
    assert docs.loc["locked", "status"] == "error" and "Permission denied" in docs.loc["locked", "message"]


# --- 3. encodings and status rules ---------------------------------------------------


def sloppy_cp1252(data: bytes) -> str:
    """How Windows shows UTF-8 bytes as Windows-1252 (undefined bytes as C1 controls)."""
    out = []
    for byte in data:
        try:
            out.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(byte))
    return "".join(out)


@pytest.mark.parametrize("data, status, encoding, text, words", [
    (b"", "error", None, "", "empty file"),
    (b" \r\n\t", "error", None, "", "only whitespace"),
    (b"\xef\xbb\xbf", "error", "utf-8-sig", "", "only a byte-order mark"),
    (b"\xef\xbb\xbf \n", "error", "utf-8-sig", "", "only a byte-order mark and whitespace"),
    (b"\xff\xfe" + " \n".encode("utf-16-le"), "error", "utf-16", "", "only a byte-order mark"),
    (REPORT.encode("utf-16-le"), "ok", "utf-16-le", REPORT, ""),
    (REPORT.encode("utf-16-be"), "ok", "utf-16-be", REPORT, ""),
    (REPORT.encode("utf-32-le"), "ok", "utf-32-le", REPORT, ""),
    (REPORT.encode("utf-32-be"), "ok", "utf-32-be", REPORT, ""),
    ("一、工作成效".encode("utf-16-le"), "ok", "utf-16-le", "一、工作成效", ""),  # no NUL byte at all
    (REPORT.encode("utf-16-le")[:-1], "warning", "utf-16-le", REPORT[:-1] + "\ufffd", "replaced"),
    (REPORT.encode() + b"\x00\x00\x00" + REPORT.encode(), "warning", "utf-8", REPORT * 2, "3 NUL characters removed"),
    (REPORT.encode().decode("latin-1").encode(), "warning", "utf-8", REPORT, "mojibake"),
    (sloppy_cp1252(REPORT.encode()).encode(), "warning", "utf-8", REPORT, "mojibake"),
    ("Café naïve résumé, Zürich — Ångström".encode(), "ok", "utf-8", "Café naïve résumé, Zürich — Ångström", ""),
    (bytes(range(256)) * 4, "error", None, "", "binary"),
])
def test_status_rules(data, status, encoding, text, words):
    decoded = decode_bytes(data)
    assert (decoded.status, decoded.encoding, decoded.text) == (status, encoding, text), decoded.message
    assert words in decoded.message


def test_mojibake_that_does_not_reverse_exactly_is_a_warning_left_as_is():
    text = REPORT.encode().decode("latin-1")[:-7] + "€€"  # a cut that leaves no valid UTF-8
    decoded = decode_bytes(text.encode())
    assert decoded.status == "warning" and "not exactly reversible" in decoded.message
    assert decoded.text == text


def test_mojibake_is_repaired_through_the_pipeline(tmp_path):
    write(tmp_path, "moji.txt", REPORT.encode().decode("latin-1"))
    doc = parse_corpus(tmp_path).docs.iloc[0]
    assert doc.status == "warning" and doc.script == "simplified" and "网办率达87.15%" in doc.text


# --- 4. topics on small corpora ------------------------------------------------------


def small_report(n_sections: int) -> str:
    words = ["数据共享", "一网通办", "好差评", "政务云", "营商环境", "电子证照", "12345热线", "网络安全"]
    numerals = "一二三四五六七八九十"
    return "\n".join(f"{numerals[i]}、{words[i]}工作\n"
                     f"推进{words[i]}和{words[(i + 1) % 8]}，深化{words[(i + 3) % 8]}改革。"
                     for i in range(n_sections))


@pytest.mark.parametrize("files, argv, code, words", [
    ({"one.txt": small_report(6)}, ["--unit", "section", "--k", "auto"], 0, "capped"),
    ({"a.txt": REPORT, "b.txt": small_report(8)}, ["--unit", "document", "--k", "2"], 0, "every term is kept"),
    ({"a.txt": REPORT, "b.txt": small_report(8)}, ["--unit", "document", "--k", "auto"], 2, "too few documents"),
    ({"a.txt": REPORT, "b.txt": REPORT, "c.txt": REPORT}, ["--unit", "document", "--k", "2"], 0, "every term is kept"),
    ({"p.txt": "推进数据共享，深化一网通办改革，提升好差评满意率。"}, ["--k", "auto"], 2, "too few paragraphs"),
    ({"p.txt": "推进数据共享，深化一网通办改革，提升好差评满意率。"}, ["--k", "2"], 0, "capped at 1"),
    ({"a.txt": b"", "b.txt": b"%PDF-1.4"}, ["--k", "3"], 2, "no tokens to model"),
    ({"one.txt": REPORT}, ["--k", "1000"], 0, "k=1000 capped at"),
])
def test_topics_on_small_corpora(tmp_path, capsys, files, argv, code, words):
    for name, text in files.items():
        write(tmp_path / "in", name, text)
    got, out, err = run(capsys, "topics", tmp_path / "in", *argv, "--out", tmp_path / "out")
    assert "Traceback" not in err
    assert got == code, err
    assert words in err
    if code == 0:
        terms = pd.read_csv(tmp_path / "out" / "topic_terms.csv")
        k = int(out.split("k=")[1].split()[0])
        assert terms.topic.nunique() == k  # the k printed is the k fitted
    else:
        assert not (tmp_path / "out").exists()


# --- 5. lexicons ----------------------------------------------------------------------


@pytest.mark.parametrize("content, words", [
    ('hotline = "12345"\n', "theme 'hotline' must be a list of terms, not a string"),
    ("hotline = [12345, \"热线\"]\n", "theme 'hotline', term 1: a number, not a string"),
    ('hotline = ["热线", true]\n', "theme 'hotline', term 2: a boolean"),
    ('hotline = ["热线", ["工单"]]\n', "theme 'hotline', term 2: a list"),
    ('[hotline]\nwords = ["热线"]\n', "theme 'hotline' is a table with keys 'words'; it needs 'terms'"),
    ('[hotline]\nterms = ["热线"]\nexclude = ["热线("]\n',
     "theme 'hotline', exclude '热线(': not a regular expression"),
    ('[hotline]\nterms = ["热线"]\n[hotline.requires]\n"工单" = ["12345"]\n',
     "theme 'hotline', requires names terms not in its terms: 工单"),
    ('[hotline]\nterms = ["热线"]\nrequires = ["12345"]\n', "theme 'hotline', requires: a list, not a table"),
    ('hotline = ["热线"\n', "not valid TOML"),
    ("", "no themes"),
    ("# only a comment\n", "no themes"),
    ('hotline = []\n', "themes without terms: hotline"),
    ('hotline = ["热线", " "]\n', "term 2: an empty term"),
    ('hotline = ["热线"]\n'.encode("gbk"), "not UTF-8"),
])
def test_bad_lexicons_are_one_line_naming_the_file_and_theme(tmp_path, capsys, content, words):
    lexicon = tmp_path / "mine.toml"
    lexicon.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    write(tmp_path / "in", "a.txt")
    code, out, err = run(capsys, "themes", tmp_path / "in", "--lexicon", lexicon, "--out", tmp_path / "out")
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert str(lexicon) in err and words in err, err
    assert not (tmp_path / "out").exists()


def test_missing_lexicon_and_good_lexicon(tmp_path, capsys):
    write(tmp_path / "in", "a.txt")
    code, _, err = run(capsys, "themes", tmp_path / "in", "--lexicon", tmp_path / "no.toml", "--out", tmp_path / "o")
    assert code == 2 and "no.toml" in err and "no such file" in err
    (tmp_path / "ok.toml").write_text('hotline = ["12345", "热线"]\nsharing = ["数据共享"]\n', encoding="utf-8")
    code, out, _ = run(capsys, "themes", tmp_path / "in", "--lexicon", tmp_path / "ok.toml", "--out", tmp_path / "o")
    assert code == 0
    scores = pd.read_csv(tmp_path / "o" / "theme_scores.csv")
    assert sorted(scores.theme.unique()) == ["hotline", "sharing"]
    assert scores.query("theme == 'sharing'").hits.sum() == 2


# --- 6. bad parameters and paths -----------------------------------------------------


@pytest.fixture
def inputs(tmp_path):
    write(tmp_path / "in", "a.txt")
    (tmp_path / "afile").write_text("x")
    return tmp_path


BAD = [
    (["topics", "{in}", "--k", "0", "--out", "{out}"], "--k"),
    (["topics", "{in}", "--k", "-1", "--out", "{out}"], "--k"),
    (["topics", "{in}", "--k", "abc", "--out", "{out}"], "--k"),
    (["topics", "{in}", "--k-min", "8", "--k-max", "3", "--out", "{out}"], "--k-min 8"),
    (["topics", "{in}", "--seed", "-1", "--out", "{out}"], "--seed"),
    (["topics", "{in}", "--k", "3", "--out", "{out}", "--cache-dir", "{afile}"], "--cache-dir"),
    (["themes", "{in}", "--out", "{out}", "--cache-dir", "{afile}"], "--cache-dir"),
    (["parse", "{in}", "--out", "{afile}"], "--out"),
    (["parse", "{in}", "--out", "{afile}/sub"], "is a file"),
    (["indicators", "{in}", "--out", "{afile}"], "--out"),
    (["themes", "{in}", "--out", ""], "--out"),
    (["parse", "{in}", "--out", ""], "--out"),
    (["parse", "{tmp}/missing", "--out", "{out}"], "missing"),
    (["indicators", "{in}", "{tmp}/nothing*.txt", "--out", "{out}"], "nothing*.txt"),
    (["topics", "{tmp}/missing", "--k", "3", "--out", "{out}"], "missing"),
    (["themes", "{tmp}/missing", "--out", "{out}"], "missing"),
    (["figures", "--out", "{afile}"], "--out"),
    (["figures", "--corpus", "{tmp}/missing", "--out", "{out}"], "missing"),
]


@pytest.mark.parametrize("argv, named", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_parameter_is_one_line_exit_2_nothing_written(inputs, capsys, monkeypatch, argv, named):
    monkeypatch.chdir(inputs)
    before = sorted(p.name for p in inputs.iterdir())
    values = {"in": inputs / "in", "out": inputs / "out", "afile": inputs / "afile", "tmp": inputs}
    argv = [a.format(**values) for a in argv]
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert err.count("\n") == 1 and named in err and "Traceback" not in err, err
    assert sorted(p.name for p in inputs.iterdir()) == before  # nothing written, not even in the cwd


def test_read_only_output_folder(inputs, capsys, monkeypatch):
    locked = inputs / "locked"
    locked.mkdir()
    real_access = os.access
    # root writes anywhere, so deny as a read-only folder would for anyone else.
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if Path(p) == locked else real_access(p, mode, **kw))
    code, _, err = run(capsys, "parse", inputs / "in", "--out", locked / "out")
    assert code == 2 and "not writable" in err and err.count("\n") == 1
    assert not (locked / "out").exists()


def test_failed_inputs_are_named_on_every_command(inputs, capsys):
    write(inputs / "in", "empty.txt", b"")
    write(inputs / "in", "scan.pdf", b"%PDF-1.4")
    for argv in (["parse"], ["indicators"], ["themes"], ["topics", "--k", "2"]):
        code, out, err = run(capsys, argv[0], inputs / "in", *argv[1:], "--out", inputs / argv[0])
        assert code == 0, err
        line = [x for x in err.splitlines() if "not read" in x]
        assert len(line) == 1 and "2 of 3 inputs not read" in line[0], err
        assert "empty.txt (empty file)" in line[0] and "scan.pdf (unsupported file type" in line[0]


# --- 7. policy terms in linear time ---------------------------------------------------


def traced_lines(function, *args) -> int:
    """Python lines executed by a call (an operation count, not a time)."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        function(*args)
    finally:
        sys.settrace(None)
    return count


def test_policy_terms_are_linear_in_mentions():
    from govanalysis.extract.policy_terms import terms_in

    line = "推进“一网通办”和粤省事建设，"
    small, large = (traced_lines(terms_in, line * n) for n in (200, 800))
    assert large / small < 4 * 1.2  # 4x the mentions: about 4x the work (quadratic was about 16x)
