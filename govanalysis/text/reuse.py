"""Text reuse: which sentences of a report share text with sentences of other documents.

A local report takes sentences from central and provincial documents, and localities copy
each other. :func:`text_reuse` finds, for every sentence of one side, the sentences of the
other side (or of the same corpus) it shares text with, how much and which span;
:func:`reuse_by_doc` turns those pairs into shares per document and source document,
administrative level or year.

How it decides
--------------
1. **Normalisation.** Width and case are folded and only Han characters, letters, digits,
   ``%`` and decimal points are kept (``_patterns.REUSE_TEXT``): half- and full-width
   punctuation, quotes and spaces do not count. A sentence needs ``min_chars`` of these characters to be compared.
2. **Candidates.** Every sentence is cut into overlapping windows of 24 character
   ``shingle``-grams (a new window every 8), so a clipped sentence or the half of a sentence
   split across lines still shares whole windows with its source. Each window gets a
   MinHash signature — datasketch's ``MinHash`` (affine32 scheme, ``num_perm``
   permutations drawn from ``seed``), computed for all windows at once with numpy and equal
   to ``MinHash.update_batch`` value for value — and the signatures are cut into the bands
   datasketch's ``MinHashLSH`` chooses for a window Jaccard of 0.4. Two sentences are
   candidates when any two of their windows agree on a whole band. The bands are matched
   by one table join per band (pandas' hash join, bands in threads) instead of a Python
   call per window, which finds the same candidates as ``MinHashLSH.query`` (tested):
   the cost grows with the
   number of windows and of candidates, never with the product of the two sides.
3. **Verification.** Every candidate pair is aligned exactly (``difflib.SequenceMatcher``
   without its junk heuristic: the longest shared span first, then the longest ones left and
   right of it). Spans of at least ``min_span`` characters are shared text; a pair is
   reported when they hold ``min_chars`` characters or more and cover at least
   ``threshold`` of the shorter sentence. A changed word
   (全国 → 全省) splits a span in two, a clipped sentence is covered by its source, and a
   reported pair always shares the text in ``shared_text``.
"""

from __future__ import annotations

import hashlib
import warnings
from difflib import SequenceMatcher
from functools import partial

import numpy as np
import pandas as pd

from .. import _patterns as P

REUSE_COLUMNS = ["doc_id", "sentence_id", "source_doc_id", "source_sentence_id", "similarity", "shared_chars",
                 "text", "source_text", "shared_text"]
BY_DOC_COLUMNS = ["n_sentences", "n_reused", "sentence_share", "n_chars", "reused_chars", "char_share"]
BY_VALUES = (None, "source_doc_id", "source_level", "source_year")
LEVELS = ("national", "province", "prefecture", "county")

WINDOW = 24  # shingles per window
STRIDE = 8  # shingles between window starts (WINDOW is a multiple of it)
CANDIDATE_JACCARD = 0.4  # the window Jaccard the LSH bands are tuned for
CHUNK = 2000  # sentences (signatures) or candidate pairs (verification) per task
SPAN_SEPARATOR = "…"

# Width and case folding: full-width ASCII forms and the ideographic space to ASCII, A-Z to a-z.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_FOLD = str.maketrans(_FOLD | {code: code + 32 for code in range(ord("A"), ord("Z") + 1)})
_FNV_PRIME = np.uint64(0x100000001B3)
_FNV_OFFSET = np.uint64(0xCBF29CE484222325)


class ReuseWarning(UserWarning):
    """Input that was left out of the comparison: documents without a sentence long enough
    to compare, identical documents on both sides."""


# --- normalisation ----------------------------------------------------------------

def normalize_for_reuse(text: str) -> str:
    """The characters reuse compares: Han, letters, digits, % and decimal points, width and
    case folded."""
    return "".join(P.REUSE_TEXT.findall(text.translate(_FOLD)))


def _normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, its position in ``text``."""
    kept, offsets = [], []
    for match in P.REUSE_TEXT.finditer(text.translate(_FOLD)):
        kept.append(match.group())
        offsets.extend(range(match.start(), match.end()))
    return "".join(kept), offsets


# --- signatures ---------------------------------------------------------------------

def shingle_hash(shingle: str) -> int:
    """The 32-bit hash of one shingle, as :func:`_window_keys` computes it for all at once
    (FNV-1a over the code points, high 32 bits); a ``hashfunc`` for datasketch."""
    h = _FNV_OFFSET
    with np.errstate(over="ignore"):
        for char in shingle:
            h = (h ^ np.uint64(ord(char))) * _FNV_PRIME
    return int(h >> np.uint64(32))


def _shingle_hashes(codes: np.ndarray, starts: np.ndarray, k: int) -> np.ndarray:
    h = np.full(len(starts), _FNV_OFFSET, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = (h ^ codes[starts + j].astype(np.uint64)) * _FNV_PRIME
    return (h >> np.uint64(32)).astype(np.uint32)


def _fmix32(h: np.ndarray) -> np.ndarray:
    # MurmurHash3's finalizer, as datasketch applies it before the affine32 permutations.
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def _permutations(num_perm: int, seed: int) -> np.ndarray:
    from datasketch import MinHash

    return np.asarray(MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations, dtype=np.uint32)


def _band_params(num_perm: int) -> tuple[int, int]:
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=CANDIDATE_JACCARD, num_perm=num_perm)
    return lsh.b, lsh.r


def window_signatures(texts: list[str], *, shingle: int, permutations: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """MinHash signatures of every window of every (normalised) text.

    Returns ``(signatures, owner)``: one row of ``num_perm`` uint32 values per window, and
    the position in ``texts`` of the text each window belongs to. A text shorter than one
    shingle has no window.
    """
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    n_shingles = np.maximum(lengths - shingle + 1, 0)
    if n_shingles.sum() == 0:
        return np.empty((0, permutations.shape[1]), dtype=np.uint32), np.empty(0, dtype=np.int64)
    joined = "".join(texts)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    text_start = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    has = n_shingles > 0
    # Shingle start positions, text by text.
    shingle_text = np.repeat(np.flatnonzero(has), n_shingles[has])
    first_shingle = np.concatenate([[0], np.cumsum(n_shingles)[:-1]])
    rank = np.arange(n_shingles.sum()) - first_shingle[shingle_text]
    hashes = _fmix32(_shingle_hashes(codes, text_start[shingle_text] + rank, shingle))
    a, b = permutations
    with np.errstate(over="ignore"):  # one row per permutation: the reductions run along rows
        permuted = a[:, None] * hashes[None, :] + b[:, None]
    # Minimum of each block of STRIDE shingles, then of each run of WINDOW // STRIDE blocks.
    n_blocks = -(-n_shingles // STRIDE)
    block_text = np.repeat(np.flatnonzero(has), n_blocks[has])
    first_block = np.concatenate([[0], np.cumsum(n_blocks)[:-1]])
    block_rank = np.arange(n_blocks.sum()) - first_block[block_text]
    blocks = np.minimum.reduceat(permuted, first_shingle[block_text] + block_rank * STRIDE, axis=1)
    per_window = WINDOW // STRIDE
    n_windows = np.where(has, np.maximum(n_blocks - (per_window - 1), 1), 0)
    owner = np.repeat(np.arange(len(texts)), n_windows)
    first_window = np.concatenate([[0], np.cumsum(n_windows)[:-1]])
    start = first_block[owner] + np.arange(n_windows.sum()) - first_window[owner]
    last = first_block[owner] + n_blocks[owner] - 1
    signatures = blocks[:, start]
    for step in range(1, per_window):
        signatures = np.minimum(signatures, blocks[:, np.minimum(start + step, last)])
    signatures = np.ascontiguousarray(signatures.T)
    return signatures, owner


def _band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit key per window and band (FNV-1a over the band's values)."""
    keys = np.full((len(signatures), bands), _FNV_OFFSET, dtype=np.uint64)
    values = signatures[:, : bands * rows].reshape(len(signatures), bands, rows).astype(np.uint64)
    with np.errstate(over="ignore"):
        for j in range(rows):
            keys = (keys ^ values[:, :, j]) * _FNV_PRIME
    return keys


def _window_keys(settings: dict, texts: list[str]) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Band keys of the windows of a chunk of texts (a :func:`map_chunks` task).

    Returns one ``(keys, owner, lengths)``: the band keys of every window of the texts of
    ``min_chars`` characters or more, the position in ``texts`` of each window's text, and
    every text's normalised length.
    """
    normalized = [normalize_for_reuse(t) for t in texts]
    lengths = np.array([len(t) for t in normalized], dtype=np.int64)
    eligible = np.flatnonzero(lengths >= settings["min_chars"])
    signatures, owner = window_signatures([normalized[i] for i in eligible], shingle=settings["shingle"],
                                          permutations=settings["permutations"])
    return [(_band_keys(signatures, settings["bands"], settings["rows"]), eligible[owner], lengths)]


def _band_pairs(n_sources: int, tasks: list[tuple]) -> list[np.ndarray]:
    """Sentence pairs (local * n_sources + source) whose windows agree on one band, unique
    (a :func:`map_chunks` task: one band each, in threads; a hash join on the band keys)."""
    found = []
    for local_keys, local_owner, source_keys, source_owner in tasks:
        joined = pd.DataFrame({"key": local_keys, "local": local_owner}).merge(
            pd.DataFrame({"key": source_keys, "source": source_owner}), on="key", how="inner")
        found.append(np.unique(joined["local"].to_numpy() * n_sources + joined["source"].to_numpy()))
    return found


def _candidates(local_keys: np.ndarray, local_owner: np.ndarray, source_keys: np.ndarray,
                source_owner: np.ndarray, n_sources: int, n_jobs: int | None = 1) -> np.ndarray:
    """Sentence pairs (local * n_sources + source) whose windows share a band, sorted, unique."""
    from .._parallel import map_chunks

    tasks = [[(local_keys[:, band], local_owner, source_keys[:, band], source_owner)]
             for band in range(local_keys.shape[1])]
    found = map_chunks(partial(_band_pairs, n_sources), tasks, n_jobs=n_jobs, prefer="threads")
    if not found:
        return np.empty(0, dtype=np.int64)
    return np.unique(np.concatenate(found))


# --- verification -------------------------------------------------------------------

def _covered_upper_bound(local: str, source: str, span: int) -> int:
    """Characters of ``local`` inside a ``span``-gram that also occurs in ``source``: no
    alignment can share more (each shared span of ``span`` or more is made of such grams)."""
    grams = {source[i: i + span] for i in range(len(source) - span + 1)}
    covered, reach = 0, 0
    for i in range(len(local) - span + 1):
        if local[i: i + span] in grams:
            covered += min(span, i + span - reach)
            reach = i + span
    return covered


def shared_spans(local: str, source: str, min_span: int) -> list[tuple[int, int, int]]:
    """The longest shared spans of two texts, as ``(source_start, local_start, size)`` in order.

    The longest common span first, then recursively the longest ones left and right of it
    (``difflib.SequenceMatcher.find_longest_match``, no junk heuristic), keeping spans of
    ``min_span`` or more: the blocks of ``get_matching_blocks`` that are that long.
    """
    matcher = SequenceMatcher(None, source, local, autojunk=False)
    blocks, todo = [], [(0, len(source), 0, len(local))]
    while todo:
        alo, ahi, blo, bhi = todo.pop()
        i, j, size = matcher.find_longest_match(alo, ahi, blo, bhi)
        if size < min_span:
            continue  # it is the longest here: nothing shorter counts either
        blocks.append((i, j, size))
        if alo < i and blo < j:
            todo.append((alo, i, blo, j))
        if i + size < ahi and j + size < bhi:
            todo.append((i + size, ahi, j + size, bhi))
    return sorted(blocks)


def _verify(settings: dict, tasks: list[tuple[str, list[str]]]) -> list[list[tuple[float, int, str] | None]]:
    """Align each local text with its candidate sources (a :func:`map_chunks` task).

    Returns, per task, per candidate: ``(similarity, shared_chars, shared_text)`` or None.
    """
    min_span, min_chars, threshold = settings["min_span"], settings["min_chars"], settings["threshold"]
    results = []
    for text, sources in tasks:
        local, offsets = _normalize_with_offsets(text)
        found = []
        for source_text in sources:
            source = normalize_for_reuse(source_text)
            shorter = min(len(local), len(source))
            bound = _covered_upper_bound(local, source, min_span)
            if bound < min_chars or bound < threshold * shorter:
                found.append(None)
                continue
            blocks = shared_spans(local, source, min_span)
            shared = sum(size for _, _, size in blocks)
            if shared < min_chars or shared < threshold * shorter:
                found.append(None)
                continue
            spans = [text[offsets[j]: offsets[j + size - 1] + 1] for _, j, size in blocks]
            found.append((shared / shorter, shared, SPAN_SEPARATOR.join(spans)))
        results.append(found)
    return results


# --- the public functions ------------------------------------------------------------

def _check_table(table, name: str) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise ValueError(f"{name}: expected a sentences table (a DataFrame), not {type(table).__name__}")
    missing = [c for c in ("doc_id", "sentence_id", "text") if c not in table.columns]
    if missing:
        raise ValueError(f"{name}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    if table.empty:
        raise ValueError(f"{name}: no sentences (the table is empty)")
    if table["sentence_id"].duplicated().any():
        first = table.loc[table["sentence_id"].duplicated(), "sentence_id"].iloc[0]
        raise ValueError(f"{name}: sentence_id is not unique ({first!r} repeats)")
    return table


def _check_int(value, name: str, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low or (
            high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise ValueError(f"{name}: expected a whole number {bound}, not {value!r}")
    return int(value)


def _check_parameters(shingle, threshold, min_chars, min_span, num_perm, seed) -> None:
    _check_int(shingle, "shingle", 2, 20)
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not 0 < threshold <= 1:
        raise ValueError(f"threshold: expected a share of the shorter sentence in (0, 1], not {threshold!r}")
    _check_int(min_chars, "min_chars", shingle)
    _check_int(min_span, "min_span", shingle, min_chars)
    _check_int(num_perm, "num_perm", 16, 1024)
    _check_int(seed, "seed", 0, 2**32 - 1)


def _side(table: pd.DataFrame) -> dict:
    texts = table["text"].fillna("").astype(str).tolist()
    doc_ids = table["doc_id"].astype(str).to_numpy()
    content = pd.Series(texts).groupby(doc_ids, sort=False).agg(
        lambda parts: hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest())
    return {"texts": texts, "doc_ids": doc_ids, "sentence_ids": table["sentence_id"].astype(str).to_numpy(),
            "content": content}


def _keys(side: dict, name: str, settings: dict, n_jobs, client, progress: bool):
    """Band keys and owning sentence of every window of a side; checks that it has sentences."""
    from .._parallel import chunked, map_chunks

    parts = map_chunks(partial(_window_keys, settings), chunked(side["texts"], CHUNK), n_jobs=n_jobs, client=client,
                       progress=progress, desc=f"{name} signatures")
    keys = np.concatenate([k for k, _, _ in parts])
    owner = np.concatenate([o + i * CHUNK for i, (_, o, _) in enumerate(parts)])
    lengths = np.concatenate([n for _, _, n in parts])
    min_chars = settings["min_chars"]
    eligible = lengths >= min_chars
    if not eligible.any():
        raise ValueError(f"{name}: no sentence has {min_chars} or more characters to compare "
                         f"(min_chars={min_chars}; punctuation and spaces do not count)")
    without = sorted(set(side["doc_ids"]) - set(side["doc_ids"][eligible]))
    if without:
        listed = ", ".join(without[:5]) + (f" and {len(without) - 5} more" if len(without) > 5 else "")
        warnings.warn(f"{name}: {len(without)} document{'s have' if len(without) > 1 else ' has'} no sentence of "
                      f"{min_chars} or more characters and {'are' if len(without) > 1 else 'is'} not compared: "
                      f"{listed}", ReuseWarning, stacklevel=3)
    return keys, owner


def text_reuse(sentences: pd.DataFrame, sources: pd.DataFrame | None = None, *, shingle: int = 5,
               threshold: float = 0.5, min_chars: int = 20, min_span: int = 8, num_perm: int = 128,
               seed: int = 1, n_jobs: int | None = 1, client=None, progress: bool = False) -> pd.DataFrame:
    """Sentences that share text with sentences of other documents.

    Parameters
    ----------
    sentences
        The local side: one row per sentence with ``doc_id, sentence_id, text`` (the
        ``sentences`` table of :class:`~govanalysis.Corpus`); ``sentence_id`` unique.
    sources
        The documents reuse is looked for in (central, provincial, peer), the same
        columns. ``None`` compares ``sentences`` with itself, each document with the others.
    shingle
        Characters per shingle (2–20).
    threshold
        Share of the shorter sentence's characters the shared spans must cover, in (0, 1].
    min_chars
        Characters (Han, letters, digits; punctuation and spaces do not count) a pair must
        share; a shorter sentence, on either side, is not compared.
    min_span
        Shortest run of characters counted as shared (``shingle`` to ``min_chars``).
    num_perm, seed
        MinHash permutations and the seed they are drawn from (datasketch's ``MinHash``).
    n_jobs, client
        Local worker processes (``-1``: all cores) or a ``dask.distributed.Client``; the
        table is the same for any of them.
    progress
        Show progress bars.

    Returns
    -------
    pandas.DataFrame
        One row per reused local sentence and matched source sentence, in the order of
        ``sentences`` then ``sources``: ``doc_id, sentence_id, source_doc_id,
        source_sentence_id, similarity`` (shared characters over the shorter sentence's),
        ``shared_chars`` (normalised characters in shared spans), ``text, source_text`` and
        ``shared_text`` (the shared spans as written in ``text``, joined by …). A sentence
        is never matched with its own document, nor with a document of identical text.

    Raises
    ------
    ValueError
        A side without sentences, or none long enough; a bad parameter (the message names it).

    Warns
    -----
    ReuseWarning
        Documents with no sentence of ``min_chars`` characters; pairs of identical
        documents (not compared).
    """
    from .._parallel import chunked, map_chunks

    _check_parameters(shingle, threshold, min_chars, min_span, num_perm, seed)
    self_compare = sources is None
    local = _side(_check_table(sentences, "sentences"))
    source = local if self_compare else _side(_check_table(sources, "sources"))
    bands, rows = _band_params(num_perm)
    settings = {"shingle": shingle, "permutations": _permutations(num_perm, seed), "bands": bands, "rows": rows,
                "min_span": min_span, "min_chars": min_chars, "threshold": float(threshold)}
    local_keys, local_owner = _keys(local, "sentences", settings, n_jobs, client, progress)
    if self_compare:
        source_keys, source_owner = local_keys, local_owner
    else:
        source_keys, source_owner = _keys(source, "sources", settings, n_jobs, client, progress)
    n_sources = len(source["texts"])
    pairs = _candidates(local_keys, local_owner, source_keys, source_owner, n_sources,
                        n_jobs=n_jobs if client is None else -1)
    li, si = pairs // n_sources, pairs % n_sources

    # Never a document with itself, nor with a document of identical text.
    local_docs, source_docs = local["doc_ids"][li], source["doc_ids"][si]
    same_text = local["content"].reindex(local_docs).to_numpy() == source["content"].reindex(source_docs).to_numpy()
    keep = ~same_text
    if self_compare:
        keep &= local_docs != source_docs
    identical = sorted({(a, b) for a, b in zip(local_docs[same_text], source_docs[same_text])
                        if not (self_compare and a == b)})
    if identical:
        shown = "; ".join(f"{a} = {b}" for a, b in identical[:5])
        more = f" and {len(identical) - 5} more" if len(identical) > 5 else ""
        warnings.warn(f"{len(identical)} pair{'s' if len(identical) > 1 else ''} of documents with identical text "
                      f"not compared: {shown}{more}", ReuseWarning, stacklevel=2)
    li, si = li[keep], si[keep]

    # Exact verification, grouped by local sentence.
    starts = np.flatnonzero(np.r_[True, li[1:] != li[:-1]]) if len(li) else np.empty(0, dtype=np.int64)
    ends = np.r_[starts[1:], len(li)]
    tasks = [(local["texts"][li[s]], [source["texts"][j] for j in si[s:e]]) for s, e in zip(starts, ends)]
    verified = map_chunks(partial(_verify, settings), chunked(tasks, max(1, CHUNK // 8)), n_jobs=n_jobs,
                          client=client, progress=progress, desc="verification")
    records = []
    for (s, e), found in zip(zip(starts, ends), verified):
        for j, result in zip(si[s:e], found):
            if result is not None:
                records.append((li[s], j, *result))
    if not records:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "similarity" else "int64" if c == "shared_chars"
                                          else "object") for c in REUSE_COLUMNS})
    lis, sis, similarity, shared, shared_text = map(list, zip(*records))
    return pd.DataFrame({
        "doc_id": local["doc_ids"][lis], "sentence_id": local["sentence_ids"][lis],
        "source_doc_id": source["doc_ids"][sis], "source_sentence_id": source["sentence_ids"][sis],
        "similarity": np.asarray(similarity, dtype="float64"), "shared_chars": np.asarray(shared, dtype="int64"),
        "text": [local["texts"][i] for i in lis], "source_text": [source["texts"][j] for j in sis],
        "shared_text": shared_text,
    }, columns=REUSE_COLUMNS).astype({c: "object" for c in ("doc_id", "sentence_id", "source_doc_id",
                                                            "source_sentence_id")})


def reuse_by_doc(reuse: pd.DataFrame, sentences: pd.DataFrame, *, by: str | None = "source_doc_id",
                 docs: pd.DataFrame | None = None, source_docs: pd.DataFrame | None = None,
                 min_chars: int = 20) -> pd.DataFrame:
    """Shares of each document's sentences and characters reused, per source group.

    Parameters
    ----------
    reuse
        The table of :func:`text_reuse`.
    sentences
        The local side given to :func:`text_reuse` (``doc_id, sentence_id, text``): the
        sentences of ``min_chars`` characters or more are what the shares are of.
    by
        ``None`` (any source: one row per document, every document), ``"source_doc_id"``,
        ``"source_level"`` (``admin_level`` of ``source_docs``: national, province,
        prefecture, county) or ``"source_year"`` (``year`` of ``source_docs``).
    docs, source_docs
        The ``docs`` tables of the two sides (``source_docs`` defaults to ``docs``, for a
        corpus compared with itself). Needed for ``source_level`` and ``source_year``; with
        both, ``by="source_doc_id"`` adds ``direction``.
    min_chars
        The ``min_chars`` given to :func:`text_reuse`.

    Returns
    -------
    pandas.DataFrame
        One row per local document and group with any reuse (every document for
        ``by=None``): ``doc_id``, the ``by`` column, ``n_sentences`` and ``n_chars`` (the
        document's comparable sentences and their characters), ``n_reused`` (those matched
        in the group), ``sentence_share``, ``reused_chars`` (per reused sentence, the shared
        characters of its closest match in the group), ``char_share``; for
        ``by="source_doc_id"`` with both docs tables, ``direction``: ``source_first`` when
        the source was published (or is dated, by ``year``) before the document,
        ``source_later`` after, ``same_time``, or NA when either side has no date.
    """
    if by not in BY_VALUES:
        raise ValueError(f"by: expected one of {', '.join(map(str, BY_VALUES))}, not {by!r}")
    missing = [c for c in REUSE_COLUMNS[:6] if c not in getattr(reuse, "columns", [])]
    if missing:
        raise ValueError(f"reuse: not a text_reuse table (missing {', '.join(missing)})")
    _check_table(sentences, "sentences")
    _check_int(min_chars, "min_chars", 1)
    source_docs = docs if source_docs is None else source_docs
    if by in ("source_level", "source_year") and source_docs is None:
        raise ValueError(f"source_docs: needed for by={by!r} (the docs table of the sources)")
    lengths = sentences["text"].fillna("").astype(str).map(lambda t: len(normalize_for_reuse(t)))
    comparable = sentences.assign(doc_id=sentences["doc_id"].astype(str), n_chars=lengths)[lengths >= min_chars]
    totals = comparable.groupby("doc_id", sort=True).agg(n_sentences=("sentence_id", "size"),
                                                         n_chars=("n_chars", "sum"))
    all_docs = pd.Index(sentences["doc_id"].astype(str).unique())
    totals = totals.reindex(all_docs.sort_values(), fill_value=0)
    pairs = reuse[REUSE_COLUMNS[:6]].astype({"doc_id": str, "source_doc_id": str})
    if by == "source_level":
        pairs["source_level"] = pairs["source_doc_id"].map(source_docs.set_index(source_docs["doc_id"].astype(str))
                                                           ["admin_level"])
    elif by == "source_year":
        pairs["source_year"] = pairs["source_doc_id"].map(
            source_docs.set_index(source_docs["doc_id"].astype(str))["year"]).astype("Int64")
    keys = ["doc_id"] if by is None else ["doc_id", by]
    best = pairs.groupby([*keys, "sentence_id"], sort=False, dropna=False)["shared_chars"].max().reset_index()
    grouped = best.groupby(keys, sort=True, dropna=False).agg(n_reused=("sentence_id", "size"),
                                                               reused_chars=("shared_chars", "sum")).reset_index()
    if by is None:
        grouped = totals.reset_index(names="doc_id").merge(grouped, on="doc_id", how="left")
        grouped = grouped.fillna({"n_reused": 0, "reused_chars": 0})
    else:
        grouped = grouped.merge(totals.reset_index(names="doc_id"), on="doc_id", how="left")
    grouped = grouped.astype({"n_reused": "int64", "reused_chars": "int64", "n_sentences": "int64",
                              "n_chars": "int64"})
    grouped["sentence_share"] = (grouped["n_reused"] / grouped["n_sentences"].where(grouped["n_sentences"] > 0))
    grouped["char_share"] = grouped["reused_chars"] / grouped["n_chars"].where(grouped["n_chars"] > 0)
    columns = [*keys, *BY_DOC_COLUMNS]
    if by == "source_doc_id" and docs is not None and source_docs is not None:
        grouped["direction"] = _direction(grouped["doc_id"], grouped["source_doc_id"], docs, source_docs)
        columns.append("direction")
    return grouped[columns].reset_index(drop=True)


def _dates(docs: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    indexed = docs.set_index(docs["doc_id"].astype(str))
    published = pd.to_datetime(indexed["published"], errors="coerce") if "published" in indexed else None
    year = pd.to_numeric(indexed["year"], errors="coerce") if "year" in indexed else None
    empty = pd.Series(np.nan, index=indexed.index)
    return (published if published is not None else empty), (year if year is not None else empty)


def _direction(doc_ids: pd.Series, source_ids: pd.Series, docs: pd.DataFrame, source_docs: pd.DataFrame) -> pd.Series:
    published, year = _dates(docs)
    source_published, source_year = _dates(source_docs)
    a, b = published.reindex(doc_ids).to_numpy(), source_published.reindex(source_ids).to_numpy()
    ya, yb = year.reindex(doc_ids).to_numpy(dtype="float64"), source_year.reindex(source_ids).to_numpy(dtype="float64")
    by_date = ~(pd.isna(a) | pd.isna(b))
    by_year = ~by_date & ~(np.isnan(ya) | np.isnan(yb))
    # Order on the published date when both have one, else on the year.
    sign = np.full(len(doc_ids), np.nan)
    sign[by_date] = np.sign((a[by_date] - b[by_date]).astype("timedelta64[D]").astype("float64"))
    sign[by_year] = np.sign(ya[by_year] - yb[by_year])
    labels = np.select([sign > 0, sign < 0, sign == 0], ["source_first", "source_later", "same_time"], default="")
    return pd.Series(labels, index=doc_ids.index, dtype="object").replace("", pd.NA)
