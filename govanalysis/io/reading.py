"""Reading: a folder, files or globs of reports -> one row per input entry.

Every entry is accounted for: a file that cannot be read is a row with ``status`` error
and a ``message`` saying why, an entry that is not a report (a sidecar, a hidden file, a
FIFO) is a row with status ``skipped``; nothing raises unless ``errors="raise"``.
Encodings are detected with charset-normalizer (restricted to the encodings Chinese
reports come in); HTML main text is extracted with trafilatura. The status rules are
listed in :func:`decode_bytes` and in the README.
"""

from __future__ import annotations

import codecs
import errno
import glob
import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_from_bytes

import pandas as pd

from .. import _patterns as P

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
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# BOM-less wide encodings, tried when the bytes hold NULs or are not UTF-8.
_WIDE = (("utf-32-le", 4), ("utf-32-be", 4), ("utf-16-le", 2), ("utf-16-be", 2))
PLAIN_SHARE = 0.95  # share of ordinary text characters a BOM-less UTF-16/32 decoding needs
BINARY_CONTROL_SHARE = 0.1  # above this share of control characters (NULs aside) it is binary
MOJIBAKE_MIN_PAIRS = 3
MOJIBAKE_SHARE = 0.5  # share of non-ASCII characters that are in UTF-8-as-Latin-1 pairs

# Inside a directory these are documentation beside the reports, not reports; a file
# named explicitly is always read (and reported if unsupported).
SIDECAR_SUFFIXES = (".md", ".rst", ".tsv", ".csv", ".json", ".yml", ".yaml", ".toml", ".py", ".ipynb")
SIDECAR_STEMS = ("readme", "manifest", "license", "licence", "changelog")
SYSTEM_FILES = ("thumbs.db", "desktop.ini")

RAW_COLUMNS = ["doc_id", "path", "path_bytes", "sha256", "status", "message", "encoding", "n_bytes",
               "raw_text"]
STATUSES = ("ok", "warning", "error", "skipped")


def _c1_bytes(error: UnicodeEncodeError):
    # Windows shows the five bytes cp1252 leaves undefined as C1 controls: give them back.
    chunk = error.object[error.start:error.end]
    if all(ord(c) in (0x81, 0x8D, 0x8F, 0x90, 0x9D) for c in chunk):
        return bytes(map(ord, chunk)), error.end
    raise error


codecs.register_error("govanalysis.c1", _c1_bytes)


class ReadError(ValueError):
    """Raised by :func:`read_corpus` with ``errors="raise"`` for an unreadable input."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str | None
    status: str  # ok / warning / error
    message: str


def decode_bytes(data: bytes) -> Decoded:
    """Decode report bytes: BOMs, BOM-less UTF-32/16, strict UTF-8, then detection.

    Status rules (``error`` means no text is kept):

    - no bytes: error "empty file"; only ASCII whitespace: error "file holds only
      whitespace"; a byte-order mark with nothing (or only whitespace) after it: error
      "file holds only a byte-order mark"; text that decodes to whitespace: error;
    - a known binary signature (PDF, ZIP/DOCX, OLE, images, gzip, ELF): error;
    - BOM-less UTF-32/UTF-16 (LE or BE) is accepted when it decodes strictly and at
      least :data:`PLAIN_SHARE` of its characters are ordinary text;
    - NUL characters inside otherwise-text: removed, status warning saying how many;
      with more than :data:`BINARY_CONTROL_SHARE` control characters besides: error
      "binary file (NUL bytes)";
    - bytes that no supported encoding decodes fully: U+FFFD, status warning (a few
      per thousand) or error "undecodable";
    - mojibake (UTF-8 shown as Latin-1 / Windows-1252 and saved again, "æ\x94¿å\x8a¡"):
      at least :data:`MOJIBAKE_MIN_PAIRS` lead/continuation pairs making up
      :data:`MOJIBAKE_SHARE` of the non-ASCII characters; status warning, and the text
      is repaired when re-encoding it as Latin-1 or Windows-1252 gives valid UTF-8.
    """
    if not data:
        return Decoded("", None, "error", "empty file")
    if not data.strip():
        return Decoded("", None, "error", "file holds only whitespace")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                return Decoded("", codec, "error", f"undecodable: byte-order mark says {codec} but {exc.reason}")
            if not text.strip():
                return Decoded("", codec, "error", "file holds only a byte-order mark"
                               + (" and whitespace" if text else ""))
            return _checked(text, codec)
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return Decoded("", None, "error", f"binary file: {kind}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:
        wide = _bomless_wide(data)
        if wide is not None:
            return _checked(*wide)
    if text is not None:
        # Every first character of a mojibake pair (U+00C2-U+00F4) is C3 xx in UTF-8:
        # bytes without C3 hold none, and need no scan for them.
        return _checked(text, "utf-8", latin_pairs_possible=b"\xc3" in data)
    # A UTF-8 file cut mid-character or with a stray byte is still UTF-8.
    lenient = data.decode("utf-8", errors="replace")
    if lenient.count("\ufffd") <= max(3, len(data) // 1000):
        return _checked(lenient, "utf-8")
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is not None:
        name = best.encoding.lower()
        text = data.decode(_CODECS.get(name, name), errors="replace")
        if "\x00" not in text:
            return _checked(text, name)
    if b"\x00" in data:
        return Decoded("", None, "error", "binary file (NUL bytes)")
    # Mostly GB18030 with a few broken sequences: keep the text, say what was lost.
    text = data.decode("gb18030", errors="replace")
    if text.count("\ufffd") <= max(3, len(text) // 100):
        return _checked(text, "gb18030")
    return Decoded("", None, "error", "undecodable: no supported encoding fits")


def _bomless_wide(data: bytes) -> tuple[str, str] | None:
    for codec, width in _WIDE:
        cut = len(data) % width  # a file cut inside its last character
        try:
            text = data[: len(data) - cut].decode(codec)
        except UnicodeDecodeError:
            continue
        if text and len(P.PLAIN_TEXT_CHAR.sub("", text)) <= (1 - PLAIN_SHARE) * len(text):
            return text + ("\ufffd" if cut else ""), codec
    return None


def _checked(text: str, encoding: str, latin_pairs_possible: bool = True) -> Decoded:
    """Apply the status rules of :func:`decode_bytes` to decoded text."""
    notes = []
    bad = text.count("\ufffd")
    if bad:
        notes.append(f"{bad} undecodable byte sequences replaced (U+FFFD)")
    nuls = text.count("\x00")
    if nuls:
        text = text.replace("\x00", "")
        if len(P.CONTROL_CHARS.findall(text)) > BINARY_CONTROL_SHARE * max(1, len(text)):
            return Decoded("", None, "error", "binary file (NUL bytes)")
        notes.append(f"{nuls} NUL characters removed")
    if not text.strip():
        return Decoded("", encoding, "error", "file holds only whitespace" + (" and NUL bytes" if nuls else ""))
    pairs = len(P.MOJIBAKE_PAIR.findall(text)) if latin_pairs_possible else 0
    if pairs >= MOJIBAKE_MIN_PAIRS:
        non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
        if 2 * pairs >= MOJIBAKE_SHARE * non_ascii:
            repaired = _unmojibake(text)
            if repaired is not None:
                text = repaired
                notes.append("mojibake (UTF-8 read as Latin-1/Windows-1252) repaired")
            else:
                notes.append("looks like mojibake (UTF-8 read as Latin-1/Windows-1252); "
                             "not exactly reversible, left as is")
    return Decoded(text, encoding, "warning" if notes else "ok", "; ".join(notes))


def _unmojibake(text: str) -> str | None:
    """The UTF-8 text that was shown as Latin-1 or Windows-1252, when that reverses exactly."""
    for codec, handler in (("latin-1", "strict"), ("cp1252", "govanalysis.c1")):
        try:
            return text.encode(codec, errors=handler).decode("utf-8")
        except UnicodeError:
            continue
    return None


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


def html_source_url(html: str) -> tuple[str, str] | None:
    """The address an HTML page gives for itself: ``(url, element)`` or None.

    In order: ``<link rel="canonical" href>``, ``<meta property="og:url" content>``, then a
    link whose text or the text right before it is a label (来源：, 网址：, 原文链接：).
    Only absolute ``http(s)://`` addresses count.
    """
    import lxml.html

    try:
        tree = lxml.html.document_fromstring(html.encode("utf-8", "surrogatepass"),
                                             parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (ValueError, TypeError, lxml.etree.ParserError):
        return None
    candidates = [(href, "canonical") for href in tree.xpath("//link[contains(concat(' ', normalize-space("
                                                              "translate(@rel, 'CANONICAL', 'canonical')), ' '),"
                                                              " ' canonical ')]/@href")]
    candidates += [(url, "og:url") for url in tree.xpath("//meta[@property='og:url']/@content")]
    for anchor in tree.xpath("//a[@href]"):
        previous = anchor.getprevious()
        before = (previous.tail if previous is not None else anchor.getparent().text) or ""
        if P.SOURCE_LINK_LABEL.search(before) or P.SOURCE_LINK_LABEL.search((anchor.text or "") + "："):
            candidates.append((anchor.get("href"), "link"))
    for url, element in candidates:
        url = (url or "").strip()
        if P.ABSOLUTE_URL.match(url):
            return url, element
    return None


@dataclass(frozen=True)
class Entry:
    """One entry of the inputs: a file to read, or a row to record as it is.

    ``path`` is the path as the operating system gives it (a name that is not valid
    UTF-8 holds surrogate escapes); ``relative`` is its display form relative to the input
    folder it was found in (the input as given for a named file); ``status`` is ``""``
    for a file to read, else ``"skipped"`` or ``"error"`` with its ``reason``.
    """

    path: Path
    relative: str
    status: str = ""
    reason: str = ""


def display_path(path: str | Path) -> str:
    """A path as text that any codec can write: bytes that are not UTF-8 become U+FFFD.

    A folder with a UTF-8 name keeps it when a file inside has a GBK name (from a zip
    made on Chinese Windows). The exact bytes are in :func:`path_bytes`.
    """
    return os.fsencode(path).decode("utf-8", errors="replace")


def path_bytes(path: str | Path) -> str:
    """The exact bytes of a path, percent-encoded (``urllib.parse.unquote_to_bytes`` reverses it)."""
    return quote_from_bytes(os.fsencode(path), safe="/")


def expand_inputs(inputs: str | Path | Iterable[str | Path]) -> list[Entry]:
    """Every entry of the inputs, each once, as :class:`Entry`.

    Directories are walked recursively (symbolic links followed, each folder once);
    globs are expanded. Inside a directory, hidden entries, sidecar files (README,
    MANIFEST, .md/.csv/.tsv/.json…) and entries that are not regular files (FIFOs,
    sockets, devices, a symbolic link back to a folder already walked) are ``skipped``;
    broken or looping symbolic links and unreadable folders are ``error``; a named input
    that matches nothing is ``error``. A file named explicitly is always read.
    """
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    found: list[Entry] = []
    for item in inputs:
        text = os.fsdecode(item) if isinstance(item, bytes) else str(item)
        if not text:
            found.append(Entry(Path(text), "", "error", "empty input path"))
        elif any(ch in text for ch in "*?[") and not os.path.lexists(text):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                found.append(Entry(Path(text), display_path(text), "error", "no file matches this pattern"))
            for match in matches:
                _add_named(Path(match), found)
        else:
            _add_named(Path(text), found)
    # The same file given twice (a folder and a file in it) is one entry.
    unique, seen = [], set()
    for entry in found:
        key = os.fsencode(os.path.abspath(entry.path)) if str(entry.path) else b""
        if key and key in seen:
            continue
        seen.add(key)
        unique.append(entry)
    return unique


def _add_named(path: Path, found: list[Entry]) -> None:
    """An input named on its own: a folder to walk, a file to read, or a row saying why not."""
    relative = display_path(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        found.append(Entry(path, relative, "error", _stat_problem(path, exc, "no such file or directory")))
        return
    if stat.S_ISDIR(info.st_mode):
        _walk(path, path, {(info.st_dev, info.st_ino)}, found)
    elif stat.S_ISREG(info.st_mode):
        found.append(Entry(path, relative))
    else:
        found.append(Entry(path, relative, "skipped", f"not a regular file ({_kind(info.st_mode)})"))


def _stat_problem(path: Path, exc: OSError, missing: str) -> str:
    if os.path.islink(path):
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        return f"broken symbolic link (target {display_path(os.readlink(path))!r} does not exist)"
    if exc.errno == errno.ENOENT:
        return missing
    return f"cannot read: {exc.strerror or exc}"


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


def _walk(folder: Path, root: Path, visited: set, found: list[Entry], prefix: str = "") -> None:
    """Entries under ``folder``; ``prefix`` is its path relative to ``root`` (children's
    relative paths are joined to it, not recomputed: relpath costs more than the read)."""
    try:
        with os.scandir(folder) as scan:
            children = sorted(scan, key=lambda e: e.name)
    except OSError as exc:
        found.append(Entry(folder, _relative(folder, root) or display_path(folder), "error",
                           f"cannot read folder: {exc.strerror or exc}"))
        return
    for child in children:
        path = Path(child.path)
        relative = display_path(os.path.join(prefix, child.name))
        if child.name.startswith("."):
            kind = "folder" if child.is_dir(follow_symlinks=False) else "file"
            found.append(Entry(path, relative, "skipped", f"hidden {kind} (name starts with '.')"))
            continue
        try:
            info = os.stat(path)
        except OSError as exc:
            found.append(Entry(path, relative, "error", _stat_problem(path, exc, "vanished while reading")))
            continue
        if stat.S_ISDIR(info.st_mode):
            key = (info.st_dev, info.st_ino)
            if key in visited:
                found.append(Entry(path, relative, "skipped",
                                   "symbolic link to a folder already read (a loop or a second way in)"))
                continue
            visited.add(key)
            _walk(path, root, visited, found, os.path.join(prefix, child.name))
        elif not stat.S_ISREG(info.st_mode):
            found.append(Entry(path, relative, "skipped", f"not a regular file ({_kind(info.st_mode)})"))
        elif (reason := sidecar_reason(child.name)):
            found.append(Entry(path, relative, "skipped", reason))
        else:
            found.append(Entry(path, relative))


def _relative(path: Path, root: Path) -> str:
    return display_path(os.path.relpath(path, root))


def sidecar_reason(name: str) -> str:
    """Why a file inside a folder is documentation beside the reports ('' when it is a report).

    A sidecar has a sidecar suffix (.md, .csv, .json …), or a name that *is* README,
    MANIFEST, LICENSE, LICENCE or CHANGELOG whatever its case or extension (README.txt);
    ``manifest_2023年工作总结.txt`` is a report.
    """
    suffix = os.path.splitext(name)[1].lower()
    if suffix in SIDECAR_SUFFIXES:
        return f"sidecar file ({suffix}), not a report"
    if name.split(".")[0].lower() in SIDECAR_STEMS:
        return f"sidecar file ({name.split('.')[0]}), not a report"
    if name.lower() in SYSTEM_FILES:
        return "system file, not a report"
    return ""


def _is_sidecar(path: Path) -> bool:
    return bool(sidecar_reason(path.name))


def doc_ids(entries: list[Entry] | list[Path]) -> list[str]:
    """Unique, stable ids derived from each entry's relative path.

    The id is the file stem where no other entry shares it; entries that clash use
    their relative path without the suffix (``a/x``, ``b/x``), then with it
    (``x.txt``, ``x.html``), then with ``~`` and 8 hex digits of the SHA-256 of the
    path's bytes. Every entry of a clash moves on together, so an id never depends on
    the order of the inputs and a real ``x-2.txt`` keeps ``x-2``.
    """
    entries = [e if isinstance(e, Entry) else Entry(Path(e), display_path(e)) for e in entries]
    candidates = []
    for entry in entries:
        relative = (entry.relative or display_path(entry.path)).replace(os.sep, "/")
        name = relative.rsplit("/", 1)[-1]
        stem = _stem(name) if name not in ("", ".", "..") else "input"
        without_suffix = relative[: len(relative) - len(name)] + stem
        digest = hashlib.sha256(os.fsencode(os.path.abspath(entry.path)) if str(entry.path) else b"").hexdigest()
        candidates.append([stem, without_suffix, relative or stem, f"{relative or stem}~{digest[:8]}"])
    level = [0] * len(entries)
    while True:
        groups: dict[str, list[int]] = {}
        for i, options in enumerate(candidates):
            groups.setdefault(options[level[i]], []).append(i)
        moved = False
        for members in groups.values():
            if len(members) > 1:
                for i in members:
                    if level[i] < 3:
                        level[i] += 1
                        moved = True
        if not moved:
            break
    ids, seen = [], {}
    for i, options in enumerate(candidates):
        base = options[level[i]]
        count = seen.get(base, 0)
        seen[base] = count + 1
        ids.append(base if count == 0 else f"{base}~{count + 1}")  # only for one path given twice
    return ids


def _stem(name: str) -> str:
    stem, suffix = os.path.splitext(name)
    return stem or name


def read_bytes(path: Path) -> bytes:
    """A regular file's bytes; never blocks on a FIFO (opened non-blocking, checked first)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "a folder") if stat.S_ISDIR(info.st_mode) else \
                OSError(errno.EINVAL, f"not a regular file ({_kind(info.st_mode)})")
        with os.fdopen(fd, "rb", closefd=True) as handle:
            fd = -1
            return handle.read()
    finally:
        if fd != -1:
            os.close(fd)


def read_entries(found: list[Entry], ids: list[str]):
    """The one reading loop: each entry with its bytes, or why it was not read.

    Yields ``(entry, doc_id, data, status, message)``: ``data`` is the file's bytes and
    ``status`` None for a file read; ``data`` is None for an entry skipped or in error
    while listing, or a file that could not be read (``cannot read: …``).
    """
    for entry, doc_id in zip(found, ids):
        if entry.status:
            yield entry, doc_id, None, entry.status, entry.reason
            continue
        try:
            data = read_bytes(entry.path)
        except OSError as exc:
            yield entry, doc_id, None, "error", f"cannot read: {exc.strerror or exc}"
        else:
            yield entry, doc_id, data, None, None


def unread_row(status: str, message: str) -> dict:
    """The row of an entry whose bytes were not read (skipped, or an error)."""
    return {"status": status, "message": message, "sha256": None, "encoding": None, "n_bytes": None, "raw_text": ""}


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
        row["source_url"] = html_source_url(text)
        try:
            text, problem = html_to_text(text)
        except Exception as exc:  # lxml/trafilatura on a page they cannot parse
            text, problem = "", f"HTML could not be parsed: {type(exc).__name__}"
        if problem:
            status, message = "error", problem
    return row | {"status": status, "message": message, "encoding": decoded.encoding, "raw_text": text}


def read_corpus(
    inputs: str | Path | Iterable[str | Path], *, errors: str = "record", progress: bool = False
) -> pd.DataFrame:
    """Read reports into a table, one row per input entry.

    Parameters
    ----------
    inputs
        A directory (walked recursively), a file, a glob pattern, or a list of these.
    errors
        ``"record"`` (default) puts unreadable files in the table with status ``error``;
        ``"raise"`` raises :class:`ReadError` at the first one instead (skipped
        entries never raise).
    progress
        Show a progress bar.

    Returns
    -------
    pandas.DataFrame
        One row per entry: ``doc_id`` (see :func:`doc_ids`), ``path`` (shown with U+FFFD
        for bytes that are not UTF-8), ``path_bytes`` (the exact bytes, percent-encoded),
        ``sha256``, ``status`` (ok / warning / error / skipped), ``message``,
        ``encoding``, ``n_bytes`` and ``raw_text`` (decoded text; main text for HTML;
        '' when unreadable).
    """
    if errors not in ("record", "raise"):
        raise ValueError(f"errors must be 'record' or 'raise', not {errors!r}")
    found = expand_inputs(inputs)
    from tqdm import tqdm

    rows = []
    entries = read_entries(found, doc_ids(found))
    for entry, doc_id, data, status, message in tqdm(entries, total=len(found), desc="read", unit="file",
                                                     disable=not progress):
        row = unread_row(status, message) if data is None else decode_file(entry.path, data)
        if errors == "raise" and row["status"] == "error":
            raise ReadError(f"{display_path(entry.path)}: {row['message']}")
        rows.append({"doc_id": doc_id, "path": display_path(entry.path), "path_bytes": path_bytes(entry.path)}
                    | row)
    table = pd.DataFrame(rows, columns=RAW_COLUMNS)
    return table.astype({"n_bytes": "Int64"})
