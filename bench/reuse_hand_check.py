"""Draw the seeded sample of 50 reported pairs between real documents for a hand check.

Usage: python bench/reuse_hand_check.py [OUT.tsv] [--seed 16]

Pairs come from the two comparisons of notebook 09 at the default parameters: the 2025
provincial reports against the national reports 1954-2017 (15 pairs) and against each other
(35 pairs). The output has one row per pair: ``check_id, comparison, sentence_id,
source_sentence_id, similarity, shared_chars, text, source_text, shared_text`` and an empty
``judgement`` and ``note`` for the coder: ``reuse`` (the sentence takes a clause or more from
the source), ``formula`` (what is shared is a set formula of the genre: the address to the
congress, the closing call, the delivery line), ``not_reuse`` (the shared text is a
coincidence of common words). ``tests/text/test_reuse.py`` checks that every pair of the coded
file is still reported.
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import pandas as pd

import govanalysis as ga

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "gold" / "reuse_hand_check.tsv"


def comparisons() -> dict[str, pd.DataFrame]:
    provincial = ga.parse_corpus(ROOT / "corpora" / "provincial-gwr-2025", progress=False).sentences
    national = ga.parse_corpus(ROOT / "corpora" / "national-gwr", progress=False).sentences
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ga.ReuseWarning)
        return {"provincial_vs_national": ga.text_reuse(provincial, national),
                "provincial_vs_provincial": ga.text_reuse(provincial)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", nargs="?", default=str(OUT))
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args(argv)
    found = comparisons()
    sample = pd.concat([found["provincial_vs_national"].sample(15, random_state=args.seed)
                        .assign(comparison="provincial_vs_national"),
                        found["provincial_vs_provincial"].sample(35, random_state=args.seed)
                        .assign(comparison="provincial_vs_provincial")], ignore_index=True)
    sample.insert(0, "check_id", [f"h{i + 1:02d}" for i in range(len(sample))])
    columns = ["check_id", "comparison", "sentence_id", "source_sentence_id", "similarity", "shared_chars", "text",
               "source_text", "shared_text"]
    sample = sample[columns].assign(similarity=sample["similarity"].round(3), judgement="", note="")
    sample.to_csv(args.out, sep="\t", index=False, lineterminator="\n")
    print(f"{len(sample)} pairs -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
