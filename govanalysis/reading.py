"""Reading: a folder, files or globs of reports -> one row per input file.

Every input is accounted for: a file that cannot be read is a row with ``status`` error
and a ``message`` saying why; nothing raises unless ``errors="raise"``.
Encodings are detected with charset-normalizer (restricted to the encodings Chinese
reports come in); HTML main text is extracted with trafilatura.
"""

from __future__ import annotations

import glob
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pandas as pd

TEXT_SUFFIXES = (".txt", ".text", "")
HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
# charset-normalizer names -> the codec we decode with (supersets, so nothing is lost).
_CODECS = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "big5": "big5hkscs",
           "big5hkscs": "big5hkscs", "cp950": "big5hkscs", "hz": "hz"}
_CANDIDATES = ["utf_8", "gb18030", "big5", "utf_16", "utf_32"]
_MAGIC = {
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive (a .docx or .xlsx? convert it to text first)",
    b"\xd0\xcf\x11\xe0": "OLE document (.doc/.xls; convert it to text first)",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"\x1f\x8b": "gzip archive",
    b"\x7fELF": "executable",
}

# Inside a directory these are documentation beside the reports, not reports; a file
# named explicitly is always read (and reported if unsupported).
SIDECAR_SUFFIXES = (".md", ".rst", ".tsv", ".csv", ".json", ".yml", ".yaml", ".toml", ".py", ".ipynb")
SIDECAR_STEMS = ("readme", "manifest", "license", "licence", "changelog")

RAW_COLUMNS = ["doc_id", "path", "sha256", "status", "message", "encoding", "n_bytes", "raw_text"]


class ReadError(ValueError):
    """Raised by :func:`read_corpus` with ``errors="raise"`` for an unreadable input."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str | None
    status: str  # ok / warning / error
    message: str


def decode_bytes(data: bytes) -> Decoded:
    """Decode report bytes: BOMs, strict UTF-8, then detection among Chinese encodings."""
    if not data.strip():
        return Decoded("", None, "error", "empty file" if not data else "file holds only whitespace")
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
                       (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return Decoded(data.decode(codec), codec, "ok", "")
            except UnicodeDecodeError as exc:
                return Decoded("", codec, "error", f"undecodable: byte-order mark says {codec} but {exc.reason}")
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return Decoded("", None, "error", f"binary file: {kind}")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "ok", "")
    except UnicodeDecodeError:
        pass
    # A UTF-8 file cut mid-character or with a stray byte is still UTF-8.
    lenient = data.decode("utf-8", errors="replace")
    if lenient.count("\ufffd") <= max(3, len(data) // 1000):
        return _with_replacements(lenient, "utf-8")
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is not None:
        name = best.encoding.lower()
        text = data.decode(_CODECS.get(name, name), errors="replace")
        if "\x00" not in text:
            return _with_replacements(text, name)
    if b"\x00" in data:
        return Decoded("", None, "error", "binary file (NUL bytes)")
    # Mostly GB18030 with a few broken sequences: keep the text, say what was lost.
    text = data.decode("gb18030", errors="replace")
    if text.count("\ufffd") <= max(3, len(text) // 100):
        return _with_replacements(text, "gb18030")
    return Decoded("", None, "error", "undecodable: no supported encoding fits")


def _with_replacements(text: str, encoding: str) -> Decoded:
    bad = text.count("\ufffd")
    if bad:
        return Decoded(text, encoding, "warning", f"{bad} undecodable byte sequences replaced (U+FFFD)")
    return Decoded(text, encoding, "ok", "")


def html_to_text(html: str) -> tuple[str, str]:
    """Main text of an HTML page with trafilatura, title first; ('', reason) when none."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=True, favor_recall=True, with_metadata=True
    )
    if document is None:
        return "", "no main text found in HTML"
    text = document.text or ""
    title = document.title or ""
    if title and title not in text[: len(title) + 200]:
        text = f"{title}\n\n{text}"
    return text, "" if text.strip() else "no main text found in HTML"


def expand_inputs(inputs: str | Path | Iterable[str | Path]) -> list[tuple[Path, str]]:
    """Paths of files to read, as (path, problem) with problem '' for a readable file.

    Directories are walked recursively, skipping hidden entries and sidecar files
    (README, MANIFEST, .md/.csv/.tsv/.json…); globs are expanded; a path that matches
    nothing stays in the list with its problem so the caller can report it.
    """
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    found: list[tuple[Path, str]] = []
    for item in inputs:
        text = str(item)
        if any(ch in text for ch in "*?[") and not Path(text).exists():
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                found.append((Path(text), "no file matches this pattern"))
            found.extend((Path(m), "") for m in matches if Path(m).is_file())
            continue
        path = Path(text)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if (child.is_file() and not any(part.startswith(".") for part in relative)
                        and not _is_sidecar(child)):
                    found.append((child, ""))
        elif path.is_file():
            found.append((path, ""))
        else:
            found.append((path, "no such file or directory"))
    return found


def _is_sidecar(path: Path) -> bool:
    return path.suffix.lower() in SIDECAR_SUFFIXES or path.stem.lower().startswith(SIDECAR_STEMS)


def doc_ids(paths: list[Path]) -> list[str]:
    """File stems, made unique with a numeric suffix where two files share one."""
    ids, seen = [], {}
    for path in paths:
        stem = path.stem or path.name
        count = seen.get(stem, 0)
        seen[stem] = count + 1
        ids.append(stem if count == 0 else f"{stem}-{count + 1}")
    return ids


def read_file(path: Path) -> dict:
    """One row of :func:`read_corpus` for one existing file (never raises on bad content)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return {"status": "error", "message": f"cannot read: {exc.strerror or exc}", "sha256": None,
                "encoding": None, "n_bytes": None, "raw_text": ""}
    return decode_file(path, data)


def decode_file(path: Path, data: bytes) -> dict:
    """Decode a file's bytes (and extract HTML main text): the CPU part of reading."""
    suffix = path.suffix.lower()
    row = {"sha256": hashlib.sha256(data).hexdigest(), "n_bytes": len(data)}
    if suffix not in TEXT_SUFFIXES + HTML_SUFFIXES:
        return row | {"status": "error", "encoding": None, "raw_text": "",
                      "message": f"unsupported file type '{suffix}' (read: .txt, .html, .htm)"}
    decoded = decode_bytes(data)
    text, status, message = decoded.text, decoded.status, decoded.message
    looks_html = text.lstrip()[:200].lower().startswith(("<!doctype html", "<html"))
    if status != "error" and (suffix in HTML_SUFFIXES or looks_html):
        text, problem = html_to_text(text)
        if problem:
            status, message = "error", problem
    return row | {"status": status, "message": message, "encoding": decoded.encoding, "raw_text": text}


def read_corpus(
    inputs: str | Path | Iterable[str | Path], *, errors: str = "record", progress: bool = False
) -> pd.DataFrame:
    """Read reports into a table, one row per input file.

    Parameters
    ----------
    inputs
        A directory (walked recursively), a file, a glob pattern, or a list of these.
    errors
        ``"record"`` (default) puts unreadable files in the table with status ``error``;
        ``"raise"`` raises :class:`ReadError` at the first one instead.
    progress
        Show a progress bar.

    Returns
    -------
    pandas.DataFrame
        One row per file: ``doc_id`` (file stem, unique), ``path``, ``sha256``,
        ``status`` (ok / warning / error), ``message``, ``encoding``, ``n_bytes`` and
        ``raw_text`` (decoded text; main text for HTML; '' when unreadable).
    """
    if errors not in ("record", "raise"):
        raise ValueError(f"errors must be 'record' or 'raise', not {errors!r}")
    found = expand_inputs(inputs)
    from tqdm import tqdm

    rows = []
    for (path, problem), doc_id in tqdm(
        list(zip(found, doc_ids([p for p, _ in found]))), desc="read", unit="file", disable=not progress
    ):
        if problem:
            row = {"status": "error", "message": problem, "sha256": None, "encoding": None,
                   "n_bytes": None, "raw_text": ""}
        else:
            row = read_file(path)
        if errors == "raise" and row["status"] == "error":
            raise ReadError(f"{path}: {row['message']}")
        rows.append({"doc_id": doc_id, "path": str(path)} | row)
    table = pd.DataFrame(rows, columns=RAW_COLUMNS)
    return table.astype({"n_bytes": "Int64"})
