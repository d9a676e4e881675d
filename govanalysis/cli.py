"""Command line: ``govanalysis parse|indicators|topics|themes INPUT... --out DIR``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def _parse_command(args: argparse.Namespace) -> int:
    from .pipeline import parse_corpus
    from .reading import ReadError

    try:
        corpus = parse_corpus(args.inputs, errors="raise" if args.strict else "record", progress=args.progress)
    except ReadError as exc:
        print(f"govanalysis: {exc}", file=sys.stderr)
        return 2
    written = corpus.write(args.out)
    counts = corpus.docs["status"].value_counts().to_dict()
    summary = ", ".join(f"{counts.get(s, 0)} {s}" for s in ("ok", "warning", "error"))
    print(f"{len(corpus.docs)} files ({summary}); {len(corpus.sections)} sections, "
          f"{len(corpus.paragraphs)} paragraphs -> {Path(args.out)}")
    for path in written:
        print(f"  {path}")
    return 0


def _indicators_command(args: argparse.Namespace) -> int:
    from .indicators import extract_indicators
    from .pipeline import parse_corpus
    from .policy_terms import count_policy_terms, extract_policy_terms

    corpus = parse_corpus(args.inputs, progress=args.progress)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    indicators = extract_indicators(corpus.paragraphs)
    terms = extract_policy_terms(corpus.paragraphs)
    tables = {"indicators": indicators, "policy_terms": terms, "policy_term_counts": count_policy_terms(terms)}
    for name, table in tables.items():
        table.to_csv(out / f"{name}.csv", index=False, encoding="utf-8", lineterminator="\n")
    print(f"{len(corpus.docs)} files: {len(indicators)} indicators, {len(terms)} policy-term mentions -> {out}")
    return 0


def _topics_command(args: argparse.Namespace) -> int:
    from .pipeline import parse_corpus
    from .tokens import Tokenizer, tokenize
    from .topics import choose_k, fit_topics, label_topics

    corpus = parse_corpus(args.inputs, progress=args.progress)
    units = corpus.paragraphs if args.unit == "paragraph" else (
        corpus.sections if args.unit == "section" else corpus.docs[corpus.docs.status != "error"])
    tokens = tokenize(units, Tokenizer(cache_dir=args.cache_dir), progress=args.progress)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.k == "auto":
        selection = choose_k(tokens, range(args.k_min, args.k_max + 1), unit=args.unit, random_state=args.seed)
        selection.table.to_csv(out / "k_selection.csv", index=False, lineterminator="\n")
        k = selection.k
    else:
        k = int(args.k)
    model = fit_topics(tokens, k, unit=args.unit, random_state=args.seed)
    terms = model.topic_terms.merge(label_topics(model.topic_terms), on="topic")
    terms.to_csv(out / "topic_terms.csv", index=False, lineterminator="\n")
    model.unit_topics.to_csv(out / "doc_topics.csv", index=False, lineterminator="\n")
    print(f"k={k} topics over {model.unit_topics.iloc[:, 0].nunique()} {args.unit}s -> {out}")
    return 0


def _themes_command(args: argparse.Namespace) -> int:
    from .pipeline import parse_corpus
    from .themes import score_themes
    from .tokens import Tokenizer, tokenize

    corpus = parse_corpus(args.inputs, progress=args.progress)
    tokens = tokenize(corpus.paragraphs, Tokenizer(cache_dir=args.cache_dir), progress=args.progress)
    scores = score_themes(corpus.paragraphs, tokens, lexicon=args.lexicon)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    scores.to_csv(out / "theme_scores.csv", index=False, lineterminator="\n")
    print(f"{scores.theme.nunique()} themes x {scores.doc_id.nunique()} documents -> {out}")
    return 0


def _figures_command(args: argparse.Namespace) -> int:
    from .runner import run_notebooks

    start = time.perf_counter()
    timings = run_notebooks(args.notebooks, corpus=args.corpus, out=args.out)
    for name, seconds in timings:
        print(f"  {name}: {seconds:.1f} s")
    figures = Path(args.out or ".") / "figures"
    print(f"{len(timings)} notebooks in {time.perf_counter() - start:.1f} s; figures in {figures}")
    return 0


def _add_progress_flags(parser: argparse.ArgumentParser) -> None:
    bar = parser.add_mutually_exclusive_group()
    bar.add_argument("--progress", dest="progress", action="store_true", default=None,
                     help="show progress bars (default: when writing to a terminal)")
    bar.add_argument("--no-progress", dest="progress", action="store_false")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govanalysis", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    parse = commands.add_parser("parse", help="parse reports into docs/sections/paragraphs CSVs")
    parse.add_argument("inputs", nargs="+", metavar="INPUT", help="directories, files or globs")
    parse.add_argument("--out", required=True, help="output directory for the CSV files")
    parse.add_argument("--strict", action="store_true", help="stop at the first unreadable file")
    _add_progress_flags(parse)
    parse.set_defaults(func=_parse_command)

    indicators = commands.add_parser(
        "indicators", help="numeric claims and policy terms -> indicators.csv, policy_terms.csv"
    )
    indicators.add_argument("inputs", nargs="+", metavar="INPUT", help="directories, files or globs")
    indicators.add_argument("--out", required=True, help="output directory for the CSV files")
    _add_progress_flags(indicators)
    indicators.set_defaults(func=_indicators_command)

    topics = commands.add_parser("topics", help="TF-IDF + NMF topics -> topic_terms.csv, doc_topics.csv")
    topics.add_argument("inputs", nargs="+", metavar="INPUT")
    topics.add_argument("--k", default="auto", help="number of topics, or 'auto' to choose by stability")
    topics.add_argument("--k-min", type=int, default=3)
    topics.add_argument("--k-max", type=int, default=12)
    topics.add_argument("--unit", choices=["paragraph", "section", "document"], default="paragraph")
    topics.add_argument("--seed", type=int, default=0, help="random_state of the fits and resamples")
    topics.add_argument("--out", required=True)
    topics.add_argument("--cache-dir", default=None, help="keep segmented text here for re-runs")
    _add_progress_flags(topics)
    topics.set_defaults(func=_topics_command)

    themes = commands.add_parser("themes", help="theme scores per document and role -> theme_scores.csv")
    themes.add_argument("inputs", nargs="+", metavar="INPUT")
    themes.add_argument("--lexicon", default=None, help="a TOML file of theme = [terms]")
    themes.add_argument("--out", required=True)
    themes.add_argument("--cache-dir", default=None)
    _add_progress_flags(themes)
    themes.set_defaults(func=_themes_command)

    run = commands.add_parser("figures", help="execute the notebooks headless and write every figure")
    run.add_argument("--corpus", default=None, help="folder of reports (default: the notebooks' own, seeds/)")
    run.add_argument("--out", default=None,
                     help="write executed notebooks and figures/ here (default: in place)")
    run.add_argument("--notebooks", default="notebooks", help="folder of the numbered notebooks")
    run.set_defaults(func=_figures_command)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "progress", False) is None:
        args.progress = sys.stderr.isatty()
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
