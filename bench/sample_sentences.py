"""Draw a seeded sample of sentences from the development corpora for hand coding.

Usage: python bench/sample_sentences.py OUT.tsv --seed N --n N [--exclude TSV ...] [CORPORA_DIR]

Each corpus contributes in proportion to a fixed quota (agency reports and government work
reports of every level). Most sentences are drawn among those that hold a number (Arabic
digits or a Chinese numeral before a counter or scale); one in eight among all sentences,
so that the coder also meets negatives. Sentences whose text appears in an ``--exclude``
file (a ``text`` or ``sentence`` column, or first column) are never drawn, so a fresh
sample shares nothing with the sets the rules were tuned on.

The output has one row per sentence: ``sample_id, corpus, file, paragraph_id, kind, role,
text``; ``bench/indicator_accuracy.py`` finds each sentence again in a fresh parse.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pandas as pd

import govanalysis as ga

QUOTAS = {  # sentences per corpus out of 100
    "agency-report-excerpts": 30,
    "municipal-gwr-2024-digital-governance": 30,
    "provincial-gwr-2025-docx": 25,
    "national-gwr-textworkshop17": 10,
    "digital-gov-policy-pkulaw": 5,
}
NUMERIC = re.compile(r"[0-9０-９]|[一二两三四五六七八九十百千万亿半]+[个项件位次倍成天年名家万亿人户台套]")


def corpus_sentences(root: Path) -> pd.DataFrame:
    frames = []
    for corpus in QUOTAS:
        parsed = ga.parse_corpus(root / corpus)
        sentences = ga.split_sentences(parsed.paragraphs)
        paths = parsed.docs.set_index("doc_id")["path"]
        sentences["corpus"] = corpus
        sentences["file"] = sentences["doc_id"].map(paths.map(lambda path: Path(path).name))
        frames.append(sentences)
    table = pd.concat(frames, ignore_index=True)
    return table[table["text"].str.len() >= 6]


def excluded_texts(paths: list[Path]) -> set[str]:
    """Sentences of gold files: the ``text`` column if the header has one, else the first field."""
    texts: set[str] = set()
    for path in paths:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and line[0] != "#"]
        header = lines[0].split("\t") if lines else []
        column = header.index("text") if "text" in header else 0
        texts.update(line.split("\t")[column].strip() for line in lines if len(line.split("\t")) > column)
    return texts


def sample(sentences: pd.DataFrame, n: int, seed: int, exclude: set[str]) -> pd.DataFrame:
    pool = sentences[~sentences["text"].isin(exclude)].drop_duplicates("text")
    picks = []
    for corpus, quota in QUOTAS.items():
        mine = pool[pool["corpus"] == corpus]
        want = max(1, round(n * quota / 100))
        n_any = max(1, want // 8)
        numeric = mine[mine["text"].str.contains(NUMERIC)]
        first = numeric.sample(n=min(want - n_any, len(numeric)), random_state=seed)
        rest = mine.drop(first.index)
        picks += [first, rest.sample(n=min(n_any, len(rest)), random_state=seed)]
    drawn = pd.concat(picks).sample(frac=1, random_state=seed).reset_index(drop=True)
    drawn.insert(0, "sample_id", [f"s{seed}_{i:03d}" for i in range(1, len(drawn) + 1)])
    return drawn[["sample_id", "corpus", "file", "paragraph_id", "kind", "role", "text"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("corpora", type=Path, nargs="?", default=Path(__file__).parents[2] / "shared" / "corpora")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--exclude", type=Path, nargs="*", default=[])
    args = parser.parse_args()
    drawn = sample(corpus_sentences(args.corpora), args.n, args.seed, excluded_texts(args.exclude))
    drawn.to_csv(args.out, sep="\t", index=False)
    print(f"{len(drawn)} sentences -> {args.out}")


if __name__ == "__main__":
    main()
