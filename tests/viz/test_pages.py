"""Executed notebooks as HTML pages (govanalysis/viz/pages.py) and ``figures --html``."""

import re
from pathlib import Path

import nbformat
import pytest

pytest.importorskip("nbconvert")

from govanalysis.cli import main  # noqa: E402
from govanalysis.viz.pages import write_pages  # noqa: E402

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    return write_pages(NOTEBOOKS, out)


def test_index_lists_every_notebook_with_its_question(report):
    index = report.read_text("utf-8")
    links = re.findall(r'<a href="([^"]+)">', index)
    assert links == [p.with_suffix(".html").name for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))]
    assert all((report.parent / link).is_file() for link in links)
    assert "Which numbers do the reports argue with" in index and "网办率" in index


def test_pages_fold_code_show_figures_inline_and_need_no_network(report):
    for page in sorted(report.parent.glob("0*.html")):
        text = page.read_text("utf-8")
        book = nbformat.read(NOTEBOOKS / page.with_suffix(".ipynb").name, as_version=4)
        code_cells = [c for c in book.cells if c.cell_type == "code"]
        assert text.count('<details class="ga-code">') == len(code_cells), page.name
        images = sum("image/png" in o.get("data", {}) for c in code_cells for o in c.outputs)
        assert images and text.count('src="data:image/png;base64,') == images, page.name
        assert not re.search(r"<script[^>]+src=", text) and 'href="index.html"' in text
        assert "Noto Sans CJK SC" in text and re.search(r"[\u4e00-\u9fff]", text)


def test_pages_are_byte_identical_on_rerun(report, tmp_path):
    write_pages(NOTEBOOKS, tmp_path)
    for page in sorted(report.parent.iterdir()):
        assert page.read_bytes() == (tmp_path / page.name).read_bytes(), page.name


def test_figures_html_writes_the_report(tmp_path, capsys):
    # A small numbered notebook with a figure and Chinese text, executed for real.
    folder = tmp_path / "nb"
    folder.mkdir()
    book = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('corpus = "../seeds"\nfigures_dir = "../figures"')
    params.metadata["tags"] = ["parameters"]
    book.cells = [nbformat.v4.new_markdown_cell("# 01 · 试验\n\n**Question.** Does it render 政务服务?"), params,
                  nbformat.v4.new_code_cell("import matplotlib\nmatplotlib.use('Agg')\n"
                                            "import matplotlib.pyplot as plt\n"
                                            "plt.plot([1, 2, 3]); plt.show()\nprint('数据共享')")]
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(book, folder / "01_tiny.ipynb")
    out = tmp_path / "out"
    assert main(["figures", "--notebooks", str(folder), "--out", str(out), "--html"]) == 0
    assert "HTML report:" in capsys.readouterr().out
    page = (out / "report" / "01_tiny.html").read_text("utf-8")
    assert "data:image/png;base64," in page and "数据共享" in page and "<details" in page
    assert "01 · 试验" in (out / "report" / "index.html").read_text("utf-8")
