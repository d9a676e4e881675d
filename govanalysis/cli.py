"""Command line: ``govanalysis parse|indicators|topics|themes|reuse INPUT... --out DIR [--format csv|parquet]``,
``govanalysis validate sample|score|agreement …``.

Every command checks its parameters, paths and lexicon before doing any work: a bad
one is one line on stderr naming it, exit status 2, and nothing written. Inputs that
could not be read are listed in one summary line on stderr; a corpus too small for the
topic model asked for is a one-line message and exit status 2.
"""

from __future__ import annotations

import argparse
import glob
import os
import sys
import time
import warnings
from pathlib import Path

MAX_LISTED = 10  # failed inputs named in the summary line


class UsageError(Exception):
    """A bad parameter, path or lexicon: reported as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, not the usage block
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _k_value(text: str) -> str | int:
    if text == "auto":
        return text
    k = _whole(text, "a number of topics or 'auto'")
    if k < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 or 'auto', not {text}")
    return k


def _whole(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {what}, not {text!r}") from None


def _k_bound(text: str) -> int:
    k = _whole(text, "a whole number")
    if k < 2:
        raise argparse.ArgumentTypeError(f"must be at least 2 (a choice between topics), not {text}")
    return k


def _seed(text: str) -> int:
    seed = _whole(text, "a whole number")
    if not 0 <= seed < 2**32:
        raise argparse.ArgumentTypeError(f"must be between 0 and 2**32 - 1, not {text}")
    return seed


def _check_folder(option: str, value: str | None, *, required: bool) -> None:
    """A folder that can be created or written to; raises :class:`UsageError` otherwise."""
    if value is None and not required:
        return
    if not value:
        raise UsageError(f"{option}: empty path (give a folder)")
    path = Path(value)
    if path.exists() and not path.is_dir():
        raise UsageError(f"{option} {value}: exists and is not a folder")
    existing = path
    while not existing.exists():
        if existing.is_symlink():
            raise UsageError(f"{option} {value}: {existing} is a broken symbolic link")
        existing = existing.parent
    if not existing.is_dir():
        raise UsageError(f"{option} {value}: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"{option} {value}: {existing} is not writable")


def _check_inputs(inputs: list[str]) -> None:
    from .io.reading import display_path

    for item in inputs:
        if not item:
            raise UsageError("INPUT: empty path")
        if os.path.lexists(item):
            continue
        if any(ch in item for ch in "*?[") and glob.glob(item, recursive=True):
            continue
        what = "no file matches this pattern" if any(ch in item for ch in "*?[") else "no such file or directory"
        raise UsageError(f"INPUT {display_path(item)}: {what}")


def _check_lexicon(value: str | None) -> dict | None:
    from .text.themes import LexiconError, load_lexicon

    try:
        return load_lexicon(value)
    except LexiconError as exc:
        raise UsageError(f"--lexicon: {exc}") from None


def _check_format(value: str) -> None:
    from .io.tables import check_format

    try:
        check_format(value)
    except ValueError as exc:
        raise UsageError(f"--format {value}: {exc}") from None


def _check_manifest(value: str | None) -> None:
    from .parse.provenance import ManifestError, read_manifest

    if value is None:
        return
    try:
        read_manifest(value)
    except ManifestError as exc:
        raise UsageError(f"--manifest {exc}") from None


def _corpus(args: argparse.Namespace, **kwargs):
    from .parse.corpus import parse_corpus
    from .parse.provenance import ManifestWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ManifestWarning)
        corpus = parse_corpus(args.inputs, progress=args.progress, manifest=getattr(args, "manifest", None), **kwargs)
    for warning in caught:
        if issubclass(warning.category, ManifestWarning):
            print(f"govanalysis: warning: {warning.message}", file=sys.stderr)
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    _report_failed(corpus.docs)
    return corpus


def _report_failed(docs) -> None:
    """One line on stderr naming the inputs that were not read (errors) and why."""
    failed = docs[docs["status"] == "error"]
    if failed.empty:
        return
    named = [f"{row.path or row.doc_id} ({row.message})" for row in failed.head(MAX_LISTED).itertuples()]
    more = f"; and {len(failed) - MAX_LISTED} more" if len(failed) > MAX_LISTED else ""
    print(f"govanalysis: {len(failed)} of {len(docs)} inputs not read: {'; '.join(named)}{more}", file=sys.stderr)


def _status_summary(docs) -> str:
    counts = docs["status"].value_counts().to_dict()
    return ", ".join(f"{counts.get(s, 0)} {s}" for s in ("ok", "warning", "error", "skipped"))


def _shown(path) -> str:
    from .io.reading import display_path

    return display_path(path)


def _write_tables(tables: dict, out: Path, format: str = "csv") -> list[Path]:
    from .io.tables import write_tables

    return write_tables(tables, out, format=format)


def _parse_command(args: argparse.Namespace) -> int:
    from .io.reading import ReadError

    _check_folder("--out", args.out, required=True)
    _check_format(args.format)
    _check_manifest(args.manifest)
    try:
        corpus = _corpus(args, errors="raise" if args.strict else "record")
    except ReadError as exc:
        print(f"govanalysis: {exc}", file=sys.stderr)
        return 2
    written = corpus.write(args.out, format=args.format)
    print(f"{len(corpus.docs)} files ({_status_summary(corpus.docs)}); {len(corpus.sections)} sections, "
          f"{len(corpus.paragraphs)} paragraphs -> {_shown(args.out)}")
    for path in written:
        print(f"  {_shown(path)}")
    return 0


def _indicators_command(args: argparse.Namespace) -> int:
    from .extract.indicators import extract_indicators
    from .extract.policy_terms import count_policy_terms, extract_policy_terms

    _check_folder("--out", args.out, required=True)
    _check_format(args.format)
    corpus = _corpus(args)
    indicators = extract_indicators(corpus.paragraphs)
    terms = extract_policy_terms(corpus.paragraphs)
    out = Path(args.out)
    _write_tables({"indicators": indicators, "policy_terms": terms,
                   "policy_term_counts": count_policy_terms(terms)}, out, args.format)
    print(f"{len(corpus.docs)} files ({_status_summary(corpus.docs)}): {len(indicators)} indicators, "
          f"{len(terms)} policy-term mentions -> {_shown(out)}")
    return 0


def _topics_command(args: argparse.Namespace) -> int:
    from .text.tokens import Tokenizer, tokenize
    from .text.topics import TopicsError, TopicsWarning, choose_k, fit_topics, label_topics

    _check_folder("--out", args.out, required=True)
    _check_folder("--cache-dir", args.cache_dir, required=False)
    _check_format(args.format)
    if args.k == "auto" and args.k_min > args.k_max:
        raise UsageError(f"--k-min {args.k_min} is larger than --k-max {args.k_max}")
    corpus = _corpus(args)
    docs = corpus.docs
    units = corpus.paragraphs if args.unit == "paragraph" else (
        corpus.sections if args.unit == "section" else docs[docs.status.isin(["ok", "warning"])])
    tokens = tokenize(units, Tokenizer(cache_dir=args.cache_dir), progress=args.progress)
    tables = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", TopicsWarning)
        try:
            if args.k == "auto":
                selection = choose_k(tokens, range(args.k_min, args.k_max + 1), unit=args.unit,
                                     random_state=args.seed)
                tables["k_selection"] = selection.table
                k = selection.k
            else:
                k = args.k
            model = fit_topics(tokens, k, unit=args.unit, random_state=args.seed)
        except TopicsError as exc:
            read = int(docs.status.isin(["ok", "warning"]).sum())
            print(f"govanalysis: topics: {exc} ({read} of {len(docs)} inputs read)", file=sys.stderr)
            return 2
    for warning in caught:
        if issubclass(warning.category, TopicsWarning):
            print(f"govanalysis: warning: {warning.message}", file=sys.stderr)
    tables["topic_terms"] = model.topic_terms.merge(label_topics(model.topic_terms), on="topic")
    tables["unit_topics"] = model.unit_topics
    out = Path(args.out)
    _write_tables(tables, out, args.format)
    n_units = model.unit_topics.iloc[:, 0].nunique()
    print(f"k={model.k} topics over {n_units} {args.unit}{'' if n_units == 1 else 's'} -> {_shown(out)}")
    return 0


def _themes_command(args: argparse.Namespace) -> int:
    from .text.themes import score_themes
    from .text.tokens import Tokenizer, tokenize

    _check_folder("--out", args.out, required=True)
    _check_folder("--cache-dir", args.cache_dir, required=False)
    _check_format(args.format)
    lexicon = _check_lexicon(args.lexicon)
    corpus = _corpus(args)
    tokens = tokenize(corpus.paragraphs, Tokenizer(cache_dir=args.cache_dir), progress=args.progress)
    scores = score_themes(corpus.paragraphs, tokens, lexicon=lexicon)
    out = Path(args.out)
    _write_tables({"theme_scores": scores}, out, args.format)
    print(f"{len(corpus.docs)} files ({_status_summary(corpus.docs)}): {len(lexicon)} themes x "
          f"{scores.doc_id.nunique()} documents -> {_shown(out)}")
    return 0


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number in (0, 1], not {text!r}") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"must be in (0, 1], not {text}")
    return value


def _chars(text: str) -> int:
    n = _whole(text, "a whole number of characters")
    if n < 2:
        raise argparse.ArgumentTypeError(f"must be at least 2, not {text}")
    return n


def _reuse_command(args: argparse.Namespace) -> int:
    import pandas as pd

    from .parse.corpus import DOC_COLUMNS, parse_corpus
    from .text.reuse import ReuseWarning, reuse_by_doc, text_reuse

    _check_folder("--out", args.out, required=True)
    if args.against:
        _check_inputs(args.against)
    if not args.shingle <= args.min_chars:
        raise UsageError(f"--shingle {args.shingle} is larger than --min-chars {args.min_chars}")
    corpus = _corpus(args)
    against = None
    if args.against:
        against = parse_corpus(args.against, progress=args.progress)
        _report_failed(against.docs)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ReuseWarning)
        try:
            reuse = text_reuse(corpus.sentences, None if against is None else against.sentences,
                               shingle=args.shingle, threshold=args.threshold, min_chars=args.min_chars,
                               n_jobs=args.n_jobs, progress=args.progress)
        except ValueError as exc:
            side = "INPUT" if str(exc).startswith("sentences") else "--against"
            print(f"govanalysis reuse: {side}: {exc}", file=sys.stderr)
            return 2
    for warning in caught:
        if issubclass(warning.category, ReuseWarning):
            print(f"govanalysis: warning: {warning.message}", file=sys.stderr)
    source_docs = corpus.docs if against is None else against.docs
    by_doc = reuse_by_doc(reuse, corpus.sentences, by="source_doc_id", docs=corpus.docs, source_docs=source_docs,
                          min_chars=args.min_chars)
    sides = [corpus.docs[DOC_COLUMNS].assign(side="target")]
    if against is not None:
        sides.append(against.docs[DOC_COLUMNS].assign(side="source"))
    docs = pd.concat(sides, ignore_index=True)[["side", *DOC_COLUMNS]]
    out = Path(args.out)
    _write_tables({"reuse": reuse, "reuse_by_doc": by_doc, "docs": docs}, out)
    print(f"{reuse.sentence_id.nunique()} sentences of {reuse.doc_id.nunique()} documents reuse "
          f"{reuse.source_sentence_id.nunique()} source sentences ({len(reuse)} pairs) -> {_shown(out)}")
    return 0


def _figures_command(args: argparse.Namespace) -> int:
    from .runner import run_notebooks

    if args.out is not None:
        _check_folder("--out", args.out, required=True)
    if args.corpus is not None:
        _check_inputs([args.corpus])
    if not Path(args.notebooks).is_dir():
        raise UsageError(f"--notebooks {args.notebooks}: no such folder")
    if args.html:
        import importlib.util

        if importlib.util.find_spec("nbconvert") is None:
            raise UsageError("--html needs nbconvert: pip install 'govanalysis[html]'")
    start = time.perf_counter()
    timings = run_notebooks(args.notebooks, corpus=args.corpus, out=args.out)
    for name, seconds in timings:
        print(f"  {name}: {seconds:.1f} s")
    figures = Path(args.out or ".") / "figures"
    print(f"{len(timings)} notebooks in {time.perf_counter() - start:.1f} s; figures in {figures}")
    if args.html:
        from .viz.pages import write_pages

        in_place = args.out is None and args.corpus is None
        executed = Path(args.notebooks) if in_place else Path(args.out or ".") / "notebooks"
        index = write_pages(executed, Path(args.out or ".") / "report")
        print(f"HTML report: {_shown(index)}")
    return 0


def _read_sheet(path: str):
    import pandas as pd

    if not Path(path).is_file():
        raise UsageError(f"{path}: no such file")
    try:
        if path.endswith(".xlsx"):
            return pd.read_excel(path, dtype={"unit_id": str})
        return pd.read_csv(path, dtype={"unit_id": str}, keep_default_na=False, na_values=[""])
    except (ValueError, UnicodeDecodeError, ImportError) as exc:
        raise UsageError(f"{path}: cannot read the coding sheet: {exc}") from None


def _validate_command(args: argparse.Namespace) -> int:
    from .validate import CodingError, coder_agreement, sample_for_coding, score_coding

    lexicon = _check_lexicon(args.lexicon)
    if args.action == "sample":
        _check_folder("--out", args.out, required=True)
        if args.n < 1:
            raise UsageError(f"--n {args.n}: must be at least 1")
        corpus = _corpus(args)
        sheet = sample_for_coding(corpus.paragraphs, args.n, lexicon=lexicon, random_state=args.seed)
        out = Path(args.out)
        written = _write_tables({"coding_sheet": sheet}, out)
        try:
            sheet.to_excel(out / "coding_sheet.xlsx", index=False)
            written.append(out / "coding_sheet.xlsx")
        except ImportError:
            print("govanalysis: warning: openpyxl is not installed, so no coding_sheet.xlsx "
                  "(pip install 'govanalysis[validate]')", file=sys.stderr)
        print(f"{len(sheet)} passages to code -> " + ", ".join(_shown(p) for p in written))
        return 0
    try:
        if args.action == "score":
            _check_folder("--out", args.out, required=True)
            result = score_coding(_read_sheet(args.coded), lexicon, random_state=args.seed)
            out = Path(args.out)
            _write_tables({"validation_scores": result.scores, "validation_errors": result.errors}, out)
            macro = result.scores.iloc[-1]
            print(f"macro F1 {macro.f1:.3f} [{macro.f1_low:.3f}, {macro.f1_high:.3f}] over "
                  f"{int(macro.n_units)} units -> {_shown(out)}")
            return 0
        table = coder_agreement(_read_sheet(args.first), _read_sheet(args.second), lexicon)
    except CodingError as exc:
        raise UsageError(str(exc)) from None
    if args.out:
        _check_folder("--out", args.out, required=True)
        _write_tables({"agreement": table}, Path(args.out))
    print(table.to_string(index=False))
    return 0


def _add_format_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv",
                        help="table files: csv (UTF-8, default) or parquet (needs pyarrow); a datapackage.json "
                             "describes them, and ga.read_tables(DIR) reads them back with their dtypes")


def _add_progress_flags(parser: argparse.ArgumentParser) -> None:
    bar = parser.add_mutually_exclusive_group()
    bar.add_argument("--progress", dest="progress", action="store_true", default=None,
                     help="show progress bars (default: when writing to a terminal)")
    bar.add_argument("--no-progress", dest="progress", action="store_false")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="govanalysis", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    parse = commands.add_parser("parse", help="parse reports into docs/sections/paragraphs CSVs")
    parse.add_argument("inputs", nargs="+", metavar="INPUT", help="directories, files or globs")
    parse.add_argument("--out", required=True, help="output directory for the CSV files")
    parse.add_argument("--strict", action="store_true", help="stop at the first unreadable file")
    parse.add_argument("--manifest", default=None, metavar="FILE",
                       help="CSV/TSV of the scrape (file, url, retrieved, any other columns), "
                            "joined to docs on the file")
    _add_format_flag(parse)
    _add_progress_flags(parse)
    parse.set_defaults(func=_parse_command)

    indicators = commands.add_parser(
        "indicators", help="numeric claims and policy terms -> indicators.csv, policy_terms.csv"
    )
    indicators.add_argument("inputs", nargs="+", metavar="INPUT", help="directories, files or globs")
    indicators.add_argument("--out", required=True, help="output directory for the table files")
    _add_format_flag(indicators)
    _add_progress_flags(indicators)
    indicators.set_defaults(func=_indicators_command)

    topics = commands.add_parser("topics", help="TF-IDF + NMF topics -> topic_terms.csv, unit_topics.csv")
    topics.add_argument("inputs", nargs="+", metavar="INPUT")
    topics.add_argument("--k", type=_k_value, default="auto",
                        help="number of topics (at least 1), or 'auto' to choose by stability")
    topics.add_argument("--k-min", type=_k_bound, default=3, help="smallest k scored by 'auto' (at least 2)")
    topics.add_argument("--k-max", type=_k_bound, default=12, help="largest k scored by 'auto'")
    topics.add_argument("--unit", choices=["paragraph", "section", "document"], default="paragraph")
    topics.add_argument("--seed", type=_seed, default=0, help="random_state of the fits and resamples (0 or more)")
    topics.add_argument("--out", required=True)
    topics.add_argument("--cache-dir", default=None, help="keep segmented text here for re-runs")
    _add_format_flag(topics)
    _add_progress_flags(topics)
    topics.set_defaults(func=_topics_command)

    themes = commands.add_parser("themes", help="theme scores per document and role -> theme_scores.csv")
    themes.add_argument("inputs", nargs="+", metavar="INPUT")
    themes.add_argument("--lexicon", default=None, help="a UTF-8 TOML file of theme = [terms]")
    themes.add_argument("--out", required=True)
    themes.add_argument("--cache-dir", default=None)
    _add_format_flag(themes)
    _add_progress_flags(themes)
    themes.set_defaults(func=_themes_command)

    validate = commands.add_parser("validate", help="coding sheets, scores against hand coding, agreement")
    actions = validate.add_subparsers(dest="action", required=True)
    sample = actions.add_parser("sample", help="draw passages to code -> coding_sheet.csv and .xlsx")
    sample.add_argument("inputs", nargs="+", metavar="INPUT")
    sample.add_argument("--n", type=lambda t: _whole(t, "a whole number"), default=200)
    sample.add_argument("--seed", type=_seed, default=0)
    sample.add_argument("--lexicon", default=None)
    sample.add_argument("--out", required=True)
    _add_progress_flags(sample)
    score = actions.add_parser("score", help="score theme detection on a filled sheet -> validation_*.csv")
    score.add_argument("coded", metavar="CODED", help="CSV or XLSX: unit_id, text, one 0/1 column per theme")
    score.add_argument("--seed", type=_seed, default=0, help="seed of the bootstrap intervals")
    score.add_argument("--lexicon", default=None)
    score.add_argument("--out", required=True)
    agreement = actions.add_parser("agreement", help="Krippendorff's alpha of two coders per theme")
    agreement.add_argument("first", metavar="A")
    agreement.add_argument("second", metavar="B")
    agreement.add_argument("--lexicon", default=None)
    agreement.add_argument("--out", default=None)
    validate.set_defaults(func=_validate_command)

    reuse = commands.add_parser("reuse", help="sentences shared with other documents -> reuse.csv, reuse_by_doc.csv")
    reuse.add_argument("inputs", nargs="+", metavar="INPUT", help="the reports to look for reuse in")
    reuse.add_argument("--against", nargs="+", metavar="SOURCE", default=None,
                       help="the documents reused from (default: INPUT compared with itself)")
    reuse.add_argument("--threshold", type=_share, default=0.5,
                       help="share of the shorter sentence the shared spans must cover (0-1]")
    reuse.add_argument("--min-chars", type=_chars, default=20,
                       help="characters a pair must share (punctuation and spaces do not count)")
    reuse.add_argument("--shingle", type=_chars, default=5, help="characters per shingle")
    reuse.add_argument("--n-jobs", type=lambda t: _whole(t, "a whole number"), default=1,
                       help="worker processes (-1: all cores)")
    reuse.add_argument("--out", required=True)
    _add_progress_flags(reuse)
    reuse.set_defaults(func=_reuse_command)

    run = commands.add_parser("figures", help="execute the notebooks headless and write every figure")
    run.add_argument("--corpus", default=None, help="folder of reports (default: the notebooks' own, seeds/)")
    run.add_argument("--out", default=None,
                     help="write executed notebooks and figures/ here (default: in place)")
    run.add_argument("--notebooks", default="notebooks", help="folder of the numbered notebooks")
    run.add_argument("--html", action="store_true",
                     help="also write the executed notebooks as HTML pages with an index.html, under OUT/report/")
    run.set_defaults(func=_figures_command)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "progress", False) is None:
        args.progress = sys.stderr.isatty()
    try:
        if getattr(args, "inputs", None) is not None:
            _check_inputs(args.inputs)
        return args.func(args)
    except UsageError as exc:
        print(f"govanalysis {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # writing the results (a full disk, a read-only file system)
        where = f" {exc.filename}" if exc.filename else ""
        print(f"govanalysis {args.command}: error:{where}: {exc.strerror or exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
