"""Recall and precision of ``text_reuse`` on a constructed set, by edit kind.

Usage: python bench/reuse_validation.py [--n 100] [--seed 7] [--out bench/results-reuse-validation.json]

Real sentences of the national reports (``corpora/national-gwr``) are inserted, each as
its own line, into the raw files of the 2025 provincial reports (``corpora/provincial-gwr-2025``)
with one kind of edit each, and the truth is kept; the edited files are parsed like any
others and compared with the national reports:

- ``exact``: the sentence as it is;
- ``punctuation``: full-width punctuation made half-width (，→, 。→. “”→"), a space after commas;
- ``word``: a national word made provincial (全国→全省, 国务院→省政府, 中央→省委, 国家→本省);
- ``clipped``: the first or the last 40% cut off;
- ``split``: broken across two lines at 35-65% of its length (as a page does);
- ``combined``: punctuation, word and clipped together.

Only sentences that nothing else in either corpus matches are drawn (no match in the national
reports compared with themselves nor in the unedited provincial reports), so each inserted
sentence has exactly one right source. Recall: the share of inserted sentences found with
their source (for ``split``, either half). Precision: of the pairs reported on inserted
sentences, the share naming their source; ``overall_precision`` counts every pair reported
beyond those found on the unedited reports (the real reuse already there, set aside).
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import warnings
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
HOSTS = ROOT / "corpora" / "provincial-gwr-2025"
SOURCES = ROOT / "corpora" / "national-gwr"
KINDS = ("exact", "punctuation", "word", "clipped", "split", "combined")
WORDS = (("全国", "全省"), ("国务院", "省政府"), ("中央", "省委"), ("国家", "本省"))
HALF = str.maketrans({"，": ",", "。": ".", "；": ";", "：": ":", "、": ",", "“": '"', "”": '"', "（": "(",
                      "）": ")", "！": "!", "？": "?"})


def _punctuation(text: str) -> str:
    return text.translate(HALF).replace(",", ", ")


def _word(text: str) -> str:
    for old, new in WORDS:
        if old in text:
            return text.replace(old, new, 1)
    return text


def _clip(text: str, rng: random.Random) -> str:
    cut = int(len(text) * 0.4)
    return text[cut:] if rng.random() < 0.5 else text[: len(text) - cut] + "。"


def edit(kind: str, text: str, rng: random.Random) -> list[str]:
    """The inserted lines for one source sentence (two for ``split``)."""
    if kind == "exact":
        return [text]
    if kind == "punctuation":
        return [_punctuation(text)]
    if kind == "word":
        return [_word(text)]
    if kind == "clipped":
        return [_clip(text, rng)]
    if kind == "split":
        at = int(len(text) * rng.uniform(0.35, 0.65))
        return [text[:at], text[at:]]
    return [_clip(_word(_punctuation(text)), rng)]


def build(folder: Path, n_per_kind: int, seed: int = 7, source_files: list[Path] | None = None, **reuse_options):
    """Write the constructed set into ``folder``; return what the scoring needs.

    Returns a dict: ``truth`` (one row per inserted line: ``insert_id, kind, doc_id, line,
    source_sentence_id``), ``sources`` (the national sentences), ``baseline`` (the pairs
    reported on the unedited reports) and ``hosts`` (the host folder written). ``source_files``
    narrows the national reports drawn from (default: all of them).
    """
    import govanalysis as ga
    from govanalysis.text.reuse import normalize_for_reuse

    national = ga.parse_corpus(source_files or SOURCES, progress=False)
    provincial = ga.parse_corpus(HOSTS, progress=False)
    sources, local = national.sentences, provincial.sentences
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ga.ReuseWarning)
        taken = set(ga.text_reuse(sources, **reuse_options)["sentence_id"])
        baseline = ga.text_reuse(local, sources, **reuse_options)
    taken |= set(baseline["source_sentence_id"])
    lengths = sources["text"].map(lambda t: len(normalize_for_reuse(t)))
    pool = sources[(lengths >= 40) & (lengths <= 120) & ~sources["sentence_id"].isin(taken)]
    pool = pool[~pool["text"].map(normalize_for_reuse).duplicated(keep=False)]
    rng = random.Random(seed)
    worded = pool[pool["text"].map(lambda t: any(old in t for old, _ in WORDS))]
    chosen: dict[str, list] = {}
    used: set[str] = set()
    for kind in KINDS:
        frame = worded if kind in ("word", "combined") else pool
        ids = [i for i in frame["sentence_id"] if i not in used]
        chosen[kind] = rng.sample(ids, n_per_kind)
        used.update(chosen[kind])
    texts = dict(zip(sources["sentence_id"], sources["text"]))
    files = sorted(p for p in HOSTS.glob("*.txt"))
    lines = {p: p.read_text(encoding="utf-8").split("\n") for p in files}
    inserts = []  # (file, after line index, lines, kind, insert id, source id)
    for kind in KINDS:
        for number, source_id in enumerate(chosen[kind]):
            path = rng.choice(files)
            body = [i for i, line in enumerate(lines[path]) if line.rstrip().endswith("。")]
            inserts.append((path, rng.choice(body), edit(kind, texts[source_id], rng), kind,
                            f"{kind}-{number:03d}", source_id))
    rows = []
    for path in files:
        mine = sorted((x for x in inserts if x[0] == path), key=lambda x: (x[1], x[4]))
        out, at = [], 0
        for _, after, new_lines, kind, insert_id, source_id in mine:
            out.extend(lines[path][at: after + 1])
            at = after + 1
            out.extend(new_lines)
            rows.extend({"insert_id": insert_id, "kind": kind, "doc_id": path.stem, "line": line,
                         "source_sentence_id": source_id} for line in new_lines)
        out.extend(lines[path][at:])
        (folder / path.name).write_text("\n".join(out), encoding="utf-8")
    return {"truth": pd.DataFrame(rows), "sources": sources, "baseline": baseline, "hosts": folder}


def score(constructed: dict, **reuse_options) -> dict:
    """Parse the constructed set, run ``text_reuse`` against the sources, and score it."""
    import govanalysis as ga
    from govanalysis.text.reuse import normalize_for_reuse

    parsed = ga.parse_corpus(constructed["hosts"], progress=False)
    local = parsed.sentences
    truth = constructed["truth"].assign(norm=lambda t: t["line"].map(normalize_for_reuse))
    located = local.assign(norm=local["text"].map(normalize_for_reuse))[["doc_id", "sentence_id", "norm"]]
    truth = truth.merge(located, on=["doc_id", "norm"], how="left")  # the parsed row of each inserted line
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ga.ReuseWarning)
        reported = ga.text_reuse(local, constructed["sources"], **reuse_options)
    baseline = constructed["baseline"]
    baseline_keys = set(zip(baseline["text"], baseline["source_sentence_id"]))
    fresh = reported[[(t, s) not in baseline_keys for t, s in zip(reported["text"], reported["source_sentence_id"])]]
    kind_of = dict(zip(truth["sentence_id"].dropna(), truth.dropna(subset=["sentence_id"])["kind"]))
    true_pairs = set(zip(truth["sentence_id"].dropna(), truth.dropna(subset=["sentence_id"])["source_sentence_id"]))
    correct = [(a, b) in true_pairs for a, b in zip(fresh["sentence_id"], fresh["source_sentence_id"])]
    fresh = fresh.assign(kind=fresh["sentence_id"].map(kind_of), correct=correct)
    found = set(fresh.loc[fresh["correct"], "sentence_id"])
    inserted = truth.assign(found=truth["sentence_id"].isin(found))
    by_kind = {}
    for kind in KINDS:
        rows = inserted[inserted["kind"] == kind]
        per_insert = rows.groupby("insert_id")["found"].any()
        pairs = fresh[fresh["kind"] == kind]
        by_kind[kind] = {
            "inserted": int(per_insert.size),
            "located_after_parse": int(rows.groupby("insert_id")["sentence_id"].apply(lambda s: s.notna().any()).sum()),
            "found": int(per_insert.sum()),
            "recall": round(float(per_insert.mean()), 4),
            "pairs_reported": int(len(pairs)),
            "precision": round(float(pairs["correct"].mean()), 4) if len(pairs) else None,
        }
    correct = int(fresh["correct"].sum())
    # A pair that does not name the inserted sentence's source may still be true reuse: the
    # national reports repeat themselves, so its shared text is also in the true source.
    true_source = dict(zip(truth["sentence_id"].dropna(), truth.dropna(subset=["sentence_id"])["source_sentence_id"]))
    source_text = dict(zip(constructed["sources"]["sentence_id"], constructed["sources"]["text"]))
    false = fresh[~fresh["correct"]]
    repeats = [all(normalize_for_reuse(span) in normalize_for_reuse(source_text.get(true_source.get(sid), ""))
                   for span in shared.split("…")) for sid, shared in zip(false["sentence_id"], false["shared_text"])]
    missed = inserted.groupby("insert_id").filter(lambda g: not g["found"].any())
    return {"by_kind": by_kind, "pairs_reported": int(len(reported)), "baseline_pairs": int(len(baseline)),
            "pairs_beyond_baseline": int(len(fresh)), "correct_pairs": correct,
            "overall_precision": round(correct / len(fresh), 4) if len(fresh) else None,
            "false_pairs_sharing_the_true_sources_text": int(sum(repeats)),
            "missed": missed[["insert_id", "line"]].to_dict("records"),
            "false_pairs": fresh.loc[~fresh["correct"], ["sentence_id", "source_sentence_id", "text", "source_text"]]
            .to_dict("records")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100, help="inserted sentences per edit kind")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default=None, help="write the scores as JSON here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        result = score(build(Path(tmp), args.n, args.seed))
    print(f"{'kind':<12} {'inserted':>8} {'found':>6} {'recall':>7} {'pairs':>6} {'precision':>9}")
    for kind, row in result["by_kind"].items():
        print(f"{kind:<12} {row['inserted']:>8} {row['found']:>6} {row['recall']:>7.3f} {row['pairs_reported']:>6} "
              f"{row['precision'] if row['precision'] is not None else float('nan'):>9.3f}")
    print(f"overall precision beyond the {result['baseline_pairs']} baseline pairs: {result['overall_precision']} "
          f"({result['correct_pairs']} of {result['pairs_beyond_baseline']})")
    print(f"pairs naming another source whose shared text is also in the true source: "
          f"{result['false_pairs_sharing_the_true_sources_text']} of {len(result['false_pairs'])}")
    for row in result["false_pairs"][:10]:
        print("  other source:", row["text"][:60], "|", row["source_text"][:60])
    for row in result["missed"]:
        print("  missed:", row["insert_id"], row["line"])
    if args.out:
        result = {"n_per_kind": args.n, "seed": args.seed, **result}
        Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
