"""Writing the tables of a run to a folder."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def write_tables(tables: dict[str, pd.DataFrame], out: str | Path) -> list[Path]:
    """Write each table as ``out/<name>.csv`` (UTF-8, ``\\n`` line ends); return the paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables.items():
        path = out / f"{name}.csv"
        table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        written.append(path)
    return written
