"""Per-field metadata accuracy against the development corpora's hand-made manifests.

Usage: python bench/metadata_accuracy.py [CORPORA_DIR] [--show-errors]

The manifests (``MANIFEST.tsv``: file, title, issuer/region, year, genre, …) are labels
written by people; this script maps their free-text fields onto ours and counts agreement
for the fields a label exists for. It also times the parse of every corpus.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pandas as pd

import govanalysis as ga
from govanalysis.parse.regions import gazetteer

GENRES = [  # manifest wording -> our genre, first match wins
    (r"法治政府建设", "rule_of_law_report"),
    (r"政府工作报告", "government_work_report"),
    (r"要点", "key_points"),
    (r"总结.*(计划|安排)", "summary_and_plan"),
    (r"总结", "summary"),
    (r"计划", "plan"),
    (r"政策文件|通知", "policy_notice"),
]


def manifest_labels(folder: Path) -> pd.DataFrame:
    names = {form for form in gazetteer().by_name}
    manifest = pd.read_csv(folder / "MANIFEST.tsv", sep="\t", dtype=str).fillna("")
    rows = []
    for item in manifest.itertuples(index=False):
        region = item._2  # issuer/region
        inside = re.search(r"\(([^)]*)\)", region)
        tokens = re.sub(r"[;,，；]", " ", inside.group(1)).split() if inside else []
        # Only tokens that name a unit count; notes in the parentheses do not.
        places = [t for t in tokens if t in names] or [t for t in region.split()[:1] if t in names]
        genre = next((g for pattern, g in GENRES if re.search(pattern, item.genre)), None)
        period = "H1" if "上半年" in item.genre else None
        title = None if item.title.startswith("(") else item.title
        issuer = region.split(" (")[0].strip()
        issuer = None if (" " in issuer or issuer.startswith("XX")) else issuer  # "三亚 人民政府": no organ name
        year = int(item.year) if item.year.isdigit() else None
        gwr = genre == "government_work_report"
        # The label's deepest place, when the gazetteer knows it by one code only.
        codes = gazetteer().by_name.get(places[-1], ((), True))[0] if places else ()
        rows.append({"doc_id": Path(item.file).stem, "places": places, "title": title, "issuer": issuer,
                     "year": year, "genre": genre, "period": period,
                     "title_in_text": not item.title.startswith("("),
                     "region_code": codes[0] if len(codes) == 1 else None,
                     # Only a government work report's manifest year says both: delivered in N,
                     # it reviews N - 1 and plans N.
                     "review_year": year - 1 if gwr and year else None,
                     "plan_year": year if gwr and year else None})
    return pd.DataFrame(rows)


def place_match(places: list[str], doc: pd.Series) -> bool | None:
    if not places:
        return None
    ours = [doc[c] for c in ("province", "city", "county") if isinstance(doc[c], str)]
    # Every labelled place is named, and we claim nothing deeper than the label.
    named = all(any(o.startswith(p) for o in ours) for p in places)
    return named and bool(ours) and ours[-1].startswith(places[-1])


def evaluate(folder: Path, show_errors: bool) -> dict:
    labels = manifest_labels(folder)
    start = time.perf_counter()
    corpus = ga.parse_corpus(folder, progress=False)
    elapsed = time.perf_counter() - start
    docs = corpus.docs.set_index("doc_id")
    result = {"corpus": folder.name, "docs": len(labels)}
    for field in ("region", "region_code", "title", "issuer", "year", "review_year", "plan_year",
                  "genre", "genre_titled", "period"):
        hits = total = 0
        for label in labels.itertuples(index=False):
            doc = docs.loc[label.doc_id]
            if field == "region":
                ok = place_match(label.places, doc)
            elif field == "genre_titled":  # genre where the title is in the text
                if not label.title_in_text or not isinstance(label.genre, str):
                    continue
                ok = doc["genre"] == label.genre
            else:
                expected = getattr(label, field)
                if expected is None or (isinstance(expected, float) and pd.isna(expected)):
                    continue
                ok = doc[field] == expected if not pd.isna(doc[field]) else False
            if ok is None:
                continue
            total += 1
            hits += bool(ok)
            if not ok and show_errors:
                name = "genre" if field == "genre_titled" else field
                got = doc[["province", "city", "county"]].tolist() if field == "region" else doc[name]
                want = label.places if field == "region" else getattr(label, name)
                print(f"  {folder.name}/{label.doc_id}: {field} want {want} got {got}", file=sys.stderr)
        result[field] = f"{hits}/{total}"
    result["seconds"] = round(elapsed, 2)
    result["chars"] = int(corpus.docs["raw_text"].str.len().sum())
    return result


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else Path("../shared/corpora")
    show = "--show-errors" in sys.argv
    rows = [evaluate(folder, show) for folder in sorted(root.iterdir()) if (folder / "MANIFEST.tsv").exists()]
    table = pd.DataFrame(rows)
    print(table.to_string(index=False))
    total_chars, total_seconds = table["chars"].sum(), table["seconds"].sum()
    print(f"throughput: {table['docs'].sum() / total_seconds:.1f} docs/s, "
          f"{total_chars / total_seconds / 1e3:.0f} k chars/s over {table['docs'].sum()} docs")


if __name__ == "__main__":
    main()
