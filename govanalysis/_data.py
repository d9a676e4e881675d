"""The one loader of the package's data files (``govanalysis/data``).

Vocabulary a user may want to read or edit is diffable text: the jieba dictionary and the
stopwords (one entry a line), lexicons, furniture, roles and metrics (TOML). Everything
that reads one goes through these functions.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path


def data_path(name: str) -> Path:
    """Path of a data file shipped in ``govanalysis/data``."""
    return Path(str(resources.files("govanalysis.data").joinpath(name)))


def read_toml(name: str) -> dict:
    """A shipped TOML file, parsed."""
    return tomllib.loads(data_path(name).read_text("utf-8"))


def read_lines(path: str | Path) -> list[str]:
    """Stripped lines of a one-entry-a-line file (a shipped name or a path); ``#``
    comments and blank lines skipped."""
    path = Path(path) if Path(path).is_absolute() or Path(path).exists() else data_path(str(path))
    lines = (line.strip() for line in path.read_text("utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def read_word_list(path: str | Path) -> list[str]:
    """Words of a one-per-line file: the first field of each line."""
    return [line.split()[0] for line in read_lines(path)]


def user_dict_entries(path: str | Path | None) -> list[tuple[str, int | None, str | None]]:
    """``(word, freq, tag)`` of a jieba user dictionary (freq and tag None when absent)."""
    from . import _patterns as P

    entries = []
    for line in read_lines(path) if path is not None else []:
        word, freq, tag = P.USER_DICT_LINE.match(line).groups()
        entries.append((word.strip(), int(freq) if freq else None, tag.strip() if tag else None))
    return entries


def read_table(name: str):
    """A shipped CSV table (``#`` lines are comments), as a pandas DataFrame of strings."""
    import pandas as pd

    return pd.read_csv(data_path(name), comment="#", dtype=str, keep_default_na=False, encoding="utf-8")
