"""The parse pipeline: read -> clean -> metadata -> section tree, for a whole corpus."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import _patterns as P
from ..io.reading import decode_file
from ..io.tables import write_tables
from . import cleaning, provenance, structure
from .metadata import METADATA_FIELDS, extract_metadata, find_layout

DOC_COLUMNS = ["doc_id", "path", "path_bytes", "sha256", "status", "message", "encoding", "script",
               *METADATA_FIELDS, "n_chars", "source_url", "retrieved"]
SPAN_COLUMNS = ["doc_id", "field", "value", "source", "span"]
REMOVED_COLUMNS = ["doc_id", "line_no", "kind", "text"]
# What a parse result depends on, and so keys its cache: editing anything else keeps it.
PARSE_MODULES = ("_data", "_patterns", "io/reading", "parse/cleaning", "parse/corpus", "parse/metadata",
                 "parse/provenance", "parse/regions", "parse/structure")
PARSE_DATA = ("ethnic_groups.txt", "furniture.toml", "numbered_formulas.txt", "provinces.csv", "roles.toml",
              "units.toml")


@dataclass
class Corpus:
    """Tidy tables of a parsed corpus, all joining on ``doc_id``.

    Each attribute has the name of the file :meth:`write` gives it.

    Attributes
    ----------
    docs
        One row per input file: :data:`DOC_COLUMNS`, plus ``raw_text`` (as decoded) and
        ``text`` (cleaned, simplified) kept in memory only.
    sections
        One row per section: ``doc_id, section_id, parent_id, level, number, heading,
        role, text`` (``text``: the heading line and the section's own paragraphs).
    paragraphs
        One row per paragraph in document order: ``doc_id, section_id, paragraph_id,
        kind, role, text``; ``kind`` is ``heading`` (a section heading as written),
        ``item`` (一是…二是…) or ``body``.
    metadata_spans
        One row per filled metadata field: ``doc_id, field, value, source, span``.
    removed_lines
        One row per line that cleaning removed: ``doc_id, line_no, kind, text``.
    """

    docs: pd.DataFrame
    sections: pd.DataFrame
    paragraphs: pd.DataFrame
    metadata_spans: pd.DataFrame
    removed_lines: pd.DataFrame

    @property
    def sentences(self) -> pd.DataFrame:
        """One row per sentence (see :func:`govanalysis.parse.structure.split_sentences`)."""
        return structure.split_sentences(self.paragraphs)

    def write(self, out: str | Path, format: str = "csv") -> list[Path]:
        """Write every table into ``out`` as ``csv`` (UTF-8) or ``parquet``; return the paths written.

        The folder reads back with :func:`govanalysis.read_tables`, dtypes included (see
        :func:`govanalysis.io.tables.write_tables`).
        """
        tables = {
            "docs": self.docs.drop(columns=["raw_text", "text"], errors="ignore"),
            "sections": self.sections,
            "paragraphs": self.paragraphs,
            "sentences": self.sentences,
            "metadata_spans": self.metadata_spans,
            "removed_lines": self.removed_lines,
        }
        return write_tables(tables, out, format=format)


def prepare_text(raw_text: str) -> dict:
    """The first stage of :func:`parse_text`: layout normalisation and script conversion.

    Returns ``normalized`` (the text furniture is then removed from), ``script`` and
    ``notes``; a corpus learns its site lines from the normalised texts.
    """
    normalized = cleaning.normalize(raw_text)
    script = cleaning.detect_script(normalized)
    notes = []
    if script == "traditional":
        normalized = cleaning.to_simplified(normalized)
        notes.append("traditional script converted to simplified")
    elif script == "none":
        notes.append("no Chinese text")
    return {"normalized": normalized, "script": script, "notes": notes}


def parse_text(doc_id: str, raw_text: str, path: str = "", site: frozenset[str] = frozenset()) -> dict:
    """Parse one document's decoded text.

    ``site`` holds the lines of the corpus's page template (see
    :func:`govanalysis.cleaning.site_lines`), removed near either end of the text.

    Returns a dict with ``meta`` (field values), ``script``, ``text`` (cleaned),
    ``sections``, ``paragraphs``, ``spans`` and ``removed`` (lists of row dicts) and
    ``notes`` (messages for the docs table).
    """
    return _parse_prepared(doc_id, prepare_text(raw_text), path, site)


def _parse_prepared(doc_id: str, prepared: dict, path: str, site: frozenset[str]) -> dict:
    normalized, script, notes = prepared["normalized"], prepared["script"], list(prepared["notes"])
    lines = normalized.split("\n")
    kinds = cleaning.line_kinds(lines, site)
    removed = [{"doc_id": doc_id, "line_no": number + 1, "kind": kind, "text": line}
               for number, (line, kind) in enumerate(zip(lines, kinds)) if kind]
    kept = "\n".join(line for line, kind in zip(lines, kinds) if kind is None)
    cleaned = (P.BLANK_LINES.sub("\n\n", kept) if "\n\n\n" in kept else kept).strip()
    layout = find_layout(normalized)
    front_matter = {layout.title, layout.banner, layout.delivery} - {None}
    body_lines, dropped = [], set()
    for line in cleaned.split("\n"):
        if len(body_lines) < 12 and line not in dropped and P.TITLE_LABEL.sub("", line) in front_matter:
            dropped.add(line)  # the title and banner are metadata, not section text
            continue
        if layout.run_in is not None and line == layout.run_in:
            line = P.PAGE_MARKER.sub("", line)[len(layout.title):]  # the body after a run-in title
        body_lines.append(line)
    body = "\n".join(body_lines)
    tree = structure.outline(body)
    if len(tree) == 1:
        notes.append("no section headings found")
    meta, spans = extract_metadata(
        doc_id, path, normalized, cleaned, structure.outline_roles(tree), structure.lead_unit_share(tree),
        layout=layout,
    )
    sections, paragraphs = structure.tabulate(doc_id, tree, meta["genre"])
    found_url = provenance.furniture_url(lines, kinds)
    if found_url:
        spans.append({"doc_id": doc_id, "field": "source_url", "value": found_url[0], "source": found_url[1],
                      "span": found_url[2]})
    return {"meta": meta, "script": script, "text": body, "sections": sections,
            "paragraphs": paragraphs, "spans": spans, "removed": removed, "notes": notes,
            "source_url": found_url[0] if found_url else None}


def _edges(text: str) -> list[str]:
    """The first and last :data:`~govanalysis.cleaning.EDGE_LINES` non-blank lines, stripped."""
    filled = cleaning.filled_lines(text)
    edge = cleaning.EDGE_LINES
    return filled if len(filled) <= 2 * edge else filled[:edge] + filled[-edge:]


def _read_chunk(chunk: list[tuple[str, str, bytes]]) -> list[tuple[str, dict, dict | None]]:
    """Decode and prepare files given as (doc_id, path, bytes): a worker's first task."""
    results = []
    for doc_id, path, data in chunk:
        row = decode_file(Path(path), data)
        results.append((doc_id, row, prepare_text(row["raw_text"]) if row["status"] != "error" else None))
    return results


def _parse_chunk(chunk: list[tuple[str, dict, str, frozenset[str]]]) -> list[tuple[str, dict]]:
    """Parse prepared texts given the site lines each one holds: a worker's second task."""
    return [(doc_id, _parse_prepared(doc_id, prepared, path, site)) for doc_id, prepared, path, site in chunk]


def _doc_row(doc_id: str, path: str, row: dict, parsed: dict | None, path_bytes: str = "") -> dict:
    doc = {"doc_id": doc_id, "path": path, "path_bytes": path_bytes}
    doc |= {c: row.get(c) for c in ("sha256", "status", "message", "encoding", "raw_text")}
    doc |= dict.fromkeys(METADATA_FIELDS) | {"script": None, "n_chars": 0, "text": "", "source_url": None}
    if parsed is None:
        return doc
    doc |= parsed["meta"] | {"script": parsed["script"], "text": parsed["text"], "n_chars": len(parsed["text"])}
    # The page's own address (HTML) before one in its furniture text.
    doc["source_url"] = row["source_url"][0] if row.get("source_url") else parsed.get("source_url")
    messages = [m for m in [row["message"], *parsed["notes"]] if m]
    doc["message"] = "; ".join(messages)
    if not parsed["text"].strip():
        doc["status"] = "warning"
        doc["message"] = "; ".join(messages + ["no text left after cleaning"])
    return doc


def parse_corpus(
    inputs: str | Path | Iterable[str | Path], *, errors: str = "record", progress: bool = False,
    n_jobs: int | None = 1, client=None, cache_dir: str | Path | None = None, chunk_size: int = 16,
    kinds: Iterable[str] | None = None, learn_site: bool = True, manifest: str | Path | None = None,
) -> Corpus:
    """Read and parse a corpus of reports into tidy tables.

    Parameters
    ----------
    inputs
        A directory, files or glob patterns (see :func:`govanalysis.read_corpus`).
    errors
        ``"record"`` keeps unreadable files as rows with status ``error``; ``"raise"``
        raises :class:`~govanalysis.reading.ReadError` at the first one.
    progress
        Show a progress bar (off by default: silent in tests and notebooks).
    n_jobs
        Worker processes for decoding and parsing (``-1``: all cores). Results are
        identical to a serial run.
    client
        A ``dask.distributed.Client`` (or scheduler address) to parse on a cluster.
    cache_dir
        Cache parse results here by file content (and the parser's own code), so a
        re-run parses only new or changed files.
    chunk_size
        Files per task.
    kinds
        Paragraph kinds to keep (``"heading"``, ``"item"``, ``"body"``); all by default,
        so every later stage reads headings. ``kinds=("item", "body")`` keeps body text only.
    learn_site
        Learn the corpus's page template: a line found at the same place near the top or
        bottom of at least three files (a site banner, a footer) is furniture of kind
        ``site`` (see :func:`govanalysis.cleaning.site_lines`). Files are decoded and
        normalised first, the lines learned from all of them, then each is parsed. A
        corpus of one or two files learns nothing.
    manifest
        A CSV or TSV recording the scrape: a ``file`` column, optionally ``url``,
        ``retrieved`` and any others, joined to ``docs`` on the file (see
        :func:`govanalysis.parse.provenance.join_manifest`): ``url`` fills ``source_url``,
        ``retrieved`` becomes a date, other columns are added to ``docs``. Rows that match
        no input, duplicate rows and dates that are not dates are a
        :class:`~govanalysis.parse.provenance.ManifestWarning` naming them; every file is
        still a row. A manifest that is missing or has no ``file`` column raises
        :class:`~govanalysis.parse.provenance.ManifestError` before any file is read.

    Returns
    -------
    Corpus
        ``docs`` (one row per input file, every file accounted for), ``sections``,
        ``paragraphs``, ``metadata_spans`` and ``removed_lines``.
    """
    import os

    from .._cache import ContentCache, code_fingerprint
    from .._parallel import chunked, map_chunks
    from ..io.reading import ReadError, display_path, doc_ids, expand_inputs, path_bytes, read_entries

    if errors not in ("record", "raise"):
        raise ValueError(f"errors must be 'record' or 'raise', not {errors!r}")
    kinds = structure.KINDS if kinds is None else tuple([kinds] if isinstance(kinds, str) else kinds)
    if not kinds or set(kinds) - set(structure.KINDS):
        raise ValueError(f"kinds must be some of {', '.join(structure.KINDS)}, not {kinds!r}")
    table = provenance.read_manifest(manifest) if manifest is not None else None
    found = expand_inputs(inputs)
    ids = doc_ids(found)
    cache = ContentCache(cache_dir, "parse") if cache_dir is not None else None
    version = code_fingerprint(PARSE_MODULES, PARSE_DATA)

    results: dict[str, tuple[dict, dict | None]] = {}
    pending: list[tuple[str, str, bytes]] = []
    keys: dict[str, str] = {}
    for entry, doc_id, data, status, problem in read_entries(found, ids):
        if data is None:
            if errors == "raise" and status == "error":
                raise ReadError(f"{display_path(entry.path)}: {problem}")
            results[doc_id] = ({"status": status, "message": problem}, None)
            continue
        if cache:  # cache keys: content, path and the parser's code (hashing 10 MB costs 1 %)
            key = b"\0".join([version.encode(), doc_id.encode(), os.fsencode(entry.path), data])
            keys[doc_id] = hashlib.sha256(key).hexdigest()
        pending.append((doc_id, display_path(entry.path), data))
    parallel = {"n_jobs": n_jobs, "client": client, "progress": bool(progress), "desc": "parse"}
    # 1. Decode and normalise every file (cached by content).
    read_keys = {doc_id: "read:" + key for doc_id, key in keys.items()}
    hits = cache.get_many(read_keys.values()) if cache else {}
    prepared = {doc_id: hits[read_keys[doc_id]] for doc_id, _, _ in pending if read_keys.get(doc_id) in hits}
    todo = [item for item in pending if item[0] not in prepared]
    fresh = {doc_id: (row, ready) for doc_id, row, ready in map_chunks(_read_chunk, chunked(todo, chunk_size),
                                                                      **parallel)}
    if cache:
        cache.put_many({read_keys[doc_id]: value for doc_id, value in fresh.items()})
    prepared |= fresh
    # 2. The corpus's site lines, then the parse of every file given those it holds (cached
    # by content and those lines).
    edges = {doc_id: _edges(ready["normalized"]) for doc_id, (_, ready) in prepared.items() if ready}
    site = cleaning.site_lines("\n".join(lines) for lines in edges.values()) if learn_site else frozenset()
    holds = {doc_id: site & set(lines) for doc_id, lines in edges.items()}
    parse_keys = {doc_id: hashlib.sha256("\n".join([keys[doc_id], *sorted(held)]).encode()).hexdigest()
                  for doc_id, held in holds.items() if cache}
    hits = cache.get_many(parse_keys.values()) if cache else {}
    todo = [(doc_id, prepared[doc_id][1], path, frozenset(holds[doc_id])) for doc_id, path, _ in pending
            if doc_id in holds and parse_keys.get(doc_id) not in hits]
    fresh = dict(map_chunks(_parse_chunk, chunked(todo, chunk_size), **parallel))
    if cache:
        cache.put_many({parse_keys[doc_id]: value for doc_id, value in fresh.items()})
    for doc_id, (row, ready) in prepared.items():
        results[doc_id] = (row, None if ready is None else fresh.get(doc_id) or hits[parse_keys[doc_id]])

    doc_rows, sections, paragraphs, spans, removed = [], [], [], [], []
    for entry, doc_id in zip(found, ids):
        row, result = results[doc_id]
        if errors == "raise" and row["status"] == "error":
            raise ReadError(f"{display_path(entry.path)}: {row['message']}")
        doc_rows.append(_doc_row(doc_id, display_path(entry.path), row, result, path_bytes(entry.path)))
        if result is not None:
            sections += result["sections"]
            paragraphs += result["paragraphs"]
            if row.get("source_url"):
                url, element = row["source_url"]
                spans += [s for s in result["spans"] if s["field"] != "source_url"]
                spans.append({"doc_id": doc_id, "field": "source_url", "value": url, "source": "html", "span": element})
            else:
                spans += result["spans"]
            removed += result["removed"]
    docs = pd.DataFrame(doc_rows, columns=[*DOC_COLUMNS, "raw_text", "text"])
    docs = docs.astype({"year": "Int64", "review_year": "Int64", "plan_year": "Int64", "n_chars": "Int64",
                        "retrieved": "datetime64[ns]", "source_url": docs["doc_id"].dtype})
    if table is not None:
        docs, manifest_spans = provenance.join_manifest(
            docs, table, {doc_id: entry.relative for entry, doc_id in zip(found, ids)}, Path(manifest).name)
        spans = [s for s in spans if not (s["field"] == "source_url" and s["doc_id"] in
                                          {m["doc_id"] for m in manifest_spans})] + manifest_spans
        docs = docs[[c for c in docs.columns if c not in ("raw_text", "text")] + ["raw_text", "text"]]
    sections_df = pd.DataFrame(sections, columns=structure.SECTION_COLUMNS).astype(
        {"level": "Int64", "number": "Int64"}
    )
    return Corpus(
        docs=docs,
        sections=sections_df,
        paragraphs=pd.DataFrame([p for p in paragraphs if p["kind"] in kinds], columns=structure.PARAGRAPH_COLUMNS),
        metadata_spans=pd.DataFrame(spans, columns=SPAN_COLUMNS),
        removed_lines=pd.DataFrame(removed, columns=REMOVED_COLUMNS),
    )
