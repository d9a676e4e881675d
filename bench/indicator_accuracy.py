"""Precision and recall of the indicator extractor against hand-coded gold, overall and per class.

Usage: python bench/indicator_accuracy.py SENTENCES.tsv CLAIMS.tsv [SENTENCES.tsv CLAIMS.tsv ...]
       [--corpora DIR] [--show-errors] [--json OUT]

The gold follows ``bench/gold/INDICATORS.md``: a sample of sentences (``sample_id, corpus,
file, paragraph_id, text``) and one row per number in them (``claim`` yes / no). Each
sentence is found again in a fresh parse of its corpus; an extracted row counts for a gold
sentence when its offset falls inside it (so a sentence with no claims still scores false
positives). Inside a sentence, extracted and gold claims are paired by overlapping span,
largest overlap first. A pair is right when value (scale applied) and unit agree; from_value
and kind are scored on the right pairs. Per class: recall over the gold claims of that
class; precision over the extracted rows paired with it, or lying on a gold non-claim of
that reason (year, name, ordinal …), or on no gold number at all (``unlabelled``).
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import pandas as pd

import govanalysis as ga


def _same(a, b) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)) or (isinstance(b, float) and math.isnan(b)):
        return (a is None or a != a) and (b is None or b != b)
    return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)


def _number(text: str):
    return float(text) if text not in ("", None) else None


def load_gold(pairs: list[tuple[Path, Path]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    sentences, claims = [], []
    for sentence_file, claim_file in pairs:
        sentences.append(pd.read_csv(sentence_file, sep="\t", dtype=str, keep_default_na=False))
        claims.append(pd.read_csv(claim_file, sep="\t", dtype=str, keep_default_na=False))
    return pd.concat(sentences, ignore_index=True), pd.concat(claims, ignore_index=True)


def locate_spans(sentence: str, raws: list[str]) -> list[tuple[int, int]]:
    """Spans of the gold raws in order of appearance (a repeated raw takes the next copy)."""
    spans, cursor = [], 0
    for raw in raws:
        position = sentence.find(raw, cursor)
        if position < 0:
            position = sentence.find(raw)
        spans.append((position, position + len(raw)))
        cursor = position + len(raw) if position >= 0 else cursor
    return spans


def score(sentences: pd.DataFrame, claims: pd.DataFrame, corpora: Path) -> dict:
    extracted, paragraphs = {}, {}
    for corpus in sorted(sentences["corpus"].unique()):
        parsed = ga.parse_corpus(corpora / corpus)
        names = parsed.docs.set_index("doc_id")["path"].map(lambda p: Path(p).name)
        table = parsed.paragraphs.assign(file=parsed.paragraphs["doc_id"].map(names))
        indicators = ga.extract_indicators(parsed.paragraphs)
        indicators["file"] = indicators["doc_id"].map(names)
        for key, group in table.groupby(["file"]):
            paragraphs[(corpus, key[0])] = group
        for key, group in indicators.groupby(["file", "paragraph_id"]):
            extracted[(corpus, *key)] = group
    pairs, unpaired_pred, unpaired_gold, missing = [], [], [], []
    for sample in sentences.itertuples(index=False):
        doc = paragraphs.get((sample.corpus, sample.file))
        where = None
        if doc is not None:
            ordered = pd.concat([doc[doc["paragraph_id"] == sample.paragraph_id], doc])
            for paragraph in ordered.itertuples(index=False):
                start = paragraph.text.find(sample.text)
                if start >= 0:
                    where = (paragraph.paragraph_id, start)
                    break
        if where is None:
            missing.append(sample.sample_id)
            continue
        paragraph_id, start = where
        end = start + len(sample.text)
        found = extracted.get((sample.corpus, sample.file, paragraph_id))
        predicted = [] if found is None else [
            row for row in found.to_dict("records") if start <= row["offset"] < end]
        gold = claims[claims["sample_id"] == sample.sample_id]
        spans = locate_spans(sample.text, list(gold["raw"]))
        gold_rows = [dict(row, span=span) for row, span in zip(gold.to_dict("records"), spans)]
        positives = [g for g in gold_rows if g["claim"] == "yes"]
        negatives = [g for g in gold_rows if g["claim"] != "yes"]
        candidates = []
        for i, row in enumerate(predicted):
            a = row["offset"] - start
            b = a + len(row["raw"])
            for j, g in enumerate(positives):
                overlap = min(b, g["span"][1]) - max(a, g["span"][0])
                if overlap > 0:
                    candidates.append((-overlap, i, j))
        used_p, used_g = set(), set()
        for _, i, j in sorted(candidates):
            if i not in used_p and j not in used_g:
                used_p.add(i)
                used_g.add(j)
                pairs.append((sample, predicted[i], positives[j]))
        for i, row in enumerate(predicted):
            if i in used_p:
                continue
            a = row["offset"] - start
            b = a + len(row["raw"])
            reason = next((g["class"] for g in negatives if min(b, g["span"][1]) > max(a, g["span"][0])),
                          "unlabelled")
            unpaired_pred.append((sample, row, reason))
        unpaired_gold += [(sample, g) for j, g in enumerate(positives) if j not in used_g]

    def right(pred, gold) -> bool:
        unit = pred["unit"] if isinstance(pred["unit"], str) else ""
        return _same(pred["value"], _number(gold["value"])) and unit == gold["unit"]

    correct = [(s, p, g) for s, p, g in pairs if right(p, g)]
    wrong = [(s, p, g) for s, p, g in pairs if not right(p, g)]
    n_pred = len(pairs) + len(unpaired_pred)
    n_gold = len(pairs) + len(unpaired_gold)
    classes = {}
    for _, p, g in pairs:
        entry = classes.setdefault(g["class"], {"gold": 0, "pred": 0, "tp": 0})
        entry["pred"] += 1
        entry["tp"] += right(p, g)
    for _, g in [(s, g) for s, _, g in pairs] + unpaired_gold:
        classes.setdefault(g["class"], {"gold": 0, "pred": 0, "tp": 0})["gold"] += 1
    for _, _, reason in unpaired_pred:
        classes.setdefault(reason, {"gold": 0, "pred": 0, "tp": 0})["pred"] += 1
    per_class = {
        name: {**c, "precision": round(c["tp"] / c["pred"], 3) if c["pred"] else None,
               "recall": round(c["tp"] / c["gold"], 3) if c["gold"] else None}
        for name, c in sorted(classes.items(), key=lambda item: -(item[1]["gold"] + item[1]["pred"]))
    }
    return {
        "sentences": len(sentences) - len(missing),
        "sentences_not_found": missing,
        "gold_claims": n_gold,
        "extracted": n_pred,
        "correct": len(correct),
        "precision": round(len(correct) / n_pred, 3) if n_pred else None,
        "recall": round(len(correct) / n_gold, 3) if n_gold else None,
        "from_value_right": round(sum(_same(p["from_value"], _number(g["from_value"])) for _, p, g in correct)
                                  / len(correct), 3) if correct else None,
        "kind_right": round(sum(p["kind"] == g["kind"] for _, p, g in correct) / len(correct), 3)
        if correct else None,
        "per_class": per_class,
        "errors": {
            "wrong": [(s.sample_id, p["raw"], p["value"], p["unit"], g["raw"], g["value"], g["unit"])
                      for s, p, g in wrong],
            "false_positive": [(s.sample_id, p["raw"], p["value"], p["unit"], reason)
                               for s, p, reason in unpaired_pred],
            "missed": [(s.sample_id, g["raw"], g["value"], g["unit"], g["class"]) for s, g in unpaired_gold],
            "kind": [(s.sample_id, p["raw"], p["kind"], g["kind"]) for s, p, g in correct if p["kind"] != g["kind"]],
            "from_value": [(s.sample_id, p["raw"], p["from_value"], g["from_value"]) for s, p, g in correct
                           if not _same(p["from_value"], _number(g["from_value"]))],
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", type=Path, nargs="+", help="pairs: SENTENCES.tsv CLAIMS.tsv ...")
    parser.add_argument("--corpora", type=Path, default=Path(__file__).parents[2] / "shared" / "corpora")
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if len(args.files) % 2:
        parser.error("files come in pairs: SENTENCES.tsv CLAIMS.tsv")
    sentences, claims = load_gold(list(zip(args.files[::2], args.files[1::2])))
    result = score(sentences, claims, args.corpora)
    print(f"sentences {result['sentences']} (not found: {len(result['sentences_not_found'])}), "
          f"gold claims {result['gold_claims']}, extracted {result['extracted']}, correct {result['correct']}")
    print(f"precision {result['precision']}  recall {result['recall']}  "
          f"kind right {result['kind_right']}  from_value right {result['from_value_right']}")
    print(pd.DataFrame(result["per_class"]).T.to_string())
    if args.show_errors:
        for kind, rows in result["errors"].items():
            print(f"\n## {kind} ({len(rows)})")
            for row in rows:
                print("  ", *row, sep="\t")
    if args.json:
        summary = {k: v for k, v in result.items() if k != "errors"}
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
