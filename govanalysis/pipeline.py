"""The parse pipeline: read -> clean -> metadata -> section tree, for a whole corpus."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pandas as pd

from . import cleaning, structure
from . import patterns as P
from .metadata import METADATA_FIELDS, extract_metadata, find_layout
from .reading import read_corpus

DOC_COLUMNS = ["doc_id", "path", "sha256", "status", "message", "encoding", "script",
               *METADATA_FIELDS, "n_chars"]
SPAN_COLUMNS = ["doc_id", "field", "value", "source", "span"]
REMOVED_COLUMNS = ["doc_id", "line_no", "kind", "text"]


@dataclass
class Corpus:
    """Tidy tables of a parsed corpus, all joining on ``doc_id``.

    Attributes
    ----------
    docs
        One row per input file: :data:`DOC_COLUMNS`, plus ``raw_text`` (as decoded) and
        ``text`` (cleaned, simplified) kept in memory only.
    sections
        One row per section: ``doc_id, section_id, parent_id, level, number, heading,
        role, text``.
    paragraphs
        One row per paragraph: ``doc_id, section_id, paragraph_id, role, text``.
    spans
        One row per filled metadata field: ``doc_id, field, value, source, span``.
    removed
        One row per line that cleaning removed: ``doc_id, line_no, kind, text``.
    """

    docs: pd.DataFrame
    sections: pd.DataFrame
    paragraphs: pd.DataFrame
    spans: pd.DataFrame
    removed: pd.DataFrame

    @property
    def sentences(self) -> pd.DataFrame:
        """One row per sentence (see :func:`govanalysis.structure.split_sentences`)."""
        return structure.split_sentences(self.paragraphs)

    def write(self, out: str | Path) -> list[Path]:
        """Write every table as a UTF-8 CSV into ``out``; return the paths written."""
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        tables = {
            "docs": self.docs[DOC_COLUMNS],
            "sections": self.sections,
            "paragraphs": self.paragraphs,
            "sentences": self.sentences,
            "metadata_spans": self.spans,
            "removed_lines": self.removed,
        }
        written = []
        for name, table in tables.items():
            path = out / f"{name}.csv"
            table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
            written.append(path)
        return written


def parse_text(doc_id: str, raw_text: str, path: str = "") -> dict:
    """Parse one document's decoded text.

    Returns a dict with ``meta`` (field values), ``script``, ``text`` (cleaned),
    ``sections``, ``paragraphs``, ``spans`` and ``removed`` (lists of row dicts),
    and ``notes`` (messages for the docs table).
    """
    normalized = cleaning.normalize(raw_text)
    script = cleaning.detect_script(normalized)
    notes = []
    if script == "traditional":
        normalized = cleaning.to_simplified(normalized)
        notes.append("traditional script converted to simplified")
    elif script == "none":
        notes.append("no Chinese text")
    lines = normalized.split("\n")
    cut = cleaning.tail_cut(lines)
    removed = [
        {"doc_id": doc_id, "line_no": number + 1, "kind": kind, "text": line}
        for number, line in enumerate(lines)
        if (kind := ("tail" if number >= cut and line.strip() else cleaning.furniture_kind(line)))
    ]
    cleaned = cleaning.drop_repeated_lines(cleaning.remove_furniture(normalized))
    layout = find_layout(normalized)
    front_matter = {layout.title, layout.banner, layout.delivery} - {None}
    body_lines, dropped = [], set()
    for line in cleaned.split("\n"):
        if P.TITLE_LABEL.sub("", line) in front_matter and line not in dropped and len(body_lines) < 12:
            dropped.add(line)  # the title and banner are metadata, not section text
            continue
        body_lines.append(line)
    body = "\n".join(body_lines)
    tree = structure.outline(body)
    if len(tree) == 1:
        notes.append("no section headings found")
    meta, spans = extract_metadata(
        doc_id, path, normalized, cleaned, structure.outline_roles(tree), structure.lead_unit_share(tree)
    )
    sections, paragraphs = structure.tabulate(doc_id, tree, meta["genre"])
    return {"meta": meta, "script": script, "text": body, "sections": sections,
            "paragraphs": paragraphs, "spans": spans, "removed": removed, "notes": notes}


def parse_corpus(
    inputs: str | Path | Iterable[str | Path], *, errors: str = "record", progress: bool | None = None
) -> Corpus:
    """Read and parse a corpus of reports into tidy tables.

    Parameters
    ----------
    inputs
        A directory, files or glob patterns (see :func:`govanalysis.read_corpus`).
    errors
        ``"record"`` keeps unreadable files as rows with status ``error``; ``"raise"``
        raises at the first one.
    progress
        Show progress bars; by default only when there are more than 50 files.

    Returns
    -------
    Corpus
        ``docs`` (one row per input file, every file accounted for), ``sections``,
        ``paragraphs``, ``spans`` and ``removed``.
    """
    raw = read_corpus(inputs, errors=errors, progress=bool(progress))
    if progress is None:
        progress = len(raw) > 50
    from tqdm.auto import tqdm

    doc_rows, sections, paragraphs, spans, removed = [], [], [], [], []
    for row in tqdm(raw.itertuples(index=False), total=len(raw), desc="parse", unit="doc",
                    disable=not progress):
        doc = {column: getattr(row, column) for column in ("doc_id", "path", "sha256", "status",
                                                            "message", "encoding", "raw_text")}
        doc |= dict.fromkeys(METADATA_FIELDS) | {"script": None, "n_chars": 0, "text": ""}
        if row.status != "error":
            parsed = parse_text(row.doc_id, row.raw_text, row.path)
            doc |= parsed["meta"] | {"script": parsed["script"], "text": parsed["text"],
                                     "n_chars": len(parsed["text"])}
            messages = [m for m in [row.message, *parsed["notes"]] if m]
            doc["message"] = "; ".join(messages)
            if not parsed["text"].strip():
                doc["status"] = "warning"
                doc["message"] = "; ".join(messages + ["no text left after cleaning"])
            sections += parsed["sections"]
            paragraphs += parsed["paragraphs"]
            spans += parsed["spans"]
            removed += parsed["removed"]
        doc_rows.append(doc)
    docs = pd.DataFrame(doc_rows, columns=[*DOC_COLUMNS, "raw_text", "text"])
    docs = docs.astype({"year": "Int64", "n_chars": "Int64"})
    sections_df = pd.DataFrame(sections, columns=structure.SECTION_COLUMNS).astype(
        {"level": "Int64", "number": "Int64"}
    )
    return Corpus(
        docs=docs,
        sections=sections_df,
        paragraphs=pd.DataFrame(paragraphs, columns=structure.PARAGRAPH_COLUMNS),
        spans=pd.DataFrame(spans, columns=SPAN_COLUMNS),
        removed=pd.DataFrame(removed, columns=REMOVED_COLUMNS),
    )
