"""A content-keyed cache on disk: SQLite rows of pickled values.

Keys are hashes of the content and of everything that changes the result (the parser's
code and data files, a tokenizer's configuration), so a re-run skips work already done
and a changed rule never serves a stale result.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from collections.abc import Iterable
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from pathlib import Path


class ContentCache:
    """``get``/``put`` pickled values by string key in ``<folder>/<name>.sqlite``.

    Each call opens and closes its own connection, so no file handle outlives it.
    """

    def __init__(self, folder: str | Path, name: str):
        Path(folder).mkdir(parents=True, exist_ok=True)
        self.path = Path(folder) / f"{name}.sqlite"
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS cache (key TEXT PRIMARY KEY, value BLOB)")

    @contextmanager
    def _connect(self):
        db = sqlite3.connect(self.path)
        try:
            yield db
            db.commit()
        finally:
            db.close()

    def get_many(self, keys: Iterable[str]) -> dict[str, object]:
        keys = list(dict.fromkeys(keys))
        found: dict[str, object] = {}
        with self._connect() as db:
            for start in range(0, len(keys), 500):
                batch = keys[start:start + 500]
                marks = ",".join("?" * len(batch))
                for key, value in db.execute(f"SELECT key, value FROM cache WHERE key IN ({marks})", batch):
                    found[key] = pickle.loads(value)
        return found

    def put_many(self, items: dict[str, object]) -> None:
        if items:
            with self._connect() as db:
                db.executemany("INSERT OR REPLACE INTO cache VALUES (?, ?)",
                               [(k, pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)) for k, v in items.items()])


@lru_cache(maxsize=8)
def code_fingerprint(modules: tuple[str, ...], data_files: tuple[str, ...] = ()) -> str:
    """Hash of the source of some of the package's modules (paths such as ``parse/metadata``) and data files: a stage's
    cached results depend on its own code only (editing a plot keeps parse results)."""
    package = resources.files("govanalysis")
    digest = hashlib.sha1()
    for name in sorted(modules):
        digest.update(name.encode() + package.joinpath(*f"{name}.py".split("/")).read_bytes())
    for name in sorted(data_files):
        digest.update(name.encode() + package.joinpath("data", name).read_bytes())
    return digest.hexdigest()[:16]
