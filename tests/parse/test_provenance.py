"""Where documents came from: manifests and addresses in the page (govanalysis/parse/provenance.py)."""

import html
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

from govanalysis import ManifestError, ManifestWarning, parse_corpus
from govanalysis.parse.provenance import furniture_url

ROOT = Path(__file__).resolve().parents[2]
NATIONAL = ROOT / "corpora" / "national-gwr"


def test_shipped_manifest_joins_every_file_with_its_columns():
    files = sorted(NATIONAL.glob("*.txt"))[:6]
    with warnings.catch_warnings():
        warnings.simplefilter("error", ManifestWarning)  # 49 rows, 6 inputs: the rest match no input
        with pytest.raises(ManifestWarning, match="43 of 49 rows match no input"):
            parse_corpus(files, manifest=NATIONAL / "MANIFEST.tsv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ManifestWarning)
        docs = parse_corpus(files, manifest=NATIONAL / "MANIFEST.tsv").docs
    manifest = pd.read_csv(NATIONAL / "MANIFEST.tsv", sep="\t", dtype=str).set_index("file")
    assert len(docs) == 6 and (docs.status == "ok").all()
    # Columns docs already has (title, year, genre) are kept as manifest_<name>; the others as they are.
    for row in docs.itertuples():
        name = Path(row.path).name
        assert row.manifest_title == manifest.at[name, "title"] and row.source == manifest.at[name, "source"]
        assert row.manifest_year == manifest.at[name, "year"] == str(row.year)
    assert docs.source_url.isna().all() and docs.retrieved.isna().all()  # this manifest has no url or date


def test_manifest_problems_are_warnings_naming_them(tmp_path, seeds_dir):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for path in sorted(seeds_dir.glob("*.txt"))[:3]:
        (inputs / path.name).write_bytes(path.read_bytes())
    names = sorted(p.name for p in inputs.iterdir())
    manifest = tmp_path / "scrape.csv"
    manifest.write_text(
        "file,url,retrieved,collector\n"
        f"{names[0]},http://www.gdqy.gov.cn/a.html,2024-03-02,张三\n"
        f"in/{names[1]},http://www.by.gov.cn/b.html,2024年3月5日,李四\n"
        f"{names[1]},http://elsewhere/b.html,2024-03-06,李四\n"
        f"{names[2]},,last week,\n"
        "gone.txt,http://x.gov.cn/gone.html,2024-03-02,王五\n", encoding="utf-8")
    with pytest.warns(ManifestWarning) as caught:
        corpus = parse_corpus(inputs, manifest=manifest)
    messages = [str(w.message) for w in caught]
    assert any("1 of 5 rows match no input: gone.txt" in m for m in messages)
    assert any("duplicate" in m and names[1] in m and "rows 3 and 4" in m for m in messages)
    assert any("not dates" in m and "'last week'" in m for m in messages)
    docs = corpus.docs.set_index("doc_id")
    assert len(docs) == 3 and (docs.status == "ok").all()  # every file still accounted for
    ids = [Path(n).stem for n in names]
    assert docs.source_url.tolist()[:2] == ["http://www.gdqy.gov.cn/a.html", "http://www.by.gov.cn/b.html"]
    assert pd.isna(docs.source_url.iloc[2])  # no url in its row, none in the page
    assert docs.loc[ids[1], "retrieved"] == pd.Timestamp("2024-03-05") and pd.isna(docs.loc[ids[2], "retrieved"])
    assert docs.collector.tolist()[:2] == ["张三", "李四"]
    spans = corpus.metadata_spans.query("field == 'source_url'")
    assert set(spans.source) == {"manifest"} and len(spans) == 2


def test_bad_manifest_stops_before_any_work(tmp_path, seeds_dir):
    (tmp_path / "m.tsv").write_text("name\turl\na.txt\thttp://x\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="no 'file' column"):
        parse_corpus(seeds_dir, manifest=tmp_path / "m.tsv")
    for manifest, message in [(tmp_path / "m.tsv", "no 'file' column"), (tmp_path / "none.csv", "no such file")]:
        result = subprocess.run([sys.executable, "-m", "govanalysis", "parse", str(seeds_dir), "--out",
                                 str(tmp_path / "out"), "--manifest", str(manifest)], capture_output=True, text=True)
        assert result.returncode == 2 and message in result.stderr and "--manifest" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / "out").exists()


def test_cli_manifest_warning_goes_to_stderr(tmp_path, seeds_dir):
    (tmp_path / "m.csv").write_text("file,url\nnot-there.txt,http://x.gov.cn/\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "govanalysis", "parse", str(seeds_dir), "--out",
                             str(tmp_path / "out"), "--manifest", str(tmp_path / "m.csv")],
                            capture_output=True, text=True, check=True)
    assert "govanalysis: warning: m.csv: 1 of 1 rows match no input: not-there.txt" in result.stderr
    assert len(pd.read_csv(tmp_path / "out" / "docs.csv")) == 6


def test_source_url_from_pkulaw_furniture(corpora_dir):
    corpus = parse_corpus(corpora_dir / "digital-gov-policy-pkulaw")
    docs = corpus.docs[corpus.docs.status == "ok"]
    assert len(docs) == 5 and docs.source_url.str.match(r"^https://www\.pkulaw\.com/lar/\w+\.html$").all()
    spans = corpus.metadata_spans.query("field == 'source_url'")
    assert (spans.source == "header").all() and spans.span.str.startswith("原文链接：").all()


def test_source_url_from_html_canonical_and_labelled_links(tmp_path, seeds_dir):
    text = (seeds_dir / "003_b7616f0418ad6038.txt").read_text("utf-8")
    body = "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line.strip())
    pages = {
        "canonical.html": '<link rel="canonical" href="http://www.enshi.gov.cn/2021/0104/1.shtml">',
        "og.html": '<meta property="og:url" content="http://www.enshi.gov.cn/og.shtml">',
        "relative.html": '<link rel="canonical" href="/2021/0104/1.shtml">',
    }
    for name, head in pages.items():
        (tmp_path / name).write_text(f"<html><head><meta charset='utf-8'>{head}</head><body><div>来源："
                                     f"<a href='http://www.hubei.gov.cn/src.html'>湖北省人民政府</a></div>"
                                     f"<article>{body}</article></body></html>", encoding="utf-8")
    corpus = parse_corpus(tmp_path)
    urls = corpus.docs.set_index("doc_id").source_url.to_dict()
    assert urls == {"canonical": "http://www.enshi.gov.cn/2021/0104/1.shtml", "og": "http://www.enshi.gov.cn/og.shtml",
                    "relative": "http://www.hubei.gov.cn/src.html"}  # a relative canonical link is no address
    assert set(corpus.metadata_spans.query("field == 'source_url'").source) == {"html"}


def test_a_body_sentence_naming_an_address_is_not_provenance(seeds_corpus):
    lines = ["群众可登录广东政务服务网（网址：https://www.gdzwfw.gov.cn）办理。", "来源：https://www.gd.gov.cn/x.html"]
    assert furniture_url(lines, [None, "header"])[0] == "https://www.gd.gov.cn/x.html"
    assert furniture_url(lines[:1], [None]) is None
    assert seeds_corpus.docs.source_url.isna().all()  # the seeds say nowhere where they came from
