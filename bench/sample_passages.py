"""Draw a seeded theme-coding sheet of paragraphs from seeds/ and the development corpora.

Usage: python bench/sample_passages.py OUT.csv --seed N --n N [--exclude SHEET.csv ...]

Passages are drawn by :func:`govanalysis.sample_for_coding`, stratified by corpus, section role and
by whether the lexicon finds any theme, from seeds/ and ../shared/corpora (agency excerpts,
2024 city and 2025 provincial government work reports, pkulaw notices). Paragraphs whose
text is in an ``--exclude`` sheet are never drawn. The sheet has ``unit_id, text`` and one
blank column per theme; ``OUT.key.csv`` beside it has each unit's corpus, file and role.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

import govanalysis as ga

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ["agency-report-excerpts", "municipal-gwr-2024-digital-governance", "provincial-gwr-2025-docx",
           "digital-gov-policy-pkulaw"]


def passages() -> pd.DataFrame:
    frames = []
    for name, folder in [("seeds", ROOT / "seeds"), *[(c, ROOT.parent / "shared" / "corpora" / c) for c in CORPORA]]:
        parsed = ga.parse_corpus(folder)
        files = parsed.docs.set_index("doc_id")["path"].map(lambda p: Path(p).name)
        frames.append(parsed.paragraphs.assign(corpus=name, file=parsed.paragraphs["doc_id"].map(files)))
    return pd.concat(frames, ignore_index=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--exclude", type=Path, nargs="*", default=[])
    parser.add_argument("--cue", default=None,
                        help="draw only passages matching this regular expression (broad words, not lexicon terms)")
    args = parser.parse_args()
    units = passages()
    seen = set()
    for path in args.exclude:
        seen.update(pd.read_csv(path, dtype=str)["text"])
    units = units[~units["text"].isin(seen)]
    if args.cue:
        units = units[units["text"].str.contains(args.cue, regex=True)]
    sheet = ga.sample_for_coding(units, args.n, stratify=("corpus", "role", "lexicon_hit"), random_state=args.seed)
    sheet.to_csv(args.out, index=False)
    key = sheet[["unit_id"]].merge(units[["paragraph_id", "corpus", "file", "role", "kind"]],
                                   left_on="unit_id", right_on="paragraph_id").drop(columns="paragraph_id")
    key.to_csv(args.out.with_suffix(".key.csv"), index=False)
    print(f"{len(sheet)} passages -> {args.out}; by corpus: {key['corpus'].value_counts().to_dict()}")


if __name__ == "__main__":
    main()
