"""MkDocs hooks: the API pages, the CLI reference and the changelog, generated at build time.

* ``api/<group>.md`` — one ``::: govanalysis.<module>.<name>`` block for every public name
  of ``govanalysis.__all__``, grouped by the subpackage that defines it (from
  ``govanalysis._EXPORTS``), and ``api/index.md`` listing them all;
* ``cli.md`` — every subcommand of the argparse parser, its usage and options;
* ``changelog.md`` — ``CHANGELOG.md`` from the repository root.

Nothing is fetched: the pages come from the code in this checkout.
"""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent

GROUPS = {
    "io": ("Reading and writing", "Files to rows (every file accounted for), and tables to a folder and back."),
    "parse": ("Parsing", "The parse pipeline: cleaning, metadata, the section tree, provenance."),
    "extract": ("Extractors", "Numeric claims and policy vocabulary, one row per mention."),
    "text": ("Text models", "Tokens, topics, themes and comparisons."),
    "viz": ("Figures and pages", "The house style, plots, the tables the figures draw, HTML pages."),
    "validate": ("Validation", "Coding sheets, scores against hand coding with intervals, coder agreement, "
                 "term suggestions, word and topic intrusion tests."),
    "runner": ("Notebook runner", "Executing the curated notebooks headless."),
}
SPHINX_ROLE = re.compile(r":(?:func|class|data|meth|attr|mod|exc|obj):(?=<code>)")


def _summary(obj) -> str:
    doc = (obj.__doc__ or "").strip()
    return doc.split("\n\n")[0].replace("\n", " ").replace("|", "\\|") if doc else ""


def api_pages() -> dict[str, str]:
    import importlib

    import govanalysis

    pages = {}
    index = ["# API reference", "",
             "Every public name is reachable as `ga.<name>` after `import govanalysis as ga`, and imported on "
             "first use. The pages group them by the module that defines them; the paths below are where "
             "each lives (`ga.<name>` is the stable way to reach it).", "",
             "| name | module | what |", "|---|---|---|"]
    for group, (title, blurb) in GROUPS.items():
        lines = [f"# {title}", "", blurb, ""]
        for module, names in govanalysis._EXPORTS.items():
            if module.split(".")[0] != group:
                continue
            loaded = importlib.import_module(f"govanalysis.{module}")
            for name in sorted(names):
                lines += [f"::: govanalysis.{module}.{name}", ""]
                link = f"{group}.md#govanalysis.{module}.{name}"
                index.append(f"| [`{name}`]({link}) | `govanalysis.{module}` | {_summary(getattr(loaded, name))} |")
        pages[f"api/{group}.md"] = "\n".join(lines)
    pages["api/index.md"] = "\n".join(index) + "\n"
    return pages


def _option_rows(parser: argparse.ArgumentParser) -> list[str]:
    rows = ["| argument | default | what |", "|---|---|---|"]
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        name = ", ".join(f"`{s}`" for s in action.option_strings) or f"`{action.metavar or action.dest}`"
        if action.choices and not isinstance(action, argparse._SubParsersAction):
            name += " " + "\\|".join(f"`{c}`" for c in action.choices)
        default = "" if action.default in (None, False, argparse.SUPPRESS) or action.required else f"`{action.default}`"
        what = (action.help or "").replace("|", "\\|")
        if action.required:
            what = "required. " + what
        rows.append(f"| {name} | {default} | {what} |")
    return rows


def cli_page() -> str:
    os.environ["COLUMNS"] = "100"  # argparse wraps usage to the terminal: the same page everywhere
    from govanalysis.cli import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {choice.dest: choice.help for choice in commands._choices_actions}
    lines = ["# Command line", "",
             "`govanalysis COMMAND ...` (or `python -m govanalysis COMMAND ...`). This page is generated from "
             "the argument parser, so it lists exactly what the installed version accepts.", "",
             "Every command checks its parameters, paths, lexicon, manifest and format before any work: a bad "
             "one is one line on stderr naming it, exit status 2, and nothing written.", ""]
    for name, sub in commands.choices.items():
        lines += [f"## `govanalysis {name}`", "", (helps.get(name) or "").rstrip(".") + ".", "",
                  "```text", sub.format_usage().strip(), "```", "", *_option_rows(sub), ""]
    return "\n".join(lines)


def on_files(files, config):
    pages = api_pages() | {"cli.md": cli_page(),
                           "changelog.md": (ROOT / "CHANGELOG.md").read_text("utf-8")}
    for path, content in pages.items():
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, path, content=content))
    return files


def on_page_content(html, page, config, files):
    """Sphinx roles in docstrings (:func:`x`) render as plain code."""
    return SPHINX_ROLE.sub("", html)
