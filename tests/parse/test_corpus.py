"""The whole parse on the seeds, the development corpora and bad input; the CLI."""

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from govanalysis import parse_corpus
from govanalysis.cli import main
from govanalysis.parse.corpus import DOC_COLUMNS
from govanalysis.parse.structure import PARAGRAPH_COLUMNS, ROLES, SECTION_COLUMNS

SEED_EXPECTED = {
    # doc_id prefix: (province, city, county, year, period, genre, published)
    "000": ("广东省", "清远市", None, 2020, "H1", "summary_and_plan", "2021-02-03"),
    "001": ("广东省", "广州市", "白云区", 2021, "annual", "rule_of_law_report", "2022-01-14"),
    "002": ("广东省", "韶关市", "武江区", 2022, "H1", None, None),
    "003": ("湖北省", "恩施土家族苗族自治州", None, 2020, "annual", "summary", "2021-01-04"),
    "004": ("广东省", "梅州市", "梅县区", 2020, None, "key_points", None),
}
FURNITURE = ["智能问答", "当前位置", "字体大小", "扫一扫在手机打开当前页", "分享", "浏览次数", "相关信息", "扫码浏览"]


def na(value):
    return None if pd.isna(value) else value


@pytest.mark.parametrize("prefix", sorted(SEED_EXPECTED))
def test_seed_metadata(seeds_corpus, prefix):
    doc = seeds_corpus.docs.loc[seeds_corpus.docs.doc_id.str.startswith(prefix)].iloc[0]
    province, city, county, year, period, genre, published = SEED_EXPECTED[prefix]
    assert (na(doc.province), na(doc.city), na(doc.county)) == (province, city, county)
    assert doc.year == year
    if period:
        assert doc.period == period
    if genre:
        assert doc.genre == genre
    if published:
        assert doc.published == published
    assert doc.status == "ok"


@pytest.mark.parametrize("prefix, region_code", [("000", "441800"), ("001", "440111"), ("002", "440203"),
                                                 ("003", "422800"), ("004", "441403")])
def test_seed_region_codes(seeds_corpus, prefix, region_code):
    doc = seeds_corpus.docs.loc[seeds_corpus.docs.doc_id.str.startswith(prefix)].iloc[0]
    assert (doc.region_code, doc.province_code) == (region_code, region_code[:2] + "0000")


def test_seeds_are_read_as_five_documents(seeds_corpus):
    # seeds/README.md is a row too: skipped, with its reason.
    assert seeds_corpus.docs.status.value_counts().to_dict() == {"ok": 5, "skipped": 1}
    assert seeds_corpus.docs.set_index("doc_id").loc["README", "message"] == "sidecar file (.md), not a report"


def test_traditional_seed_is_converted_and_original_kept(seeds_corpus):
    doc = seeds_corpus.docs.set_index("doc_id").loc[lambda d: d.index.str.startswith("004")].iloc[0]
    assert doc.script == "traditional"
    assert "梅县区" in doc.text and "數" not in doc.text
    assert "梅縣區" in doc.raw_text
    paragraphs = seeds_corpus.paragraphs[seeds_corpus.paragraphs.doc_id.str.startswith("004")]
    assert not paragraphs.text.str.contains("數|據|區").any()


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
def test_summaries_have_a_problems_section(seeds_corpus, prefix):
    roles = seeds_corpus.sections.loc[seeds_corpus.sections.doc_id.str.startswith(prefix), "role"]
    assert "problems" in set(roles)
    assert "plans" in set(roles) or prefix == "003"


@pytest.mark.parametrize("phrase", FURNITURE)
def test_no_furniture_survives(seeds_corpus, phrase):
    assert not seeds_corpus.sections["text"].str.contains(phrase).any()
    assert not seeds_corpus.sections["heading"].fillna("").str.contains(phrase).any()
    assert not seeds_corpus.paragraphs["text"].str.contains(phrase).any()


def test_column_contracts_and_ids_join(seeds_corpus):
    assert seeds_corpus.docs.columns.tolist()[: len(DOC_COLUMNS)] == DOC_COLUMNS
    assert seeds_corpus.sections.columns.tolist() == SECTION_COLUMNS
    assert seeds_corpus.paragraphs.columns.tolist() == PARAGRAPH_COLUMNS
    assert set(seeds_corpus.sections.role) <= set(ROLES)
    assert set(seeds_corpus.paragraphs.doc_id) <= set(seeds_corpus.docs.doc_id)
    assert set(seeds_corpus.paragraphs.section_id) <= set(seeds_corpus.sections.section_id)
    parents = seeds_corpus.sections.parent_id.dropna()
    assert set(parents) <= set(seeds_corpus.sections.section_id)
    assert seeds_corpus.sections.section_id.is_unique
    assert seeds_corpus.paragraphs.paragraph_id.is_unique
    assert set(seeds_corpus.metadata_spans.field) >= {"province", "year", "genre"}


HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def han_share(corpus) -> pd.Series:
    """Per document: Han characters in ``paragraphs`` over those in the cleaned text."""
    docs = corpus.docs[corpus.docs.status.isin(["ok", "warning"])].set_index("doc_id")
    in_paragraphs = corpus.paragraphs.groupby("doc_id")["text"].agg(lambda t: len(HAN.findall("".join(t))))
    in_text = docs["text"].map(lambda t: len(HAN.findall(t)))
    return in_paragraphs.reindex(in_text.index, fill_value=0) / in_text.clip(lower=1)


def test_headings_are_paragraph_rows(seeds_corpus):
    assert (han_share(seeds_corpus) >= 0.99).all()
    headings = seeds_corpus.paragraphs.query("kind == 'heading'")
    named = headings.merge(seeds_corpus.sections[["section_id", "heading"]], on="section_id")
    assert [h in t for h, t in zip(named.heading, named.text)] == [True] * len(named)
    assert headings.section_id.is_unique
    problems = headings.query("role == 'problems'").text
    assert problems.str.contains("数据共享").sum() >= 2  # named as a problem in headings of two seeds


def test_kinds_keeps_body_text_only(seeds_dir, seeds_corpus):
    body = parse_corpus(seeds_dir, kinds=("item", "body")).paragraphs
    everything = seeds_corpus.paragraphs
    assert set(body.kind) == {"item", "body"}
    assert body.paragraph_id.tolist() == everything.query("kind != 'heading'").paragraph_id.tolist()
    with pytest.raises(ValueError, match="kinds"):
        parse_corpus(seeds_dir, kinds=("headings",))


def test_corpora_text_reaches_paragraphs(corpora_dir):
    for folder in sorted(p for p in corpora_dir.iterdir() if (p / "MANIFEST.tsv").exists()):
        share = han_share(parse_corpus(folder))
        assert (share >= 0.99).all(), (folder.name, share[share < 0.99].to_dict())


def furniture_forms() -> list[re.Pattern]:
    lines = (Path(__file__).parents[1] / "data" / "furniture_forms.txt").read_text("utf-8").splitlines()
    return [re.compile(line) for line in lines if line.strip() and not line.startswith("#")]


def test_no_furniture_form_reaches_paragraphs_of_any_corpus(seeds_dir, corpora_dir):
    forms = furniture_forms()
    for folder in [seeds_dir, *sorted(p for p in corpora_dir.iterdir() if (p / "MANIFEST.tsv").exists())]:
        paragraphs = parse_corpus(folder).paragraphs
        left = [t for t in paragraphs.text if any(f.fullmatch(t.strip()) for f in forms)]
        assert left == [], folder.name


def test_site_lines_are_learned_per_corpus(tmp_path):
    for n in range(3):
        (tmp_path / f"r{n}.txt").write_text(
            f"某省政务服务网\n某局2023年第{n + 1}季度工作总结\n2023年，我局推进数据共享{n}。\n"
            "主办：某省政务服务数据管理局 承办：某省大数据中心\n", encoding="utf-8")
    corpus = parse_corpus(tmp_path)
    site = corpus.removed_lines.query("kind == 'site'")
    assert sorted(set(site.text)) == ["主办：某省政务服务数据管理局承办：某省大数据中心", "某省政务服务网"]
    assert not corpus.paragraphs.text.str.contains("政务服务网|承办").any()
    kept = parse_corpus(tmp_path, learn_site=False).paragraphs
    assert kept.text.str.contains("承办").sum() == 3
    alone = parse_corpus(tmp_path / "r0.txt")
    assert "site" not in set(alone.removed_lines.kind)


def test_every_filled_field_has_a_span(seeds_corpus):
    docs = seeds_corpus.docs.set_index("doc_id")
    for span in seeds_corpus.metadata_spans.itertuples():
        assert str(docs.at[span.doc_id, span.field]) == span.value
        assert span.span


def test_same_input_gives_byte_identical_tables(tmp_path, seeds_dir):
    outputs = []
    for run in ("a", "b"):
        main(["parse", str(seeds_dir), "--out", str(tmp_path / run), "--no-progress"])
        outputs.append({p.name: p.read_bytes() for p in sorted((tmp_path / run).glob("*.csv"))})
    assert outputs[0] == outputs[1]
    assert set(outputs[0]) >= {"docs.csv", "sections.csv", "paragraphs.csv"}
    header = outputs[0]["docs.csv"].decode("utf-8").splitlines()[0]
    assert header == ",".join(DOC_COLUMNS)


def test_cli_accounts_for_bad_input(tmp_path, seeds_dir):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "junk.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "in" / "only-furniture.txt").write_text("智能问答\n当前位置: 首页 > 政务公开\n分享", encoding="utf-8")
    (tmp_path / "in" / "seed.txt").write_bytes((seeds_dir / "003_b7616f0418ad6038.txt").read_bytes())
    gone = subprocess.run(
        [sys.executable, "-m", "govanalysis.cli", "parse", str(tmp_path / "in"), str(tmp_path / "gone.txt"),
         "--out", str(tmp_path / "out")],
        capture_output=True, text=True,
    )
    assert gone.returncode == 2 and "gone.txt" in gone.stderr and not (tmp_path / "out").exists()
    result = subprocess.run(
        [sys.executable, "-m", "govanalysis.cli", "parse", str(tmp_path / "in"), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, check=True,
    )
    assert "Traceback" not in result.stderr and "2 of 4 inputs not read" in result.stderr
    docs = pd.read_csv(tmp_path / "out" / "docs.csv").set_index("doc_id")
    assert docs.status.to_dict() == {"empty": "error", "junk": "error", "only-furniture": "warning",
                                     "seed": "ok"}
    assert docs.message.notna()[["empty", "junk", "only-furniture"]].all()
    strict = subprocess.run([sys.executable, "-m", "govanalysis.cli", "parse", str(tmp_path / "in"),
                             "--out", str(tmp_path / "o2"), "--strict"], capture_output=True, text=True)
    assert strict.returncode == 2 and "empty" in strict.stderr and "Traceback" not in strict.stderr


def test_odd_unicode_never_crashes(tmp_path):
    odd = "\ufeff\u200b一、\u0301工作情况\n（\ud7ff）\U0002a6a5𠮷\x00\x1b[31m\n\u2028二、存在问题\n" + "\uffff" * 3
    (tmp_path / "odd.txt").write_text(odd, encoding="utf-8", errors="surrogatepass")
    corpus = parse_corpus(tmp_path, progress=False)
    assert len(corpus.docs) == 1
    assert corpus.docs.status.iloc[0] in ("ok", "warning", "error")


# --- the development corpora, labelled by their manifests -------------------------


def manifest(folder):
    return pd.read_csv(folder / "MANIFEST.tsv", sep="\t", dtype=str).fillna("")


@pytest.mark.parametrize("name", ["provincial-gwr-2025-docx", "agency-report-excerpts",
                                  "digital-gov-policy-pkulaw"])
def test_corpora_every_file_accounted_for(corpora_dir, name):
    folder = corpora_dir / name
    corpus = parse_corpus(folder, progress=False)
    reports = corpus.docs.query("status != 'skipped'")
    assert set(reports.doc_id) == {f.rsplit(".", 1)[0] for f in manifest(folder).file}
    assert (reports.status != "error").all()
    assert corpus.docs.query("status == 'skipped'").doc_id.tolist() == ["MANIFEST"]


def test_provincial_reports_metadata(corpora_dir):
    folder = corpora_dir / "provincial-gwr-2025-docx"
    docs = parse_corpus(folder, progress=False).docs.set_index("doc_id")
    labels = manifest(folder)
    province = labels["issuer/region"].str.split().str[0]
    got = docs.loc[labels.file.str.replace(".txt", "", regex=False)]
    assert sum(ours.startswith(label) for ours, label in zip(got.province.fillna(""), province)) >= 0.95 * len(labels)
    assert (got.admin_level == "province").mean() >= 0.95
    assert (got.year.astype(str).values == labels.year.values).mean() >= 0.95
    assert (got.genre == "government_work_report").mean() >= 0.95


def test_agency_excerpts_metadata(corpora_dir):
    folder = corpora_dir / "agency-report-excerpts"
    docs = parse_corpus(folder, progress=False).docs.set_index("doc_id")
    labels = manifest(folder).assign(doc_id=lambda m: m.file.str.replace(".txt", "", regex=False))
    dated = labels[labels.year != ""]
    year_hits = (docs.loc[dated.doc_id].year.astype(str).values == dated.year.values).mean()
    assert year_hits >= 0.85
    named = labels[~labels["issuer/region"].str.contains("anonymised")]
    cities = named["issuer/region"].str.extract(r"\((?:\S+)\s+([^\s;,)]+)")[0]
    got = docs.loc[named.doc_id]
    found = [
        any(isinstance(v, str) and v.startswith(city) for v in (row.province, row.city, row.county))
        for city, row in zip(cities, got.itertuples())
    ]
    assert sum(found) / len(found) >= 0.9
    anonymised = labels[labels["issuer/region"].str.startswith("XX")].doc_id
    assert docs.loc[anonymised, "province"].isna().all()  # XX区 is never guessed


def test_national_reports_are_national(corpora_dir):
    docs = parse_corpus(corpora_dir / "national-gwr-textworkshop17", progress=False).docs
    assert (docs.genre == "government_work_report").mean() >= 0.95
    assert (docs.year.astype(str) == docs.doc_id.str[:4]).mean() >= 0.95
    assert docs.province.isna().mean() >= 0.9


def test_long_stages_are_silent_unless_asked(seeds_dir, capfd):
    from govanalysis.text.tokens import tokenize

    corpus = parse_corpus(seeds_dir)
    tokenize(corpus.paragraphs)
    assert capfd.readouterr().err == ""
    parse_corpus(seeds_dir, progress=True)
    assert "parse" in capfd.readouterr().err


def test_same_report_in_any_encoding_or_as_html_gives_the_same_metadata(seeds_dir, seeds_corpus, tmp_path):
    import html

    for path in sorted(seeds_dir.glob("*.txt")):
        text, stem = path.read_text("utf-8"), path.stem[:3]
        (tmp_path / f"{stem}_legacy.txt").write_bytes(text.encode("big5" if stem == "004" else "gb18030"))
        (tmp_path / f"{stem}_utf16.txt").write_bytes(text.encode("utf-16"))
        (tmp_path / f"{stem}_crlf.txt").write_bytes(("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8"))
        body = "".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n") if line.strip())
        (tmp_path / f"{stem}_page.html").write_text(
            f"<html><head><meta charset='utf-8'></head><body><div>首页 > 政务公开</div><article>{body}"
            "</article><footer>版权所有</footer></body></html>", encoding="utf-8")
    variants = parse_corpus(tmp_path).docs
    base = seeds_corpus.docs.assign(key=seeds_corpus.docs.doc_id.str[:3]).set_index("key")
    columns = ["province", "city", "county", "year", "period", "genre", "published", "script"]
    assert len(variants) == 20 and (variants.status == "ok").all()
    for row in variants.itertuples():
        expected = base.loc[row.doc_id[:3], columns]
        assert [str(getattr(row, c)) for c in columns] == [str(v) for v in expected], row.doc_id
