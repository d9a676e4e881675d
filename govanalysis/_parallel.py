"""Running a stage over chunks: serially, on all cores (joblib), or on a Dask cluster.

Every parallel stage of the package (reading + parsing, tokenization, theme scoring)
splits its input into ordered chunks and calls :func:`map_chunks`; results come back in
input order, so parallel and serial runs give identical tables.

- ``n_jobs``: worker count on this machine (``-1``: all cores). Pure-Python stages use
  processes (joblib's loky); ``prefer="threads"`` suits code that releases the GIL
  (the rjieba segmenter).
- ``client``: a ``dask.distributed.Client`` (or a scheduler address) runs the chunks on
  its workers instead — the way to go past one machine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence, Sized


def chunked(items: Sequence, size: int) -> list[list]:
    """Consecutive chunks of at most ``size`` items."""
    size = max(1, int(size))
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def effective_jobs(n_jobs: int | None) -> int:
    """``n_jobs`` as a positive count (``-1`` or ``None`` → all cores)."""
    import os

    cores = os.cpu_count() or 1
    if n_jobs is None or n_jobs < 0:
        return cores
    return max(1, min(int(n_jobs), cores))


def worker_count(n_jobs: int | None, client=None) -> int:
    """Workers a stage will run on: the cluster's when given a client, else ``n_jobs``."""
    if client is None:
        return effective_jobs(n_jobs)
    return max(1, len(_dask_client(client).scheduler_info()["workers"]))


def _dask_client(client):
    if isinstance(client, str):
        from distributed import Client

        return Client(client)
    return client


def map_chunks(func: Callable[[object], list], chunks: Iterable, *, n_jobs: int | None = 1, client=None,
               prefer: str = "processes", progress: bool = False, desc: str = "",
               total: int | None = None) -> list:
    """Apply ``func`` to every chunk and concatenate the results, in order.

    ``chunks`` may be lazy (a generator): local workers then start on the first chunks
    while later ones are still being made. ``total`` is their number when it has no
    ``len`` (for the progress bar, and to run a single chunk in this process).
    """
    from tqdm import tqdm

    if total is None and isinstance(chunks, Sized):
        total = len(chunks)
    if total == 0:
        return []
    if client is not None:
        client = _dask_client(client)
        results = client.gather(client.map(func, list(chunks), pure=False))
    elif effective_jobs(n_jobs) == 1 or total == 1:
        results = [func(chunk) for chunk in tqdm(chunks, total=total, desc=desc, unit="chunk", disable=not progress)]
    else:
        from joblib import Parallel, delayed

        parallel = Parallel(n_jobs=effective_jobs(n_jobs), prefer=prefer, return_as="generator")
        results = list(tqdm(parallel(delayed(func)(chunk) for chunk in chunks), total=total, desc=desc,
                            unit="chunk", disable=not progress))
    return [item for result in results for item in result]
