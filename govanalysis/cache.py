"""A content-keyed cache on disk: SQLite rows of pickled values.

Keys are hashes of the content and of everything that changes the result (the parser's
code and data files, a tokenizer's configuration), so a re-run skips work already done
and a changed rule never serves a stale result.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable


class ContentCache:
    """``get``/``put`` pickled values by string key in ``<folder>/<name>.sqlite``."""

    def __init__(self, folder: str | Path, name: str):
        Path(folder).mkdir(parents=True, exist_ok=True)
        self.path = Path(folder) / f"{name}.sqlite"
        self._db = sqlite3.connect(self.path)
        self._db.execute("CREATE TABLE IF NOT EXISTS cache (key TEXT PRIMARY KEY, value BLOB)")

    def get_many(self, keys: Iterable[str]) -> dict[str, object]:
        keys = list(dict.fromkeys(keys))
        found: dict[str, object] = {}
        for start in range(0, len(keys), 500):
            batch = keys[start:start + 500]
            marks = ",".join("?" * len(batch))
            for key, value in self._db.execute(f"SELECT key, value FROM cache WHERE key IN ({marks})", batch):
                found[key] = pickle.loads(value)
        return found

    def put_many(self, items: dict[str, object]) -> None:
        if items:
            self._db.executemany("INSERT OR REPLACE INTO cache VALUES (?, ?)",
                                 [(k, pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)) for k, v in items.items()])
            self._db.commit()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of the package's source and data files: parse results depend on all of them."""
    package = resources.files("govanalysis")
    digest = hashlib.sha1()
    for folder in (package, package.joinpath("data")):
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.is_file() and entry.name.endswith((".py", ".toml", ".txt")):
                digest.update(entry.name.encode())
                digest.update(entry.read_bytes())
    return digest.hexdigest()[:16]
