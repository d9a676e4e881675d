"""Command line: ``govanalysis parse INPUT... --out DIR``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _parse_command(args: argparse.Namespace) -> int:
    from .pipeline import parse_corpus
    from .reading import ReadError

    try:
        corpus = parse_corpus(args.inputs, errors="raise" if args.strict else "record",
                              progress=None if args.progress is None else args.progress)
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govanalysis", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    parse = commands.add_parser("parse", help="parse reports into docs/sections/paragraphs CSVs")
    parse.add_argument("inputs", nargs="+", metavar="INPUT", help="directories, files or globs")
    parse.add_argument("--out", required=True, help="output directory for the CSV files")
    parse.add_argument("--strict", action="store_true", help="stop at the first unreadable file")
    bar = parse.add_mutually_exclusive_group()
    bar.add_argument("--progress", dest="progress", action="store_true", default=None,
                     help="always show a progress bar (default: when more than 50 files)")
    bar.add_argument("--no-progress", dest="progress", action="store_false")
    parse.set_defaults(func=_parse_command)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
