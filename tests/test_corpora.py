"""The shipped corpora: bytes as recorded, every file parsed, labels the manifests give."""

import hashlib
from pathlib import Path

import pandas as pd
import pytest

import govanalysis as ga

CORPORA = Path(__file__).resolve().parent.parent / "corpora"
FOLDERS = ["national-gwr", "provincial-gwr-2025"]


@pytest.fixture(scope="module", params=FOLDERS)
def shipped(request):
    folder = CORPORA / request.param
    return folder, ga.parse_corpus(folder), pd.read_csv(folder / "MANIFEST.tsv", sep="\t", dtype=str)


@pytest.mark.parametrize("name", FOLDERS)
def test_files_are_the_recorded_bytes(name):
    folder = CORPORA / name
    sums = pd.read_csv(folder / "sha256.tsv", sep="\t", dtype=str)
    assert sorted(sums["file"]) == sorted(p.name for p in folder.glob("*.txt"))
    for row in sums.itertuples():
        assert hashlib.sha256((folder / row.file).read_bytes()).hexdigest() == row.sha256, row.file


def test_every_manifest_file_parses_with_its_year(shipped):
    folder, corpus, manifest = shipped
    docs = corpus.docs.assign(file=corpus.docs["path"].map(lambda p: Path(p).name))
    read = docs[docs["status"] == "ok"].merge(manifest, on="file", suffixes=("", "_manifest"))
    assert set(read["file"]) == set(manifest["file"])  # sidecars skipped, every report read
    assert (read["year"].astype(str) == read["year_manifest"]).all()
    assert (read["genre"].isin(["government_work_report", "plan"])).all()


def test_provincial_reports_cover_every_province_once():
    corpus = ga.parse_corpus(CORPORA / "provincial-gwr-2025")
    ok = corpus.docs[corpus.docs["status"] == "ok"]
    assert ok["province_code"].nunique() == len(ok) == 31
    assert set(ok["admin_level"]) == {"province"}
