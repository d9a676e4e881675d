"""Where each document came from: a manifest of the scrape, and addresses in the page.

A manifest is the record a scraper keeps (CSV or TSV, UTF-8, a header row): a ``file``
column naming each file, and optionally ``url`` (where it was fetched), ``retrieved``
(when) and any other columns. :func:`join_manifest` joins it to ``docs`` on the file.
Without one, a page often says where it is from itself: a ``原文链接：https://…`` /
``网址：`` / ``来源：`` line among the furniture of a text file (:func:`furniture_url`),
the canonical link or ``og:url`` of an HTML page, or a link right after such a label
(:func:`govanalysis.io.reading.html_source_url`). ``docs.source_url`` holds the manifest's ``url`` when given,
else the page's own address; ``metadata_spans`` says which (source ``manifest``, ``html``
or the furniture kind of the line, with the text it was read from).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from .. import _patterns as P

MANIFEST_COLUMNS = ("file", "url", "retrieved")
MAX_NAMED = 10  # rows named in one warning


class ManifestError(ValueError):
    """A manifest that cannot be used at all (missing, unreadable, no ``file`` column)."""


class ManifestWarning(UserWarning):
    """A manifest row that matches no input, a duplicate row, or a date that is not one."""


def furniture_url(lines: list[str], kinds: list[str | None]) -> tuple[str, str, str] | None:
    """The address a page gives for itself in its furniture: ``(url, kind, line)`` or None.

    The first line that cleaning removes as furniture (``header``, ``tail``, ``site`` …; not
    a ``duplicate``) and that holds a labelled address (:data:`govanalysis._patterns.SOURCE_URL_LINE`:
    原文链接 / 网址 / 来源 / URL followed by ``:`` and an ``http(s)://`` address). A body
    sentence that names a portal's address is text, not provenance.

    Examples
    --------
    >>> furniture_url(["某某报告", "原文链接：https://www.gov.cn/a.html"], [None, "header"])
    ('https://www.gov.cn/a.html', 'header', '原文链接：https://www.gov.cn/a.html')
    """
    for line, kind in zip(lines, kinds):
        if kind and kind != "duplicate":
            found = P.SOURCE_URL_LINE.search(line)
            if found:
                return found["url"], kind, line.strip()
    return None


def _separator(path: Path) -> str:
    return "\t" if path.suffix.lower() in (".tsv", ".tab", ".txt") else ","


def read_manifest(path: str | Path) -> pd.DataFrame:
    """Read a manifest: one row per listed file, every column as text.

    Parameters
    ----------
    path
        A UTF-8 CSV (``.csv``) or TSV (``.tsv``, ``.tab``, ``.txt``) file with a header row
        holding a ``file`` column; ``url``, ``retrieved`` and any other columns are optional.

    Returns
    -------
    pandas.DataFrame
        The manifest's columns as written (names stripped), values as strings, empty cells
        missing.

    Raises
    ------
    ManifestError
        The file is missing or unreadable, not UTF-8, empty, or has no ``file`` column;
        the message names the file.
    """
    path = Path(path)
    try:
        table = pd.read_csv(path, sep=_separator(path), dtype=str, keep_default_na=False, na_values=[""],
                            encoding="utf-8-sig")
    except FileNotFoundError:
        raise ManifestError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ManifestError(f"{path}: is a folder, not a manifest file") from None
    except UnicodeDecodeError:
        raise ManifestError(f"{path}: not UTF-8 text") from None
    except pd.errors.EmptyDataError:
        raise ManifestError(f"{path}: empty file") from None
    except (OSError, pd.errors.ParserError) as exc:
        raise ManifestError(f"{path}: cannot be read as {'TSV' if _separator(path) == chr(9) else 'CSV'}: "
                            f"{getattr(exc, 'strerror', None) or str(exc).splitlines()[0]}") from None
    table.columns = [str(c).strip() for c in table.columns]
    if "file" not in table.columns:
        raise ManifestError(f"{path}: no 'file' column (columns: {', '.join(table.columns) or 'none'})")
    return table


def _listed(values, more: int) -> str:
    return ", ".join(values) + (f" and {more} more" if more > 0 else "")


def _key(text: str) -> str:
    return str(text).strip().replace("\\", "/").removeprefix("./")


def join_manifest(docs: pd.DataFrame, manifest: pd.DataFrame, relative: dict[str, str], name: str = "manifest",
                  ) -> tuple[pd.DataFrame, list[dict]]:
    """Join a manifest to ``docs`` on the file; every doc row is kept, in its order.

    Parameters
    ----------
    docs
        The docs table (one row per input file).
    manifest
        From :func:`read_manifest`.
    relative
        ``doc_id`` -> the file's path relative to the input folder it was found in (as
        given, for a file named on its own).
    name
        How warnings name the manifest (its file name).

    Returns
    -------
    docs, spans
        ``docs`` with ``source_url`` from the manifest's ``url`` where it has one,
        ``retrieved`` from its ``retrieved`` (dates; NaT where missing or unreadable) and
        every other manifest column after the docs columns (a name docs already has gets
        the prefix ``manifest_``); ``spans``: a ``metadata_spans`` row for each URL taken.

    A manifest row's ``file`` matches a document whose relative path or path is the same
    (``\\`` or ``/``), else whose file name is, when only one document has that name. Rows
    that match no input, duplicate rows (a second row for a file already matched) and
    ``retrieved`` values that are not dates each give one :class:`ManifestWarning` naming
    them.
    """
    docs = docs.copy()
    by_path: dict[str, str] = {}
    by_name: dict[str, list[str]] = {}
    for doc_id, path in zip(docs["doc_id"], docs["path"]):
        for key in {_key(relative.get(doc_id, "")), _key(path)} - {""}:
            by_path.setdefault(key, doc_id)
        by_name.setdefault(Path(_key(path)).name, []).append(doc_id)
    matched: dict[str, int] = {}
    unmatched, duplicates = [], []
    for index, file in zip(manifest.index, manifest["file"]):
        key = _key(file) if isinstance(file, str) else ""
        doc_id = by_path.get(key)
        if doc_id is None and len(by_name.get(Path(key).name, [])) == 1 and key:
            doc_id = by_name[Path(key).name][0]
        if doc_id is None:
            unmatched.append(key or f"(row {index + 2}: no file)")
        elif doc_id in matched:
            duplicates.append(f"{key} (rows {matched[doc_id] + 2} and {index + 2})")
        else:
            matched[doc_id] = index
    if unmatched:
        warnings.warn(f"{name}: {len(unmatched)} of {len(manifest)} rows match no input: "
                      f"{_listed(unmatched[:MAX_NAMED], len(unmatched) - MAX_NAMED)}", ManifestWarning, stacklevel=3)
    if duplicates:
        warnings.warn(f"{name}: {len(duplicates)} duplicate rows, the first of each kept: "
                      f"{_listed(duplicates[:MAX_NAMED], len(duplicates) - MAX_NAMED)}", ManifestWarning, stacklevel=3)
    rows = manifest.loc[[matched.get(doc_id, -1) for doc_id in docs["doc_id"]
                         if doc_id in matched]] if matched else manifest.iloc[:0]
    rows = rows.reset_index(drop=True)
    positions = [i for i, doc_id in enumerate(docs["doc_id"]) if doc_id in matched]
    aligned = pd.DataFrame(index=docs.index, columns=manifest.columns, dtype=object)
    aligned.iloc[positions] = rows.to_numpy(dtype=object)
    spans = []
    if "url" in aligned:
        urls = aligned["url"].where(aligned["url"].notna(), None)
        for i in positions:
            url = urls.iloc[i]
            if isinstance(url, str) and url.strip():
                docs.iloc[i, docs.columns.get_loc("source_url")] = url.strip()
                spans.append({"doc_id": docs["doc_id"].iloc[i], "field": "source_url", "value": url.strip(),
                              "source": "manifest", "span": f"{name}: {aligned['file'].iloc[i]}"})
    if "retrieved" in aligned:
        text = aligned["retrieved"]
        dates = pd.to_datetime(text.str.replace(P.CN_DATE_MARK, "-", regex=True).str.rstrip("-日 "),
                               errors="coerce", format="mixed").astype("datetime64[ns]")
        bad = [f"{aligned['file'].iloc[i]} ({text.iloc[i]!r})" for i in positions
               if pd.notna(text.iloc[i]) and pd.isna(dates.iloc[i])]
        if bad:
            warnings.warn(f"{name}: {len(bad)} retrieved values are not dates (left empty): "
                          f"{_listed(bad[:MAX_NAMED], len(bad) - MAX_NAMED)}", ManifestWarning, stacklevel=3)
        docs["retrieved"] = dates
    extra = [c for c in aligned.columns if c not in MANIFEST_COLUMNS]
    for column in extra:
        docs[f"manifest_{column}" if column in docs.columns else column] = aligned[column].astype(docs["path"].dtype)
    return docs, spans
