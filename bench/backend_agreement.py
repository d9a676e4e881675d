"""Token-level agreement of the rjieba backend with jieba, both with the domain dictionary.

Usage: python bench/backend_agreement.py [CORPORA_DIR]

For every paragraph of seeds/ and each corpus, both backends segment the text (HMM off);
agreement is the share of token spans (start, end) that both produce, over the larger
number of spans. The fast backend is the default only if agreement is at least 99.9%.
"""

from __future__ import annotations

import sys
import time
from itertools import accumulate
from pathlib import Path

import govanalysis as ga
from govanalysis.text.tokens import Tokenizer, TokenizerConfig


def spans(tokens: list[str]) -> set[tuple[int, int]]:
    ends = list(accumulate(len(t) for t in tokens))
    return set(zip([0, *ends[:-1]], ends))


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/corpora")
    folders = [Path("seeds"), *sorted(p for p in root.iterdir() if p.is_dir())]
    reference = Tokenizer(TokenizerConfig(backend="jieba"))
    fast = Tokenizer(TokenizerConfig(backend="rjieba"))
    total_shared = total_spans = 0
    print(f"{'corpus':40} {'paragraphs':>10} {'chars':>10} {'agreement':>10} {'differing':>9}")
    for folder in folders:
        paragraphs = ga.parse_corpus(folder, progress=False).paragraphs
        shared = n = differing = chars = 0
        for text in paragraphs.text:
            a, b = spans(reference.segment(text)), spans(fast.segment(text))
            shared += len(a & b)
            n += max(len(a), len(b))
            differing += a != b
            chars += len(text)
        total_shared += shared
        total_spans += n
        print(f"{folder.name:40} {len(paragraphs):>10} {chars:>10} {shared / n:>10.6f} {differing:>9}")
    print(f"{'all':40} {'':>10} {'':>10} {total_shared / total_spans:>10.6f}")
    sample = " ".join(ga.parse_corpus("seeds", progress=False).paragraphs.text) * 20
    for name, tokenizer in (("jieba", reference), ("rjieba", fast)):
        start = time.perf_counter()
        tokenizer.segment(sample)
        seconds = time.perf_counter() - start
        print(f"{name}: {len(sample) / seconds / 1e6:.2f} M chars/s on {len(sample):,} chars")


if __name__ == "__main__":
    main()
