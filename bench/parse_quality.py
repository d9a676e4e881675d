"""How much text reaches the analysed tables, and how much furniture does, per corpus.

Usage: python bench/parse_quality.py [CORPORA_DIR ...]

For every corpus (default: the seeds and every folder of ../shared/corpora) it prints:
- ``han_reach``: Han characters in ``paragraphs`` over those in the cleaned text (min and
  mean over documents; headings count);
- ``furniture_left``: paragraph rows that match a furniture form of
  ``tests/data/furniture_forms.txt``;
- ``removed``: Han characters cleaning removed, as a share of the input's;
- ``text_lost``: Han characters of removed lines that read as body text (a line over 60
  characters or one that ends a sentence), as a share of the input's.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

import govanalysis as ga

ROOT = Path(__file__).resolve().parent.parent
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
SENTENCE_END = re.compile(r"[。！？!?；;]\s*$")


def furniture_forms() -> list[re.Pattern]:
    lines = (ROOT / "tests" / "data" / "furniture_forms.txt").read_text("utf-8").splitlines()
    return [re.compile(line) for line in lines if line.strip() and not line.startswith("#")]


def han(text: str) -> int:
    return len(HAN.findall(text or ""))


def quality(folder: Path) -> dict:
    corpus = ga.parse_corpus(folder)
    docs = corpus.docs[corpus.docs.status != "error"].set_index("doc_id")
    reached = corpus.paragraphs.groupby("doc_id")["text"].agg(lambda t: han("".join(t)))
    share = reached.reindex(docs.index, fill_value=0) / docs["text"].map(han).clip(lower=1)
    forms = furniture_forms()
    left = corpus.paragraphs["text"].map(lambda t: any(f.fullmatch(t.strip()) for f in forms))
    total = max(1, int(docs["raw_text"].map(han).sum()))
    removed = corpus.removed_lines["text"]
    lost = removed[removed.str.len().gt(60) | removed.str.contains(SENTENCE_END)]
    return {"corpus": folder.name, "docs": len(docs), "han_reach_min": round(share.min(), 4),
            "han_reach_mean": round(share.mean(), 4), "furniture_left": int(left.sum()),
            "removed": round(sum(map(han, removed)) / total, 4),
            "text_lost": round(sum(map(han, lost)) / total, 5)}


def main() -> None:
    folders = [Path(a) for a in sys.argv[1:]] or [ROOT / "seeds"] + sorted(
        p for p in (ROOT.parent / "shared" / "corpora").iterdir() if (p / "MANIFEST.tsv").exists())
    print(pd.DataFrame([quality(folder) for folder in folders]).to_string(index=False))


if __name__ == "__main__":
    main()
