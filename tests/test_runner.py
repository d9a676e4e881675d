"""The notebook runner: parameter injection, and every notebook thin and tagged."""

from pathlib import Path

import nbformat
import pytest

from govanalysis.runner import INJECTED_TAG, inject_parameters

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_the_numbered_notebooks():
    numbers = [int(p.name[:2]) for p in NOTEBOOKS]
    assert numbers == sorted(set(numbers)) and numbers == list(range(1, 10))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_thin_and_parametrised(path):
    book = nbformat.read(path, as_version=4)
    tagged = [c for c in book.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and "corpus" in tagged[0].source and "figures_dir" in tagged[0].source
    code = [c.source for c in book.cells if c.cell_type == "code"]
    assert not any("def " in source or "class " in source for source in code)
    assert book.cells[0].cell_type == "markdown" and "**Question.**" in book.cells[0].source
    assert all(c.get("outputs") is not None for c in book.cells if c.cell_type == "code")
    assert not any(INJECTED_TAG in c.metadata.get("tags", []) for c in book.cells)


def test_inject_parameters_adds_one_cell_after_the_parameters_cell():
    book = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('corpus = "../seeds"')
    params.metadata["tags"] = ["parameters"]
    book.cells = [nbformat.v4.new_markdown_cell("# t"), params, nbformat.v4.new_code_cell("print(corpus)")]
    inject_parameters(book, {"corpus": "/data/其他", "figures_dir": "/out/figures"})
    inject_parameters(book, {"corpus": "/data/again"})  # re-injection replaces, never stacks
    assert [c.source for c in book.cells][1:3] == ['corpus = "../seeds"', "corpus = '/data/again'"]
    assert len(book.cells) == 4
    assert book.cells[2].id == "injected-parameters"  # a fixed id: executed copies are identical across runs


def test_missing_parameters_cell_is_a_clear_error():
    with pytest.raises(ValueError, match="parameters"):
        inject_parameters(nbformat.v4.new_notebook(), {"corpus": "x"})
