"""Reading: encodings, HTML, bad input, accounting for every file."""

import pytest

from govanalysis.io.reading import ReadError, decode_bytes, read_corpus

SIMPLIFIED = "清远市政务服务数据管理局2020年上半年工作总结。网办率达87.15%，满意率99.8%。"
TRADITIONAL = "梅縣區數字政府改革建設工作要點。擦亮“粵系列”移動應用品牌。"


@pytest.mark.parametrize(
    "text, codec, expected_encoding",
    [
        (SIMPLIFIED, "utf-8", "utf-8"),
        (SIMPLIFIED, "utf-8-sig", "utf-8-sig"),
        (SIMPLIFIED, "gbk", "gb18030"),
        (SIMPLIFIED, "gb18030", "gb18030"),
        (TRADITIONAL, "big5", "big5"),
        (SIMPLIFIED, "utf-16", "utf-16"),
        (SIMPLIFIED * 20, "gbk", "gb18030"),
    ],
)
def test_decode_round_trips_each_encoding(text, codec, expected_encoding):
    decoded = decode_bytes(text.encode(codec))
    assert decoded.status == "ok"
    assert decoded.encoding == expected_encoding
    assert decoded.text == text


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty file"),
        (b"  \n\r\n ", "whitespace"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (bytes(range(256)) * 4, "binary"),
    ],
)
def test_bad_bytes_give_an_error_with_a_reason(data, message):
    decoded = decode_bytes(data)
    assert decoded.status == "error"
    assert message.lower() in decoded.message.lower()
    assert decoded.text == ""


def test_every_input_is_a_row_and_nothing_raises(tmp_path):
    (tmp_path / "good.txt").write_text(SIMPLIFIED, encoding="utf-8")
    (tmp_path / "gbk.txt").write_bytes(SIMPLIFIED.encode("gbk"))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 ...")
    (tmp_path / "README.md").write_text("about the corpus", encoding="utf-8")
    table = read_corpus([tmp_path, tmp_path / "missing.txt", str(tmp_path / "nothing*.txt")])
    status = dict(zip(table["doc_id"], table["status"]))
    assert status == {
        "binary": "error", "empty": "error", "gbk": "ok", "good": "ok", "scan": "error",
        "missing": "error", "nothing*": "error", "README": "skipped",
    }
    messages = dict(zip(table["doc_id"], table["message"]))
    assert "no such file" in messages["missing"]
    assert "no file matches" in messages["nothing*"]
    assert "unsupported file type" in messages["scan"]
    assert table.loc[table.doc_id == "gbk", "raw_text"].item() == SIMPLIFIED


def test_named_sidecar_file_is_still_accounted_for(tmp_path):
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    table = read_corpus(tmp_path / "notes.md")
    assert table["status"].tolist() == ["error"]


def test_raise_mode_stops_at_first_unreadable_file(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(ReadError, match="empty"):
        read_corpus(tmp_path, errors="raise")
    with pytest.raises(ValueError):
        read_corpus(tmp_path, errors="ignore")


def test_duplicate_stems_get_unique_ids(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(SIMPLIFIED, encoding="utf-8")
    table = read_corpus(tmp_path)
    assert table["doc_id"].tolist() == ["a/report", "b/report"]


def test_html_main_text_is_extracted(tmp_path):
    body = "".join(f"<p>{SIMPLIFIED}第{i}段内容，推进数据共享。</p>" for i in range(8))
    html = (
        "<html><head><meta charset='utf-8'><title>清远市政务服务数据管理局工作总结</title></head>"
        "<body><div class='nav'>首页 > 政务公开</div><article>"
        f"<h1>清远市政务服务数据管理局工作总结</h1>{body}</article>"
        "<div class='footer'>扫一扫在手机打开当前页</div></body></html>"
    )
    (tmp_path / "page.html").write_bytes(html.encode("gbk", errors="ignore").replace(b"utf-8", b"gbk"))
    row = read_corpus(tmp_path).iloc[0]
    assert row["status"] == "ok", row["message"]
    assert "推进数据共享" in row["raw_text"]
    assert "<p>" not in row["raw_text"]


def test_file_with_replacement_characters_is_a_warning():
    data = SIMPLIFIED.encode("gbk") + b"\xff\xfe\xfd" + SIMPLIFIED.encode("gbk")
    decoded = decode_bytes(data)
    assert decoded.status == "warning"
    assert "replaced" in decoded.message
    assert decoded.text.count(SIMPLIFIED) == 2


def test_truncated_utf8_stays_utf8():
    data = (SIMPLIFIED * 5).encode("utf-8")[:-1]  # cut inside the last character
    decoded = decode_bytes(data)
    assert decoded.encoding == "utf-8"
    assert decoded.status == "warning"
    assert decoded.text.startswith(SIMPLIFIED)


def test_mojibake_pairs_need_the_utf8_lead_byte_c3():
    # decode_bytes skips the mojibake scan of UTF-8 bytes without C3: no first character of
    # a pair is encoded otherwise.
    from govanalysis import _patterns as P

    firsts = {c for c in map(chr, range(0x80, 0x100)) if P.MOJIBAKE_PAIR.match(c + "\u0080")}
    assert firsts and all(c.encode("utf-8")[0] == 0xC3 for c in firsts)
