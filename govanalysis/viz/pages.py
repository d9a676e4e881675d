"""Executed notebooks as HTML pages, for a co-author who does not run Jupyter.

:func:`write_pages` converts each executed ``NN_*.ipynb`` with nbconvert's JupyterLab
template: code folded under a "code" summary (click to open), outputs and figures inline
(images embedded as data URIs, so a page is one file), a CJK font stack so Chinese text
renders where a CJK font is installed (figures carry their own glyphs: Noto Sans CJK SC).
No script is loaded from the network (no require.js, MathJax or Mermaid), so the pages
open offline. An ``index.html`` lists the pages with each notebook's question.
The same notebooks give byte-identical pages.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

CJK_FONTS = ('"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", '
             '"WenQuanYi Micro Hei", system-ui, sans-serif')

TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block extra_css %}
<style type="text/css">
:root { --jp-content-font-family: FONTS; --jp-ui-font-family: FONTS; }
body { max-width: 1100px; margin: 0 auto; padding: 1em 2em; }
details.ga-code > summary { cursor: pointer; color: #666; font-size: 0.85em; margin: 0.2em 0 0.2em 64px; }
nav.ga-back { font: 0.9em FONTS; margin-bottom: 1em; }
</style>
{% endblock extra_css %}
{%- block body_header -%}
{{ super() }}
<nav class="ga-back"><a href="index.html">&larr; all notebooks</a></nav>
{%- endblock body_header -%}
{% block input_group -%}
<details class="ga-code"><summary>code</summary>
{{ super() }}
</details>
{%- endblock input_group %}
""".replace("FONTS", CJK_FONTS)

INDEX = """<!DOCTYPE html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{title}</title>
<style type="text/css">
body {{ font-family: {fonts}; max-width: 860px; margin: 2em auto; padding: 0 1.5em; color: #222; line-height: 1.5; }}
h1 {{ font-size: 1.6em; }}
li {{ margin: 0.8em 0; }}
li a {{ font-weight: 600; }}
p.ga-note {{ color: #666; font-size: 0.9em; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p class="ga-note">{note}</p>
<ol>
{items}
</ol>
</body>
</html>
"""


def _exporter():
    import jinja2
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(extra_loaders=[jinja2.DictLoader({"govanalysis_page.html.j2": TEMPLATE})],
                            template_file="govanalysis_page.html.j2")
    exporter.embed_images = True
    return exporter


def _heading(notebook) -> tuple[str, str]:
    """The first markdown cell's ``#`` heading and its **Question.** sentence."""
    first = next((c.source for c in notebook.cells if c.cell_type == "markdown"), "")
    title = next((line.lstrip("# ").strip() for line in first.splitlines() if line.startswith("#")), "")
    found = re.search(r"\*\*Question\.\*\*\s*(.+?)(?:\n\n|$)", first, re.S)
    question = re.sub(r"[*_`]", "", " ".join(found.group(1).split())) if found else ""
    return title, question


def write_pages(notebooks: str | Path, out: str | Path, title: str = "govanalysis: executed notebooks") -> Path:
    """Write each executed ``NN_*.ipynb`` in ``notebooks`` as ``out/NN_*.html``, and ``out/index.html``.

    Parameters
    ----------
    notebooks
        A folder of executed notebooks (``govanalysis figures`` writes them to
        ``OUT/notebooks``; the committed ones in ``notebooks/`` are executed too).
    out
        The folder for the pages (created if needed); ``govanalysis figures --html`` uses
        ``OUT/report``.
    title
        The heading of the index page.

    Returns
    -------
    pathlib.Path
        The index page. Each notebook page folds its code (a "code" summary before each
        cell), shows outputs and figures inline and needs no network.
    """
    import nbformat

    folder, out = Path(notebooks), Path(out)
    paths = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        raise FileNotFoundError(f"no numbered notebooks in {folder}")
    out.mkdir(parents=True, exist_ok=True)
    exporter = _exporter()
    items = []
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        heading, question = _heading(notebook)
        body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": heading or path.stem}})
        page = out / f"{path.stem}.html"
        page.write_text(body, encoding="utf-8", newline="\n")
        summary = f"<br>{html.escape(question)}" if question else ""
        items.append(f'<li><a href="{page.name}">{html.escape(heading or path.stem)}</a> '
                     f"<code>{html.escape(path.name)}</code>{summary}</li>")
    note = ("Each page is an executed notebook: code folded (click “code” to open it), tables and figures "
            "inline. Made by govanalysis figures --html.")
    index = out / "index.html"
    index.write_text(INDEX.format(title=html.escape(title), fonts=CJK_FONTS, note=html.escape(note),
                                  items="\n".join(items)), encoding="utf-8", newline="\n")
    return index
