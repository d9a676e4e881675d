"""Score the docs table against a hand-coded gold set of your own.

Usage: python bench/score_metadata.py GOLD.tsv [FOLDER] [--by COLUMN] [--show-errors]

``GOLD.tsv`` is tab-separated with a ``file`` column (names inside FOLDER, which
defaults to the gold file's folder) and any of the docs columns to score: ``title,
issuer, province, city, county, year, review_year, plan_year, period, genre,
region_code``. An empty gold cell means "not applicable" and is scored too (the package
must leave the field NA) for ``review_year``, ``plan_year`` and the place columns; for the
other columns an empty cell is skipped. ``--by`` splits the scores by a gold column
(e.g. ``title_in_text``). Prints one row per field: hits / scored.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

import govanalysis as ga

FIELDS = ["title", "issuer", "province", "city", "county", "region_code", "year", "review_year",
          "plan_year", "period", "genre"]
NA_IS_AN_ANSWER = {"province", "city", "county", "review_year", "plan_year"}


def normalise(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    text = str(value).strip()
    return text[:-2] if text.endswith(".0") and text[:-2].isdigit() else text


def score(gold: pd.DataFrame, docs: pd.DataFrame, show_errors: bool) -> dict[str, str]:
    result = {"docs": str(len(gold))}
    for field in [f for f in FIELDS if f in gold.columns and f in docs.columns]:
        hits = total = 0
        for row in gold.itertuples(index=False):
            want = normalise(getattr(row, field))
            if not want and field not in NA_IS_AN_ANSWER:
                continue
            got = normalise(docs.loc[row.doc_id, field])
            total += 1
            hits += got == want
            if got != want and show_errors:
                print(f"  {row.file}: {field} want {want!r} got {got!r}", file=sys.stderr)
        result[field] = f"{hits}/{total}"
    return result


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not args:
        sys.exit(__doc__)
    by = sys.argv[sys.argv.index("--by") + 1] if "--by" in sys.argv else None
    args = [a for a in args if a != by]
    gold_path = Path(args[0])
    folder = Path(args[1]) if len(args) > 1 else gold_path.parent
    gold = pd.read_csv(gold_path, sep="\t", dtype=str).fillna("")
    corpus = ga.parse_corpus([folder / name for name in gold["file"]])
    docs = corpus.docs.assign(file=corpus.docs["path"].map(lambda p: Path(p).name)).set_index("file")
    gold["doc_id"] = gold["file"]
    docs.index.name = None
    rows = [{"subset": "all"} | score(gold, docs, "--show-errors" in sys.argv)]
    if by:
        rows += [{"subset": f"{by}={value}"} | score(part, docs, False) for value, part in gold.groupby(by)]
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
