"""Writing the tables of a run to a folder, and reading such a folder back.

A folder holds one file per table (``docs.csv`` or ``docs.parquet`` …) and a
``datapackage.json`` (a Frictionless Data Package: each table's path, format and Table
Schema). The schema carries what a CSV cannot: each column's pandas dtype and the
categories of categorical columns, so :func:`read_tables` gives back the same dtypes from
either format. Parquet (pyarrow, the ``parquet`` extra) keeps the types in the file itself
and is read fast by R's arrow, DuckDB and polars.

Written tables carry the package's dtypes (:func:`typed`): ``role`` categorical in the
order of :data:`govanalysis.parse.structure.ROLES`, ``status`` categorical, years and
counts ``Int64``, ``published`` and ``retrieved`` dates (``datetime64``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

FORMATS = ("csv", "parquet")
SCHEMA_FILE = "datapackage.json"
STATUSES = ("ok", "warning", "error", "skipped")
DATE_COLUMNS = ("published", "retrieved")
YEAR_COLUMNS = ("year", "review_year", "plan_year")


def check_format(format: str) -> str:
    """``format`` if it is ``csv`` or ``parquet`` (and pyarrow is there for parquet); else
    a :class:`ValueError` naming it."""
    if format not in FORMATS:
        raise ValueError(f"format must be 'csv' or 'parquet', not {format!r}")
    if format == "parquet":
        import importlib.util

        if importlib.util.find_spec("pyarrow") is None:
            raise ValueError("format 'parquet' needs pyarrow: pip install 'govanalysis[parquet]'")
    return format


def typed(table: pd.DataFrame) -> pd.DataFrame:
    """The table with the package's dtypes for its known columns (a copy; others unchanged).

    ``role`` becomes categorical with the categories of
    :data:`~govanalysis.parse.structure.ROLES` (in that order), ``status`` with
    ``ok, warning, error, skipped``, whenever every value is one of them; ``year``,
    ``review_year`` and ``plan_year`` become ``Int64``; ``published`` and ``retrieved``
    become dates (``datetime64[ns]``; text that is not a date becomes ``NaT``).

    Examples
    --------
    >>> import pandas as pd
    >>> t = typed(pd.DataFrame({"role": ["plans", "problems"], "year": [2021.0, None],
    ...                         "published": ["2021-02-03", None]}))
    >>> t.dtypes.astype(str).tolist()
    ['category', 'Int64', 'datetime64[ns]']
    >>> list(t.role.cat.categories)
    ['preamble', 'achievements', 'problems', 'plans', 'safeguards', 'other']
    """
    from ..parse.structure import ROLES

    table = table.copy()
    for column, categories in (("role", ROLES), ("status", STATUSES)):
        if column in table and not isinstance(table[column].dtype, pd.CategoricalDtype):
            values = table[column].dropna()
            if values.isin(categories).all():
                table[column] = pd.Categorical(table[column], categories=list(categories))
    for column in YEAR_COLUMNS:
        if column in table and table[column].dtype != "Int64":
            table[column] = pd.to_numeric(table[column], errors="coerce").astype("Int64")
    for column in DATE_COLUMNS:
        if column in table and not pd.api.types.is_datetime64_any_dtype(table[column]):
            table[column] = pd.to_datetime(table[column], errors="coerce", format="ISO8601").astype("datetime64[ns]")
    return table


def _field(name: str, series: pd.Series) -> dict:
    dtype = series.dtype
    field = {"name": name, "pandas_dtype": str(dtype)}
    if isinstance(dtype, pd.CategoricalDtype):
        field |= {"type": "string", "categories": [str(c) for c in dtype.categories],
                  "categoriesOrdered": bool(dtype.ordered)}
    elif pd.api.types.is_bool_dtype(dtype):
        field["type"] = "boolean"
    elif pd.api.types.is_integer_dtype(dtype):
        field["type"] = "integer"
    elif pd.api.types.is_float_dtype(dtype):
        field["type"] = "number"
    elif pd.api.types.is_datetime64_any_dtype(dtype):
        field["type"] = "datetime"
    else:
        field["type"] = "string"
    return field


def write_tables(tables: dict[str, pd.DataFrame], out: str | Path, format: str = "csv") -> list[Path]:
    """Write each table as ``out/<name>.csv`` or ``out/<name>.parquet``; return the paths.

    Parameters
    ----------
    tables
        Table name -> DataFrame; each is written with the dtypes of :func:`typed`.
    out
        The folder (created if needed).
    format
        ``"csv"`` (UTF-8, header row, ``\\n`` line ends, missing values as empty fields)
        or ``"parquet"`` (pyarrow, snappy-compressed, no index).

    Returns
    -------
    list of pathlib.Path
        The table files in the order given, then ``datapackage.json``, which describes
        them (path, format and each column's type) for :func:`read_tables`.

    Both formats are deterministic: the same tables give byte-identical files.
    """
    check_format(format)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written, resources = [], []
    for name, table in tables.items():
        table = typed(table)
        path = out / f"{name}.{format}"
        if format == "csv":
            table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.Table.from_pandas(table, preserve_index=False), path, compression="snappy")
        written.append(path)
        resources.append({"name": name, "path": path.name, "format": format,
                          **({"encoding": "utf-8"} if format == "csv" else {}),
                          "schema": {"fields": [_field(str(c), table[c]) for c in table.columns]}})
    package = out / SCHEMA_FILE
    known = _read_package(package) if package.exists() else {}
    known = {r["name"]: r for r in known.get("resources", []) if r.get("name") not in tables}
    package.write_text(json.dumps({"profile": "tabular-data-package",
                                   "resources": sorted([*known.values(), *resources], key=lambda r: r["name"])},
                                  ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return [*written, package]


def _read_package(path: Path) -> dict:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def _restore(table: pd.DataFrame, fields: list[dict]) -> pd.DataFrame:
    for field in fields:
        name, dtype = field["name"], field.get("pandas_dtype", "")
        if name not in table:
            continue
        column = table[name]
        if "categories" in field:
            table[name] = pd.Categorical(column, categories=field["categories"],
                                         ordered=field.get("categoriesOrdered", False))
        elif field.get("type") == "datetime":
            table[name] = pd.to_datetime(column, format="ISO8601").astype(dtype or "datetime64[ns]")
        elif field.get("type") == "boolean":
            table[name] = column.map({"True": True, "False": False}).astype(
                "boolean" if column.isna().any() or dtype == "boolean" else "bool")
        elif field.get("type") in ("integer", "number"):
            numbers = pd.to_numeric(column)
            table[name] = numbers.astype(dtype) if dtype and not (numbers.isna().any() and dtype.startswith("int")) \
                else numbers
    return table


def _read_one(path: Path, fields: list[dict] | None) -> pd.DataFrame:
    if path.suffix == ".parquet":
        return pd.read_parquet(path, engine="pyarrow")
    if fields is None:  # a CSV without a schema: pandas' inference, then the package's dtypes
        return typed(pd.read_csv(path, encoding="utf-8"))
    text = [f["name"] for f in fields if f.get("type") != "string" or "categories" in f]
    table = pd.read_csv(path, encoding="utf-8", dtype=str, keep_default_na=False, na_values=[""])
    return _restore(table, [f for f in fields if f["name"] in text])


def read_tables(folder: str | Path, format: str | None = None) -> dict[str, pd.DataFrame]:
    """Read a folder written by :func:`write_tables` (or ``govanalysis ... --out``) back.

    Parameters
    ----------
    folder
        The folder: its ``datapackage.json`` names the tables and their column types. A
        folder without one (written by another tool) is read file by file and given the
        dtypes of :func:`typed`.
    format
        ``"csv"`` or ``"parquet"`` to read only tables of that format; by default every
        table, whichever format (a table written in both is an error: pass ``format``).

    Returns
    -------
    dict of str to pandas.DataFrame
        Table name (``docs``, ``paragraphs``, ``indicators`` …) -> the table with the dtypes
        it was written with: categorical ``role``, ``Int64`` years, ``datetime64`` dates.
        In a CSV an empty string and a missing value are the same empty field: text columns
        read back missing (``NaN``) where they were ``""``. Parquet gives back the table
        exactly.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> folder = tempfile.mkdtemp()
    >>> paths = write_tables({"t": pd.DataFrame({"role": ["plans"], "year": [2021]})}, folder)
    >>> read_tables(folder)["t"].dtypes.astype(str).tolist()
    ['category', 'Int64']
    """
    folder = Path(folder)
    if format is not None:
        check_format(format)
    if not folder.is_dir():
        raise FileNotFoundError(f"no such folder: {folder}")
    package = _read_package(folder / SCHEMA_FILE)
    schemas = {r["path"]: r.get("schema", {}).get("fields") for r in package.get("resources", [])}
    found: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix[1:] not in FORMATS or (format and path.suffix[1:] != format) or not path.is_file():
            continue
        if path.stem in found:
            raise ValueError(f"{folder}: table {path.stem!r} is there as {found[path.stem].name} and {path.name}; "
                             "pass format='csv' or format='parquet'")
        found[path.stem] = path
    if any(path.suffix == ".parquet" for path in found.values()):
        check_format("parquet")
    return {name: _read_one(path, schemas.get(path.name)) for name, path in found.items()}
