"""The main job: execute the curated notebooks headless against a corpus.

Each notebook has a cell tagged ``parameters`` (``corpus``, ``figures_dir`` …). Run in
place on the shipped corpus, notebooks execute as committed and their stored outputs and
``figures/`` are regenerated. Pointed at another corpus, a cell tagged
``injected-parameters`` overriding those names is added after it (papermill's convention),
and the executed notebooks and figures go to the output folder. Execution uses nbclient.
"""

from __future__ import annotations

import time
from pathlib import Path

import nbformat

INJECTED_TAG = "injected-parameters"


def inject_parameters(notebook: nbformat.NotebookNode, parameters: dict) -> nbformat.NotebookNode:
    """Add a cell after the ``parameters`` cell that sets ``parameters`` (returns the notebook)."""
    notebook.cells = [c for c in notebook.cells if INJECTED_TAG not in c.metadata.get("tags", [])]
    index = next((i for i, c in enumerate(notebook.cells) if "parameters" in c.metadata.get("tags", [])), None)
    if index is None:
        raise ValueError("notebook has no cell tagged 'parameters'")
    source = "\n".join(f"{name} = {value!r}" for name, value in parameters.items())
    # A fixed id (nbformat would draw a random one), so executed copies are byte-identical across runs.
    cell = nbformat.v4.new_code_cell(source, id=INJECTED_TAG)
    cell.metadata["tags"] = [INJECTED_TAG]
    notebook.cells.insert(index + 1, cell)
    return notebook


def run_notebook(path: Path, out_path: Path, parameters: dict | None = None, timeout: int = 600) -> float:
    """Execute one notebook (working directory: its own folder); return seconds taken."""
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    if parameters:
        inject_parameters(notebook, parameters)
    start = time.perf_counter()
    # record_timing=False: no timestamps in the saved notebook, so reruns are identical.
    NotebookClient(notebook, timeout=timeout, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, out_path)
    return time.perf_counter() - start


def run_notebooks(notebooks: str | Path = "notebooks", corpus: str | Path | None = None,
                  out: str | Path | None = None, timeout: int = 600) -> list[tuple[str, float]]:
    """Execute every ``NN_*.ipynb`` in ``notebooks``.

    With neither ``corpus`` nor ``out``, notebooks run as committed (on their default
    corpus) and are saved in place. Otherwise ``corpus`` and ``out/figures`` are
    injected and executed copies are written to ``out/notebooks``.

    Returns ``(notebook name, seconds)`` per notebook.
    """
    folder = Path(notebooks).resolve()
    paths = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        raise FileNotFoundError(f"no numbered notebooks in {folder}")
    timings = []
    for path in paths:
        if corpus is None and out is None:
            seconds = run_notebook(path, path, timeout=timeout)
        else:
            target = Path(out or ".").resolve()
            parameters = {"figures_dir": str(target / "figures")}
            if corpus is not None:
                parameters = {"corpus": str(Path(corpus).resolve())} | parameters
            seconds = run_notebook(path, target / "notebooks" / path.name, parameters, timeout)
        timings.append((path.name, round(seconds, 2)))
    return timings
