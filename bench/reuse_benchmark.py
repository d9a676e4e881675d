"""Benchmark: ``text_reuse`` at scale — time, memory, cores, and growth with size.

Usage:
    python bench/reuse_benchmark.py [--local 100000] [--sources 50000] [--jobs 2]
                                    [--out bench/results-reuse.json]

Builds, seeded, ``--local`` local and ``--sources`` source sentences from the real sentences
of the shipped corpora and seeds/: each one the opening clause of one real sentence and the
rest of another (real prose, not repeats of each other), sources from the national reports,
local sentences from the provincial reports and seeds; one local sentence in ten is a source
sentence under one of the edits of ``bench/reuse_validation.py``, so there is reuse to find.
Local documents hold 200 sentences, source documents 500.

Then it runs, each in a fresh process (so each peak memory is its own):

1. a quarter of both sides on one core;
2. both sides on one core;
3. both sides on ``--jobs`` cores;

and reports seconds (``text_reuse`` alone; building and loading the tables excluded), peak
memory (max RSS of the process plus that of its largest worker), the pairs found, whether
the tables of 2 and 3 are identical, ``parallel_speedup`` (1-core / n-core time) and
``growth_4x`` (time of 2 / time of 1: 4x the sentences on both sides; linear is 4, the
product of the sides would be 16). Before and after, it measures what the machine gives
``--jobs`` processes of a pure-Python loop (``machine_parallel_speedup_before_after``): on a
machine shared with other work, no parallel speedup can exceed it.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _pool(folders: list[Path]) -> list[str]:
    import govanalysis as ga
    from govanalysis.text.reuse import normalize_for_reuse

    sentences = ga.parse_corpus(folders, progress=False).sentences["text"]
    return [s for s in sentences if len(normalize_for_reuse(s)) >= 20]


def _recombine(pool: list[str], n: int, rng: random.Random) -> list[str]:
    heads = [s[: max(s.find("，") + 1, len(s) // 2)] for s in pool]
    tails = [s[max(s.find("，") + 1, len(s) // 2):] for s in pool]
    return [rng.choice(heads) + rng.choice(tails) for _ in range(n)]


def build(n_local: int, n_sources: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    from reuse_validation import KINDS, edit

    rng = random.Random(seed)
    national = _pool([ROOT / "corpora" / "national-gwr"])
    local_pool = _pool([ROOT / "corpora" / "provincial-gwr-2025", ROOT / "seeds"])
    sources = _recombine(national, n_sources, rng)
    local = _recombine(local_pool, n_local, rng)
    for i in range(0, n_local, 10):  # one in ten reuses a source sentence, from the same share of the
        # sources as it is of the local side, so a head of both tables has its reuse in it
        j = min(n_sources - 1, int(i * n_sources / n_local) + rng.randrange(10))
        lines = edit(KINDS[(i // 10) % len(KINDS)], sources[j], rng)
        local[i] = lines[0]
        if len(lines) > 1 and i + 1 < n_local:
            local[i + 1] = lines[1]

    def table(texts: list[str], prefix: str, per_doc: int) -> pd.DataFrame:
        docs = [f"{prefix}{i // per_doc:05d}" for i in range(len(texts))]
        return pd.DataFrame({"doc_id": docs, "sentence_id": [f"{d}_{i:06d}" for i, d in enumerate(docs)],
                             "text": texts})

    return table(local, "local", 200), table(sources, "source", 500)


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest child
    return round((own + children) / 1024, 1)


def run_one(workdir: Path, fraction: float, jobs: int) -> dict:
    import warnings

    import govanalysis as ga
    from govanalysis.text.reuse import CHUNK

    local = pd.read_pickle(workdir / "local.pkl")
    sources = pd.read_pickle(workdir / "sources.pkl")
    local = local.head(int(len(local) * fraction))
    sources = sources.head(int(len(sources) * fraction))
    with warnings.catch_warnings():  # imports done and workers started (more than one chunk), untimed
        warnings.simplefilter("ignore", ga.ReuseWarning)
        ga.text_reuse(local.head(2 * CHUNK + 1), sources.head(2 * CHUNK + 1), n_jobs=jobs)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ga.ReuseWarning)
        reuse = ga.text_reuse(local, sources, n_jobs=jobs)
    seconds = time.perf_counter() - start
    digest = int(pd.util.hash_pandas_object(reuse, index=False).sum())
    return {"local_sentences": len(local), "source_sentences": len(sources), "jobs": jobs,
            "seconds": round(seconds, 2), "peak_memory_mb": _peak_mb(), "pairs": len(reuse),
            "local_sentences_reused": int(reuse["sentence_id"].nunique()), "table_hash": digest}


def _busy(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def machine_speedup(jobs: int, repeat: int = 3) -> float:
    """What this machine gives ``jobs`` processes now: a pure-Python loop, serial / parallel
    (on a machine shared with other work, the ceiling for any parallel speedup)."""
    from joblib import Parallel, delayed

    Parallel(n_jobs=jobs)(delayed(_busy)(10) for _ in range(jobs))
    ratios = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(2 * jobs):
            _busy(2_000_000)
        serial = time.perf_counter() - start
        start = time.perf_counter()
        Parallel(n_jobs=jobs)(delayed(_busy)(2_000_000) for _ in range(2 * jobs))
        ratios.append(serial / (time.perf_counter() - start))
    return round(max(ratios), 2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--local", type=int, default=100_000)
    parser.add_argument("--sources", type=int, default=50_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=None)
    parser.add_argument("--one", nargs=3, metavar=("WORKDIR", "FRACTION", "JOBS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(Path(args.one[0]), float(args.one[1]), int(args.one[2]))))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        local, sources = build(args.local, args.sources, args.seed)
        local.to_pickle(workdir / "local.pkl")
        sources.to_pickle(workdir / "sources.pkl")
        runs, ceilings = [], [machine_speedup(args.jobs)]
        for fraction, jobs in ((0.25, 1), (1.0, 1), (1.0, args.jobs)):
            done = subprocess.run([sys.executable, __file__, "--one", str(workdir), str(fraction), str(jobs)],
                                  capture_output=True, text=True, check=True)
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(f"{runs[-1]['local_sentences']:>7} x {runs[-1]['source_sentences']:>6} on {jobs} core(s): "
                  f"{runs[-1]['seconds']:>7.1f} s, {runs[-1]['peak_memory_mb']:>7.0f} MB, {runs[-1]['pairs']} pairs",
                  flush=True)
        ceilings.append(machine_speedup(args.jobs))
    quarter, one, many = runs
    result = {
        "local_sentences": args.local, "source_sentences": args.sources, "seed": args.seed, "runs": runs,
        "parallel_speedup": round(one["seconds"] / many["seconds"], 2),
        "machine_parallel_speedup_before_after": ceilings,
        "growth_4x": round(one["seconds"] / quarter["seconds"], 2),
        "same_table_any_jobs": one["table_hash"] == many["table_hash"] and one["pairs"] == many["pairs"],
        "targets": {"one_core_seconds_max": 180, "memory_mb_max": 3072, "parallel_speedup_min": 1.6,
                    "growth_4x_max": 5},
    }
    print(f"parallel speedup on {args.jobs} cores: {result['parallel_speedup']}x (a pure-Python loop got "
          f"{ceilings[0]}x before, {ceilings[1]}x after); 4x the sentences: "
          f"{result['growth_4x']}x the time; same table at any n_jobs: {result['same_table_any_jobs']}")
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
