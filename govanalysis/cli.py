"""Command line: ``govanalysis parse|indicators INPUT... --out DIR``."""

from __future__ import annotations

import argparse
import sys
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


def _add_progress_flags(parser: argparse.ArgumentParser) -> None:
    bar = parser.add_mutually_exclusive_group()
    bar.add_argument("--progress", dest="progress", action="store_true", default=None,
                     help="always show a progress bar (default: when more than 50 files)")
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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
