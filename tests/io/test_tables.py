"""Tables to a folder as CSV or Parquet, and back with their dtypes (govanalysis/io/tables.py)."""

import json
import subprocess
import sys

import pandas as pd
import pytest

import govanalysis as ga
from govanalysis.cli import main
from govanalysis.io.tables import read_tables, typed, write_tables

pytest.importorskip("pyarrow")

TABLES = ("docs", "sections", "paragraphs", "sentences", "metadata_spans", "removed_lines")


@pytest.fixture(scope="module")
def written(tmp_path_factory, seeds_corpus):
    folders = {}
    for fmt in ("csv", "parquet"):
        folders[fmt] = tmp_path_factory.mktemp(fmt)
        seeds_corpus.write(folders[fmt], format=fmt)
    return folders


def expected(corpus, name):
    table = corpus.docs.drop(columns=["raw_text", "text"]) if name == "docs" else getattr(corpus, name)
    return typed(table)


def test_parquet_reads_back_exactly_with_the_package_dtypes(written, seeds_corpus):
    back = ga.read_tables(written["parquet"])
    assert sorted(back) == sorted(TABLES)
    for name in TABLES:
        pd.testing.assert_frame_equal(back[name], expected(seeds_corpus, name), obj=name)
    docs, paragraphs = back["docs"], back["paragraphs"]
    assert list(paragraphs.role.cat.categories) == ["preamble", "achievements", "problems", "plans", "safeguards",
                                                    "other"]
    assert docs.year.dtype == "Int64" and docs.review_year.dtype == "Int64"
    assert str(docs.published.dtype) == "datetime64[ns]" and docs.published.notna().sum() == 3
    assert docs.status.dtype == "category" and set(docs.status) == {"ok", "skipped"}


def test_csv_reads_back_with_the_same_dtypes(written, seeds_corpus):
    csv, parquet = ga.read_tables(written["csv"]), ga.read_tables(written["parquet"])
    for name in TABLES:
        assert csv[name].dtypes.astype(str).to_dict() == parquet[name].dtypes.astype(str).to_dict(), name
        # A CSV field cannot tell "" from missing: both read back missing.
        pd.testing.assert_frame_equal(csv[name], parquet[name].replace("", pd.NA).astype(parquet[name].dtypes),
                                      obj=name)


def test_both_formats_are_byte_identical_on_rewrite(tmp_path, seeds_corpus, written):
    for fmt, first in written.items():
        again = tmp_path / fmt
        seeds_corpus.write(again, format=fmt)
        files = sorted(p.name for p in first.iterdir())
        assert files == sorted(p.name for p in again.iterdir())
        assert all((first / f).read_bytes() == (again / f).read_bytes() for f in files), fmt


def test_datapackage_describes_every_table(written):
    package = json.loads((written["parquet"] / "datapackage.json").read_text("utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    assert set(resources) == set(TABLES)
    fields = {f["name"]: f for f in resources["sections"]["schema"]["fields"]}
    assert fields["role"]["categories"][0] == "preamble" and fields["level"]["type"] == "integer"
    assert resources["docs"]["path"] == "docs.parquet" and resources["docs"]["format"] == "parquet"


def test_a_folder_without_a_schema_gets_the_package_dtypes(tmp_path, seeds_corpus):
    seeds_corpus.sections.to_csv(tmp_path / "sections.csv", index=False)
    back = read_tables(tmp_path)["sections"]
    assert back.role.dtype == "category" and len(back) == len(seeds_corpus.sections)


def test_bad_format_and_ambiguous_folder_are_named(tmp_path):
    table = pd.DataFrame({"year": [2020]})
    with pytest.raises(ValueError, match="'xlsx'"):
        write_tables({"t": table}, tmp_path, format="xlsx")
    write_tables({"t": table}, tmp_path, format="csv")
    write_tables({"t": table}, tmp_path, format="parquet")
    with pytest.raises(ValueError, match="t.csv and t.parquet"):
        read_tables(tmp_path)
    assert read_tables(tmp_path, format="csv")["t"].year.dtype == "Int64"


def test_cli_writes_parquet_for_parse_and_indicators(tmp_path, seeds_dir):
    assert main(["parse", str(seeds_dir), "--out", str(tmp_path / "p"), "--format", "parquet", "--no-progress"]) == 0
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == sorted(
        [f"{t}.parquet" for t in TABLES] + ["datapackage.json"])
    assert main(["indicators", str(seeds_dir), "--out", str(tmp_path / "i"), "--format", "parquet",
                 "--no-progress"]) == 0
    back = read_tables(tmp_path / "i")
    assert set(back) == {"indicators", "policy_terms", "policy_term_counts"}
    assert back["indicators"].role.dtype == "category" and len(back["indicators"]) > 100


def test_cli_bad_format_is_exit_2_and_writes_nothing(tmp_path, seeds_dir):
    result = subprocess.run([sys.executable, "-m", "govanalysis", "parse", str(seeds_dir), "--out",
                             str(tmp_path / "o"), "--format", "xlsx"], capture_output=True, text=True)
    assert result.returncode == 2 and "--format" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def test_python_dash_m_is_the_cli():
    result = subprocess.run([sys.executable, "-m", "govanalysis", "--help"], capture_output=True, text=True,
                            check=True)
    assert "parse" in result.stdout and "figures" in result.stdout


def test_pyarrow_is_imported_lazily():
    # pandas 3 may load pyarrow itself; the package imports it only inside the functions that write or read Parquet.
    import ast
    from pathlib import Path

    out = subprocess.run([sys.executable, "-c", "import sys, govanalysis; print('pyarrow' in sys.modules)"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    for path in Path(ga.__file__).parent.rglob("*.py"):
        for node in ast.parse(path.read_text("utf-8")).body:
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.split(".")[0] == "pyarrow" for n in names), path
