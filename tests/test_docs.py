"""The documentation site (mkdocs.yml, docs/) and the examples in docstrings."""

import doctest
import importlib
import os
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import govanalysis as ga

ROOT = Path(__file__).resolve().parent.parent


def _has(*modules: str) -> bool:
    return all(importlib.util.find_spec(m) is not None for m in modules)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not _has("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers.python"):
        pytest.skip("mkdocs, mkdocs-material or mkdocstrings-python not installed (pip install '.[docs]')")
    out = tmp_path_factory.mktemp("site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                            cwd=ROOT, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not re.search(r"^(WARNING|ERROR)", result.stderr, re.M), result.stderr[-3000:]
    return out


def test_site_builds_strict_with_every_page(site):
    for page in ["index", "getting-started", "tutorial", "tables", "cli", "changelog", "api/index",
                 "how-it-decides/reading", "how-it-decides/furniture", "how-it-decides/metadata",
                 "how-it-decides/structure", "how-it-decides/indicators", "how-it-decides/tokens",
                 "how-it-decides/topics", "how-it-decides/themes", "how-it-decides/validation",
                 "how-it-decides/reuse"]:
        assert (site / f"{page}.html").is_file(), page
    assert not (site / "hooks.py").exists()


def test_api_reference_covers_every_public_name(site):
    pages = "".join(p.read_text("utf-8") for p in (site / "api").glob("*.html"))
    for name in ga.__all__:
        anchor = f'id="govanalysis.{ga._MODULE_OF[name]}.{name}"'
        assert anchor in pages, name
    index = (site / "api" / "index.html").read_text("utf-8")
    assert all(f"<code>{name}</code>" in index for name in ga.__all__)
    assert ":func:" not in pages and "Parameters" in pages


def test_cli_reference_is_the_parser(site):
    from govanalysis.cli import build_parser

    page = (site / "cli.html").read_text("utf-8")
    commands = next(a for a in build_parser()._actions if a.dest == "command")
    for name, sub in commands.choices.items():
        assert f"govanalysis {name}" in page
        for action in sub._actions:
            for flag in action.option_strings if action.dest != "help" else []:
                assert f"<code>{flag}</code>" in page, (name, flag)
    assert page.count("<code>--format</code>") == 4


def test_site_loads_nothing_from_the_network(site):
    for page in site.rglob("*.html"):
        text = page.read_text("utf-8")
        assert not re.search(r'<(?:script|link)[^>]+(?:src|href)="https?://', text), page
        assert "fonts.googleapis" not in text, page


def test_table_reference_lists_every_column(seeds_corpus):
    tables = {
        "docs": seeds_corpus.docs.drop(columns=["raw_text", "text"]), "sections": seeds_corpus.sections,
        "paragraphs": seeds_corpus.paragraphs, "sentences": seeds_corpus.sentences,
        "metadata_spans": seeds_corpus.metadata_spans, "removed_lines": seeds_corpus.removed_lines,
    }
    tables["indicators"] = ga.extract_indicators(seeds_corpus.paragraphs)
    tables["policy_terms"] = ga.extract_policy_terms(seeds_corpus.paragraphs)
    tables["policy_term_counts"] = ga.count_policy_terms(tables["policy_terms"])
    tables["tokens"] = ga.tokenize(seeds_corpus.paragraphs)
    tables["theme_scores"] = ga.score_themes(seeds_corpus.paragraphs, tables["tokens"])
    model = ga.fit_topics(tables["tokens"], 3)
    tables["topic_terms"] = model.topic_terms.merge(ga.label_topics(model.topic_terms), on="topic")
    tables["unit_topics"] = model.unit_topics
    text = (ROOT / "docs" / "tables.md").read_text("utf-8")
    sections = dict(re.findall(r"^## (\w+)\n(.*?)(?=^## |\Z)", text, re.M | re.S))
    for name, table in tables.items():
        assert name in sections, name
        missing = [c for c in table.columns if f"`{c}`" not in sections[name]]
        assert not missing, (name, missing)


def test_docstring_examples_run():
    finder, runner = doctest.DocTestFinder(), doctest.DocTestRunner(optionflags=doctest.ELLIPSIS
                                                                    | doctest.NORMALIZE_WHITESPACE)
    tried = 0
    for info in pkgutil.walk_packages(ga.__path__, "govanalysis."):
        module = importlib.import_module(info.name)
        for test in finder.find(module, module=module):
            if test.examples:
                result = runner.run(test, out=lambda s: None)
                assert not result.failed, f"{test.name}: {result.failed} failed (run python -m doctest)"
                tried += result.attempted
    assert tried >= 10
