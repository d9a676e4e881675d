"""Tokens: jieba segmentation with the field's dictionary, stopwords and filters.

Each :class:`Tokenizer` owns a private segmenter loaded with ``data/user_dict.txt``, so
一网通办, 最多跑一次 and 好差评 stay whole: jieba-rs (``rjieba``) by default, which cuts as
jieba does with HMM off, or a private ``jieba.Tokenizer`` (the reference; jieba's global one
is never touched). Stopwords are the Chinese list of stopwords-iso plus government
boilerplate (``data/stopwords_gov.txt``: 推进, 加强, 深化 …). HMM new-word guessing is off
by default: it guesses, and it costs speed.

:func:`tokenize` segments texts in chunks of about 500 k characters, one segmenter call
each, and groups the tokens by their code points in NumPy, so the package adds little per
token to the segmenter's own work. Results are cached by text and configuration, in memory
and, given ``cache_dir``, in a SQLite file, so a re-run does not segment again.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import logging
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from functools import lru_cache, partial
from importlib import resources
from itertools import chain, compress, repeat
from pathlib import Path

import numpy as np
import pandas as pd

from . import patterns as P

# Every PIN_EVERY-th token string of a chunk is kept until the next chunk is cut. CPython
# returns a small-object arena to the system once it is empty, and a chunk's 300 k token
# strings fill ~25 of them: without pins, every chunk faults in ~25 MB of fresh pages
# (measured: 180 k page faults and 0.6 s of system time per 15 M characters; with pins
# 5-20 k and 0.02 s, and 10-20% less time in all). With pins the arenas stay mapped and
# the next chunk's strings reuse them.
PIN_EVERY = 1024
CHUNK_CHARS = 500_000  # characters per segmenter call (measured best of 0.25-2 M on 2 cores)
TASK_CHARS = 20_000_000  # most characters per parallel task: bounds a worker's memory (~0.3 GB)
_INSTANCES = itertools.count()
TOKEN_ID_COLUMNS = ("doc_id", "section_id", "paragraph_id", "sentence_id", "role")


def data_path(name: str) -> Path:
    """Path of a data file shipped in ``govanalysis/data``."""
    return Path(str(resources.files("govanalysis.data").joinpath(name)))


def user_dict_entries(path: str | Path | None) -> list[tuple[str, int | None, str | None]]:
    """``(word, freq, tag)`` of a jieba user dictionary (freq and tag None when absent)."""
    if path is None:
        return []
    entries = []
    for line in Path(path).read_text("utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = P.USER_DICT_LINE.match(line)
        word, freq, tag = match.group(1), match.group(2), match.group(3)
        entries.append((word.strip(), int(freq) if freq else None, tag.strip() if tag else None))
    return entries


def read_word_list(path: str | Path) -> list[str]:
    """Words of a one-per-line file; ``#`` comments and blank lines skipped; first field only."""
    words = []
    for line in Path(path).read_text("utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.append(line.split()[0])
    return words


@dataclass(frozen=True)
class TokenizerConfig:
    """Everything that changes what a tokenizer returns (and so keys its cache).

    Attributes
    ----------
    hmm
        Let jieba guess unknown words with its HMM (off: slower and less predictable).
    user_dict
        Path of a jieba user dictionary; ``None`` uses the package's domain dictionary,
        ``""`` uses none.
    stopwords
        Drop stopwords (stopwords-iso Chinese plus government boilerplate).
    extra_stopwords
        More words to drop.
    min_length
        Shortest token kept, in characters.
    keep_numbers
        Keep tokens that are numbers (87.15, 2020).
    pos
        Keep only tokens whose jieba part-of-speech tag starts with one of these
        (e.g. ``("n", "v")``); ``None`` keeps all and skips the slower tagger.
    """

    hmm: bool = False
    user_dict: str | None = None
    stopwords: bool = True
    extra_stopwords: tuple[str, ...] = ()
    min_length: int = 2
    keep_numbers: bool = False
    pos: tuple[str, ...] | None = None
    backend: str = "auto"

    def resolved_backend(self) -> str:
        """``rjieba`` (jieba-rs, same tokens as jieba with HMM off) when installed and
        HMM is off, else ``jieba``. ``backend="jieba"`` forces the reference backend."""
        if self.backend not in ("auto", "jieba", "rjieba"):
            raise ValueError(f"backend must be 'auto', 'jieba' or 'rjieba', not {self.backend!r}")
        if self.backend == "jieba" or (self.backend == "auto" and self.hmm):
            return "jieba"
        try:
            import rjieba  # noqa: F401
        except ImportError:
            if self.backend == "rjieba":
                raise
            return "jieba"
        return "rjieba"

    def fingerprint(self) -> str:
        """A hash of the configuration and of the dictionary and stopword files' contents."""
        import jieba

        parts = asdict(self) | {"jieba": jieba.__version__, "backend": self.resolved_backend()}
        files = [self.dictionary_path()] + ([data_path("stopwords_gov.txt")] if self.stopwords else [])
        for path in files:
            if path:
                parts[str(path.name)] = hashlib.sha1(Path(path).read_bytes()).hexdigest()
        return hashlib.sha1(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]

    def dictionary_path(self) -> Path | None:
        if self.user_dict == "":
            return None
        return Path(self.user_dict) if self.user_dict else data_path("user_dict.txt")


@contextlib.contextmanager
def _quiet_jieba():
    """Silence jieba's 'Building prefix dict…' messages, restoring its logger after."""
    logger = logging.getLogger("jieba")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def stopword_set(config: TokenizerConfig) -> frozenset[str]:
    """The stopwords a configuration drops."""
    if not config.stopwords:
        return frozenset(config.extra_stopwords)
    import stopwordsiso

    words = set(stopwordsiso.stopwords("zh")) | set(read_word_list(data_path("stopwords_gov.txt")))
    return frozenset(words | set(config.extra_stopwords))


@dataclass
class Tokenizer:
    """A configured segmenter with its own jieba dictionary and a cache.

    Parameters
    ----------
    config
        What to segment and keep (see :class:`TokenizerConfig`).
    cache_dir
        Folder for a persistent cache (``tokens.sqlite``); ``None`` keeps it in memory.
    """

    config: TokenizerConfig = field(default_factory=TokenizerConfig)
    cache_dir: str | Path | None = None
    _jieba: object = field(default=None, init=False, repr=False)
    _posseg: object = field(default=None, init=False, repr=False)
    _rjieba: object = field(default=None, init=False, repr=False)
    _stopwords: frozenset = field(default=frozenset(), init=False, repr=False)
    _memory: dict = field(default_factory=dict, init=False, repr=False)
    _tables: list = field(default_factory=list, init=False, repr=False)  # last 4 calls: (texts, encoded)
    _disk: object = field(default=None, init=False, repr=False)
    _backend: str = field(default="", init=False, repr=False)
    _kept: dict = field(default_factory=dict, init=False, repr=False)  # kept word -> one shared str
    _ids: dict = field(default_factory=dict, init=False, repr=False)  # word -> id in _words, or -1 (dropped)
    _words: list = field(default_factory=list, init=False, repr=False)  # kept words, by id (encode_many)
    # Words of up to six characters by their packed characters (see _pair_keys) -> id in
    # _words, or -1: an index of known words, and words met since it was built.
    _key_index: object = field(default=None, init=False, repr=False)
    _key_heads: np.ndarray = field(default=None, init=False, repr=False)
    _key_tails: np.ndarray = field(default=None, init=False, repr=False)
    _key_ids: np.ndarray = field(default=None, init=False, repr=False)
    _new_keys: list = field(default_factory=list, init=False, repr=False)
    _pinned: list | None = field(default=None, init=False, repr=False)  # see PIN_EVERY, _pinning
    _fingerprint: str = field(default="", init=False, repr=False)
    _owner: str = field(default="", init=False, repr=False)  # names this instance to worker processes
    stats: dict = field(default_factory=lambda: {"segmented": 0, "cached": 0}, init=False)

    def __post_init__(self) -> None:
        self._backend = self.config.resolved_backend()
        self._stopwords = stopword_set(self.config)
        self._fingerprint = self.config.fingerprint()
        self._owner = f"{os.getpid()}-{next(_INSTANCES)}"
        if self.cache_dir is not None:
            from .cache import ContentCache

            self._disk = ContentCache(self.cache_dir, "tokens")

    @property
    def backend(self) -> str:
        return self._backend

    @property
    def rjieba(self):
        """A private ``rjieba.Jieba`` with the user dictionary added word by word, in file
        order, with jieba's own frequency rule, so it cuts as the jieba backend does."""
        if self._rjieba is None:
            self._rjieba = _shared_segmenter(self.config, self._fingerprint)
        return self._rjieba

    @property
    def jieba(self):
        """The private ``jieba.Tokenizer``, loaded on first use."""
        if self._jieba is None:
            import jieba

            with _quiet_jieba():
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                path = self.config.dictionary_path()
                if path:
                    tokenizer.load_userdict(str(path))
            self._jieba = tokenizer
        return self._jieba

    def segment(self, text: str) -> list[str]:
        """Raw segmentation (no filtering), as jieba cuts with this dictionary."""
        if self.backend == "rjieba":
            return _valid_text_call(self.rjieba.cut, text, self.config.hmm)
        with _quiet_jieba():
            return self.jieba.lcut(text, HMM=self.config.hmm)

    def _tagged(self, text: str) -> list[tuple[str, str]]:
        if self.backend == "rjieba":
            return list(_valid_text_call(self.rjieba.tag, text, self.config.hmm))
        if self._posseg is None:
            import jieba.posseg

            self._posseg = jieba.posseg.POSTokenizer(tokenizer=self.jieba)
        with _quiet_jieba():
            return [(p.word, p.flag) for p in self._posseg.lcut(text, HMM=self.config.hmm)]

    def _keep(self, token: str) -> bool:
        config = self.config
        return (
            len(token) >= config.min_length
            and bool(P.WORD_CHAR.search(token))
            and token not in self._stopwords
            and (config.keep_numbers or not P.NUMBER_TOKEN.match(token))
        )

    def key(self, text: str) -> str:
        """Cache key of a text under this configuration."""
        return hashlib.sha1(f"{self._fingerprint}\x00{text}".encode("utf-8", "surrogatepass")).hexdigest()

    def lookup(self, keys: list[str]) -> dict[str, list[str]]:
        """Cached tokens for the keys that have them (memory first, then disk)."""
        found = {k: self._memory[k] for k in keys if k in self._memory}
        missing = [k for k in keys if k not in found]
        if missing and self._disk is not None:
            # Stored as one newline-joined string (tokens never hold a newline): cheaper
            # to write and read than a pickled list.
            from_disk = {k: v.split("\n") if v else [] for k, v in self._disk.get_many(missing).items()}
            self._memory.update(from_disk)
            found.update(from_disk)
        return found

    def store(self, items: dict[str, list[str]]) -> None:
        """Remember tokens by key (and write them to disk when there is a cache_dir)."""
        self._memory.update(items)
        if self._disk is not None:
            self._disk.put_many({k: "\n".join(v) for k, v in items.items()})

    def cut_uncached(self, text: str) -> list[str]:
        """Filtered tokens of one text, always segmenting."""
        return self.cut_many([text])[0]

    def cut_many(self, texts: list[str]) -> list[list[str]]:
        """Filtered tokens of many texts, always segmenting.

        Filtering decides once per distinct word (length, stopword, number) and then
        keeps tokens by set membership, so its cost stays small beside the segmenter's.
        """
        if self.config.pos:
            return [[w for w, tag in self._tagged(text) if tag.startswith(self.config.pos) and self._keep(w)]
                    for text in texts]
        if self.backend == "rjieba":
            segment, hmm = self.rjieba.cut, self.config.hmm  # bound once: this loop is hot
            try:
                cut = [segment(text, hmm) for text in texts]
            except UnicodeEncodeError:  # a lone surrogate somewhere
                cut = [_valid_text_call(segment, text, hmm) for text in texts]
        else:
            cut = [self.segment(text) for text in texts]
        self._word_ids(list(dict.fromkeys(chain.from_iterable(cut))))  # judge the new words, in order
        # C-level filter and map: keep a token if its word is kept, and use one shared
        # string object per word (the segmenter returns a new object per occurrence).
        keep, shared = self._kept.__contains__, self._kept.__getitem__
        return [list(map(shared, filter(keep, tokens))) for tokens in cut]

    def encode_many(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Filtered tokens of many texts as integer codes: ``(int32 codes, tokens per text)``.

        Codes index :attr:`vocabulary`, which grows as new words are kept, text after
        text. With the rjieba backend the texts are cut in one call and the tokens are
        grouped by their characters in NumPy (see :func:`_span_codes`): no Python string
        is hashed per token, so the package adds little to the segmenter's own time.
        """
        if self.config.pos or self.backend != "rjieba":
            return self.encode_many_slow(texts)
        # A newline between texts makes every text end a token boundary (jieba never joins
        # across whitespace); newlines inside a text become spaces, which are never kept.
        return self.encode_lines("\n".join(map(_one_line, texts)))

    def encode_lines(self, joined: str, points: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`encode_many` of texts given joined as lines (one text per line).

        ``points``: the code points of ``joined`` (its UTF-32), when already at hand.
        """
        count = joined.count("\n") + 1
        if self.config.pos or self.backend != "rjieba":
            return self.encode_many_slow(joined.split("\n"))
        try:
            flat = self.rjieba.cut(joined, self.config.hmm)
        except UnicodeEncodeError:  # a lone surrogate: see _valid_text_call
            joined, points = P.LONE_SURROGATE.sub("\ufffd", joined), None
            flat = self.rjieba.cut(joined, self.config.hmm)
        n = len(flat)
        if self._pinned is not None:  # after the cut: its strings reused the pinned arenas
            self._pinned = flat[::PIN_EVERY]
        try:  # bytearray from an iterator of small ints runs in C: twice as fast as fromiter
            token_lengths = np.frombuffer(bytearray(map(len, flat)), dtype=np.uint8).astype(np.int64)
        except ValueError:  # a token of 256 characters or more
            token_lengths = np.fromiter(map(len, flat), dtype=np.int64, count=n)
        del flat  # the text and the lengths say it all
        if points is None:
            points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
        ends = np.cumsum(token_lengths)
        if not n or ends[-1] != len(points):  # nothing to cut, or not a partition of the text
            return self.encode_many_slow(joined.split("\n"))
        starts = ends - token_lengths
        separator = (token_lengths == 1) & (points[starts] == 0x0A)
        candidates = np.flatnonzero((token_lengths >= max(self.config.min_length, 1)) & ~separator)
        text_of = np.cumsum(separator)[candidates]
        starts, token_lengths = starts[candidates], token_lengths[candidates]
        wide = _wide_points(points)
        codes, first = _span_codes(points, starts, token_lengths, wide=wide)
        ids = self._span_ids(joined, wide, starts[first], token_lengths[first])[codes]
        kept = ids >= 0
        return ids[kept], np.bincount(text_of[kept], minlength=count).astype(np.int64)

    def _span_ids(self, joined: str, wide: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Ids (as :meth:`_word_ids`) of the distinct words at these spans of ``joined``.

        Words of up to six characters, nearly all, are looked up by their characters
        packed in two 64-bit keys, in a NumPy-backed index; only longer and new words are
        read back from the text as strings (a dictionary lookup of a fresh string costs
        ~0.4 µs on this machine, and there are thousands per chunk).
        """
        ids = np.full(len(starts), -2, dtype=np.int32)
        keyed = np.flatnonzero(lengths <= 6)
        head, tail = _pair_keys(wide, starts[keyed], lengths[keyed])
        if self._key_index is not None and len(keyed):
            where = self._key_index.get_indexer(_mixed_key(head, tail))
            found = np.flatnonzero(where >= 0)
            at = where[found]
            # The index is keyed by a mix of the two keys: a match counts only if both agree.
            exact = (self._key_heads[at] == head[found]) & (self._key_tails[at] == tail[found])
            ids[keyed[found[exact]]] = self._key_ids[at[exact]]
        todo = np.flatnonzero(ids == -2)
        if len(todo):
            ends = starts + lengths
            words = [joined[a:b] for a, b in zip(starts[todo].tolist(), ends[todo].tolist())]
            ids[todo] = self._word_ids(words, distinct=True)
            read = np.zeros(len(starts), dtype=bool)
            read[todo] = True
            met = read[keyed]  # keyed words that were read back: index them
            if met.any():
                self._remember_keys(head[met], tail[met], ids[keyed[met]])
        return ids

    def _remember_keys(self, head: np.ndarray, tail: np.ndarray, ids: np.ndarray) -> None:
        """Add words' keys met outside the index; rebuild it once they are an eighth of it."""
        self._new_keys.append((head, tail, ids))
        waiting = sum(len(h) for h, _, _ in self._new_keys)
        indexed = 0 if self._key_index is None else len(self._key_index)
        if waiting * 8 < indexed:
            return
        parts = [(self._key_heads, self._key_tails, self._key_ids)] if self._key_index is not None else []
        heads, tails, ids = (np.concatenate(column) for column in zip(*parts, *self._new_keys))
        # A word met twice is one entry; two words whose mixed keys collide keep the first
        # entry, and the other is read back as a string each time (correct, if slower).
        mixed, first = np.unique(_mixed_key(heads, tails), return_index=True)
        self._key_index = pd.Index(mixed)
        self._key_heads, self._key_tails, self._key_ids, self._new_keys = heads[first], tails[first], ids[first], []

    @contextlib.contextmanager
    def _pinning(self):
        """Within: each encode call keeps a few of its token strings until the next one
        (see :data:`PIN_EVERY`); on leaving, none are kept."""
        self._pinned = []
        try:
            yield
        finally:
            self._pinned = None

    def encode_many_slow(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`encode_many` through :meth:`cut_many` (token lists), for any backend."""
        token_lists = self.cut_many(texts)
        lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
        words = list(chain.from_iterable(token_lists))
        return self._word_ids(words), lengths

    def _word_ids(self, words: list[str], distinct: bool = False) -> np.ndarray:
        """Ids of words in :attr:`vocabulary` (-1: dropped), judging each new word once.

        ``distinct``: the words are known to be distinct (saves a pass).
        """
        ids, vocabulary = self._ids, self._words
        # One dictionary lookup per word; -2 marks the words never seen.
        found = np.fromiter(map(ids.get, words, repeat(-2)), dtype=np.int32, count=len(words))
        unseen = np.flatnonzero(found == -2)
        if len(unseen):
            new = [words[i] for i in unseen.tolist()]
            if not distinct:
                new = list(dict.fromkeys(new))
            keep = self.keep_many(new)
            kept = list(compress(new, keep))
            ids.update(zip(kept, range(len(vocabulary), len(vocabulary) + len(kept))))
            ids.update(dict.fromkeys(compress(new, ~keep), -1))
            vocabulary.extend(kept)
            self._kept.update(zip(kept, kept))
            found[unseen] = [ids[words[i]] for i in unseen.tolist()]
        return found

    def keep_many(self, words: list[str]) -> np.ndarray:
        """Which words the filters keep (as :meth:`_keep` one by one, mostly in C loops)."""
        count = len(words)
        keep = np.fromiter(map(len, words), dtype=np.int64, count=count) >= self.config.min_length
        keep &= ~np.fromiter(map(self._stopwords.__contains__, words), dtype=bool, count=count)
        # Letters only (Han or Latin): a word character, and never a number. Others by rule.
        letters = np.fromiter(map(str.isalpha, words), dtype=bool, count=count)
        for i in np.flatnonzero(keep & ~letters).tolist():
            keep[i] = self._keep(words[i])
        return keep

    @property
    def vocabulary(self) -> np.ndarray:
        """Every word kept so far by :meth:`encode_many`, by code (an object array)."""
        return np.array(self._words, dtype=object)

    def cut(self, text: str) -> list[str]:
        """Filtered tokens of one text (cached)."""
        key = self.key(text)
        found = self.lookup([key])
        if key in found:
            self.stats["cached"] += 1
            return found[key]
        tokens = self.cut_uncached(text)
        self.stats["segmented"] += 1
        self.store({key: tokens})
        return tokens


def _valid_text_call(segmenter_method, text: str, hmm: bool):
    """Call an rjieba method, lone surrogates (which it cannot take) read as U+FFFD.

    One character for one, so offsets hold; like a surrogate, U+FFFD is never kept.
    """
    try:
        return segmenter_method(text, hmm)
    except UnicodeEncodeError:
        return segmenter_method(P.LONE_SURROGATE.sub("\ufffd", text), hmm)


def _one_line(text: str) -> str:
    """A text with its line breaks as spaces (a newline then separates texts when joined)."""
    return text.replace("\r", " ").replace("\n", " ") if "\n" in text or "\r" in text else text


@lru_cache(maxsize=4)
def _worker_tokenizer(config: TokenizerConfig, owner: str) -> Tokenizer:
    """A worker's tokenizer for one parent tokenizer (``owner``): its vocabulary is fresh
    for a fresh parent; the segmenter is shared (see :func:`_shared_segmenter`)."""
    return Tokenizer(config)


@lru_cache(maxsize=4)
def _shared_segmenter(config: TokenizerConfig, fingerprint: str):
    """An ``rjieba.Jieba`` with the configuration's user dictionary, one per process for
    each configuration and dictionary content (``fingerprint``): loading it takes a while
    (0.14 s with the package's dictionary), and cutting does not change it."""
    import rjieba

    segmenter = rjieba.Jieba()
    for word, freq, tag in user_dict_entries(config.dictionary_path()):
        segmenter.add_word(word, freq if freq is not None else segmenter.suggest_freq(word), tag or "x")
    return segmenter


def tokenize(units: pd.DataFrame, tokenizer: Tokenizer | None = None, *, text_column: str = "text",
             n_jobs: int | None = 1, client=None, progress: bool = False, chunk_size: int = 256) -> pd.DataFrame:
    """Tokens of every unit, one row per token.

    Parameters
    ----------
    units
        Paragraphs, sections, sentences or documents: any table with a ``text`` column;
        its id columns (``doc_id``, ``section_id``, ``paragraph_id``, ``sentence_id``,
        ``role``, whichever exist) are carried to every token.
    tokenizer
        A :class:`Tokenizer`; by default one with the package's dictionary and stopwords.
    n_jobs, client
        Segment on ``n_jobs`` local processes (this one takes a share, worker processes
        the rest) or on a Dask cluster; results equal the serial run.
    progress
        Show a progress bar.
    chunk_size
        Fewest texts per parallel task (tasks are otherwise one per worker, balanced
        by characters, and at most :data:`TASK_CHARS` characters each).

    Returns
    -------
    pandas.DataFrame
        One row per token: the unit's id columns, ``position`` (0-based within the
        unit, after filtering) and ``token``. Id and token columns are categorical
        (sorted categories): group with ``observed=True``.
    """
    from .parallel import _dask_client, effective_jobs, map_chunks, worker_count

    tokenizer = tokenizer or Tokenizer()
    client = _dask_client(client) if client is not None else None  # an address: connect once
    texts = units[text_column].fillna("").tolist()
    ids = [c for c in TOKEN_ID_COLUMNS if c in units.columns]
    # The whole call first: the same texts under the same configuration load at once. In
    # memory the texts themselves are the key (a list comparison, mostly of identical
    # objects, costs far less than hashing them); on disk a hash of them is.
    cached = next((encoded for previous, encoded in tokenizer._tables if previous == texts), None)
    table_key = None
    if cached is None and tokenizer._disk is not None:
        digest = hashlib.sha1(tokenizer._fingerprint.encode())
        for text in texts:
            digest.update(text.encode("utf-8", "surrogatepass"))
            digest.update(b"\x00")
        table_key = "all:" + digest.hexdigest()
        cached = tokenizer._disk.get_many([table_key]).get(table_key)
        if cached is not None:
            tokenizer._tables = [*tokenizer._tables[-3:], (texts, cached)]
    if cached is not None:
        tokenizer.stats["cached"] += len(texts)
        vocabulary, codes, lengths = cached
        return _token_table(units, ids, codes, vocabulary, lengths)

    # Then text by text: on disk, cached texts are reused and repeats segmented once. In
    # memory every text is segmented, repeats included: cheaper than finding and putting
    # back the few repeats a corpus has.
    if tokenizer._disk is not None:
        keys = [tokenizer.key(text) for text in texts]
        unique = list(dict.fromkeys(keys))
        known = tokenizer.lookup(unique)
        todo = {key: text for key, text in zip(keys, texts) if key not in known}
        pending = list(todo.values())
        order = [k for k in unique if k in known] + list(todo)  # the keys of the entries below
    else:
        keys, unique, known, todo, pending, order = texts, texts, {}, {}, texts, []
    encodings = [_encode([known[k] for k in unique if k in known])] if known else []
    if pending:
        if client is None and effective_jobs(n_jobs) == 1:
            encodings.append(_encode_in_chunks(tokenizer, pending, progress=progress))
        else:
            # Workers return integer codes, not token lists: little to pickle, nothing
            # per token left for this process to do. One task per worker, balanced by
            # characters (every hand-off costs), more only past TASK_CHARS each.
            chars = sum(map(len, pending))
            workers = worker_count(n_jobs, client)
            tasks = max(1, workers * -(-chars // (workers * TASK_CHARS)))
            limit = max(-(-chars // tasks), chunk_size * chars // len(pending), 1)
            chunks = _chunked_by_chars(pending, limit)
            with contextlib.ExitStack() as stack:
                if client is None:
                    # This process is one of the n_jobs: it takes the first task itself
                    # (no file, no hand-off) while the workers, reading their texts from
                    # shared memory, take the rest.
                    here = partial(_encode_here, tokenizer, chunks[0])
                    task, total, chunks = _encode_file, len(chunks) - 1, stack.enter_context(_text_files(chunks[1:]))
                else:  # remote workers get their texts pickled
                    task, total, here = _encode_texts, len(chunks), None
                encodings += map_chunks(partial(task, tokenizer.config, tokenizer._owner), chunks, total=total,
                                        n_jobs=n_jobs, client=client, progress=progress, desc="tokenize",
                                        here=here)
    tokenizer.stats["segmented"] += len(pending)
    tokenizer.stats["cached"] += sum(map(known.__contains__, keys)) if known else 0
    vocabulary, entry_codes, entry_lengths = _concat(encodings, threads=effective_jobs(n_jobs))
    if known or len(unique) < len(keys):  # cached texts first, repeats share one entry: reorder
        offsets = np.cumsum(entry_lengths) - entry_lengths
        entry = {key: index for index, key in enumerate(order)}
        which = np.fromiter(map(entry.__getitem__, keys), dtype=np.int64, count=len(keys))
        lengths = entry_lengths[which]
        codes = entry_codes[np.repeat(offsets[which], lengths) + _positions(lengths)]
    else:  # every text new and distinct (or segmented anyway): the entries are the texts
        codes, lengths = entry_codes, entry_lengths
    if tokenizer._disk is not None and todo:
        first_new = len(order) - len(todo)
        tokenizer._disk.put_many(dict(zip(order[first_new:], _joined_tokens(vocabulary, entry_codes,
                                                                              entry_lengths)[first_new:])))
    tokenizer._tables = [*tokenizer._tables[-3:], (texts, (vocabulary, codes, lengths))]
    if table_key is not None:
        # Vocabulary + integer codes: a re-run loads a few arrays, not millions of strings.
        tokenizer._disk.put_many({table_key: (vocabulary, codes, lengths)})
    return _token_table(units, ids, codes, vocabulary, lengths, threads=effective_jobs(n_jobs))


def _encode(token_lists: list[list[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sorted vocabulary, int32 codes of all tokens in order, tokens per list)."""
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    flat = np.fromiter(chain.from_iterable(token_lists), dtype=object, count=int(lengths.sum()))
    codes, vocabulary = _sorted_codes(flat)
    return vocabulary, codes, lengths


def _encode_here(tokenizer: Tokenizer, texts: list[str]) -> list[tuple]:
    """Segment texts in this process and return them encoded (one item, as the workers')."""
    return [_encode_in_chunks(tokenizer, texts)]


def _encode_texts(config: TokenizerConfig, owner: str, texts: list[str]) -> list[tuple]:
    """Segment texts in a worker and return them encoded (one item, for map_chunks)."""
    return [_encode_in_chunks(_worker_tokenizer(config, owner), texts)]


def _encode_file(config: TokenizerConfig, owner: str, path: str) -> list[tuple]:
    """:func:`_encode_texts` of the texts in a file written by :func:`_text_files`.

    The file is read as it is, in lines of about 500 k characters: its UTF-32 bytes
    are already the code points that :meth:`Tokenizer.encode_lines` groups tokens by.
    """
    tokenizer = _worker_tokenizer(config, owner)
    data = Path(path).read_bytes()
    joined, points = data.decode("utf-32-le", "surrogatepass"), np.frombuffer(data, dtype=np.uint32)
    parts, start = [], 0
    with tokenizer._pinning():
        while True:
            end = joined.find("\n", start + CHUNK_CHARS)
            end = len(joined) if end < 0 else end
            parts.append(tokenizer.encode_lines(joined[start:end], points[start:end]))
            if end == len(joined):
                break
            start = end + 1
    return [_sorted_encoding(tokenizer._words, [c for c, _ in parts],
                             np.concatenate([n for _, n in parts]))]


@contextlib.contextmanager
def _text_files(chunks: list[list[str]]):
    """Write each chunk of texts to a file, one line per text, as the paths are taken.

    Handing texts to local workers as files costs a tenth of pickling them through a
    pipe (measured: 0.04 s against 0.5 s for 18 M characters), and the parent writes them
    in memory (``/dev/shm``) where it can. UTF-32: it encodes and decodes fastest, and any
    string, lone surrogates included, comes back as it went. The files go when done.
    """
    folder = tempfile.mkdtemp(prefix="govanalysis-", dir=_memory_folder(4 * sum(
        len(text) + 1 for text in chain.from_iterable(chunks))))

    def paths():  # lazily: the first worker starts while the next file is written
        for number, chunk in enumerate(chunks):
            path = Path(folder, f"{number}.utf32")
            path.write_bytes("\n".join(map(_one_line, chunk)).encode("utf-32-le", "surrogatepass"))
            yield str(path)

    try:
        yield paths()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _memory_folder(size: int, shared: str = "/dev/shm") -> str | None:
    """``/dev/shm`` when it is writable and has room for ``size`` bytes (twice over: a
    container's is often 64 MB), else ``None`` (the system's temporary folder)."""
    try:
        if os.access(shared, os.W_OK) and shutil.disk_usage(shared).free > 2 * size:
            return shared
    except OSError:  # no such folder
        pass
    return None


def _encode_in_chunks(tokenizer: Tokenizer, texts: list[str], progress: bool = False) -> tuple:
    """(sorted vocabulary, codes, lengths) of texts, segmented in chunks of about 500 k
    characters: one chunk's segmenter strings stay small enough to be cache-friendly."""
    from tqdm import tqdm

    with tokenizer._pinning():
        parts = [tokenizer.encode_many(chunk) for chunk in
                 tqdm(_chunked_by_chars(texts, CHUNK_CHARS), desc="tokenize", unit="chunk", disable=not progress)]
    return _sorted_encoding(tokenizer._words, [c for c, _ in parts],
                            np.concatenate([n for _, n in parts]))


def _sorted_encoding(words: list[str], code_parts: list[np.ndarray], lengths: np.ndarray) -> tuple:
    """(sorted vocabulary, codes, lengths) of arrays of codes into ``words``, joined in
    order, keeping only the words used.

    The parts are re-mapped straight into one array of the final integer type: no
    concatenation first (fresh memory costs much at tens of millions of tokens).
    """
    used = np.zeros(len(words), dtype=bool)
    for part in code_parts:
        used[part] = True
    used = np.flatnonzero(used)
    vocabulary = np.array([words[i] for i in used.tolist()], dtype=object)
    order = _argsort_strings(vocabulary)
    rank = np.full(len(words), -1, dtype=_code_dtype(len(order)))
    rank[used[order]] = np.arange(len(order))
    codes = np.empty(sum(map(len, code_parts)), dtype=rank.dtype)
    end = 0
    for part in code_parts:
        np.take(rank, part, out=codes[end:end + len(part)])
        end += len(part)
    return vocabulary[order], codes, lengths


def _wide_points(points: np.ndarray) -> np.ndarray:
    """Code points plus one (zero then marks "no character"), as uint64 for packing."""
    wide = points.astype(np.uint64)
    wide += np.uint64(1)
    return wide


# Key bits to keep by characters in the span: 1, 2, 3, or 4+ (with the "longer" flag).
_KEEP_CHARS = np.array([0, 0x1FFFFF << 42, 0x3FFFFFFFFFF << 21, (1 << 63) - 1, (1 << 64) - 1], dtype=np.uint64)


def _span_keys(wide: np.ndarray, offsets: np.ndarray, remaining: np.ndarray) -> np.ndarray:
    """64-bit keys of spans' (next) three characters: 21 bits each, plus bit 63 when the
    span is longer. Exact for spans of up to three characters. ``wide``: see
    :func:`_wide_points`."""
    last = len(wide) - 1
    packed = wide[offsets] << np.uint64(42)
    packed |= wide[np.minimum(offsets + 1, last)] << np.uint64(21)
    packed |= wide[np.minimum(offsets + 2, last)] | np.uint64(1 << 63)
    return packed & _KEEP_CHARS[np.minimum(remaining, 4)]


def _pair_keys(wide: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two keys that together are exactly a span of up to six characters: the keys
    (:func:`_span_keys`) of its first three characters and of the next three (0 if none)."""
    head = _span_keys(wide, starts, lengths)
    tail = np.zeros(len(starts), dtype=np.uint64)
    longer = np.flatnonzero(lengths > 3)
    tail[longer] = _span_keys(wide, starts[longer] + 3, lengths[longer] - 3)
    return head, tail


def _mixed_key(head: np.ndarray, tail: np.ndarray) -> np.ndarray:
    """One 64-bit key from two (multiplying by odd constants, wrapping): distinct for
    distinct heads with no tail; other collisions are possible, so matches are checked."""
    return head * np.uint64(0x9E3779B97F4A7C15) ^ tail * np.uint64(0xC2B2AE3D27D4EB4F)


def _span_codes(points: np.ndarray, starts: np.ndarray, lengths: np.ndarray,
                wide: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the text spans ``points[start:start + length]``, equal spans equal codes.

    Exact, with no hashing of strings: spans are factorised on the key of their first
    three characters (:func:`_span_keys`), and those longer than three are refined by
    the next three, and so on. ``wide``: :func:`_wide_points` of ``points``, if at hand.

    Returns
    -------
    codes
        int64 code per span, numbered in order of first appearance.
    first
        Index of the first span with each code.
    """
    wide = _wide_points(points) if wide is None else wide
    key = partial(_span_keys, wide)

    codes = np.asarray(pd.factorize(key(starts, lengths))[0], dtype=np.int64)
    longer = np.flatnonzero(lengths > 3)
    offset = 3
    while len(longer):
        more = pd.factorize(key(starts[longer] + offset, lengths[longer] - offset))[0]
        # (codes so far, next three characters) -> one code; shift clear of the others.
        pair = codes[longer] * (int(more.max()) + 1) + more
        codes[longer] = pd.factorize(pair)[0] + int(codes.max()) + 1
        offset += 3
        longer = longer[lengths[longer] > offset]
    if offset > 3:  # refined: renumber densely, in order of first appearance
        codes = np.asarray(pd.factorize(codes)[0], dtype=np.int64)
    if not len(codes):
        return codes, codes
    running = np.maximum.accumulate(codes)
    first = np.flatnonzero(np.diff(running, prepend=-1) > 0)
    return codes, first


def _concat(encodings: list[tuple], threads: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Join encodings into one sorted vocabulary; codes re-mapped, in order.

    Every encoding's vocabulary must be sorted (as all encodings here are). ``threads``:
    re-map that many encodings side by side.
    """
    encodings = [e for e in encodings if len(e[2])]
    if not encodings:
        return np.array([], dtype=object), np.array([], dtype=np.int32), np.array([], dtype=np.int64)
    if len(encodings) == 1:  # already sorted
        return encodings[0]
    # Each vocabulary is sorted: a stable sort of their concatenation merges the runs
    # (timsort), and equal neighbours are one word.
    everything = np.concatenate([v for v, _, _ in encodings])
    order = _argsort_strings(everything)
    in_order = everything[order]
    new_word = np.ones(len(in_order), dtype=bool)
    new_word[1:] = in_order[1:] != in_order[:-1]
    rank = np.empty(len(everything), dtype=np.int32)
    rank[order] = np.cumsum(new_word, dtype=np.int32) - 1
    vocabulary = in_order[new_word]
    # Re-mapped straight into one array of the final integer type (no temporaries).
    rank = rank.astype(_code_dtype(len(vocabulary)), copy=False)
    codes = np.empty(sum(len(c) for _, c, _ in encodings), dtype=rank.dtype)
    word_starts = np.cumsum([0] + [len(v) for v, _, _ in encodings])
    code_starts = np.cumsum([0] + [len(c) for _, c, _ in encodings])

    def remap(i: int) -> None:  # into its own slice: safe side by side
        np.take(rank[word_starts[i]:word_starts[i + 1]], encodings[i][1], out=codes[code_starts[i]:code_starts[i + 1]])

    if threads > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(remap, range(len(encodings))))
    else:
        for i in range(len(encodings)):
            remap(i)
    return vocabulary, codes, np.concatenate([n for _, _, n in encodings])


def _joined_tokens(vocabulary: np.ndarray, codes: np.ndarray, lengths: np.ndarray) -> list[str]:
    """Each unit's tokens as one newline-joined string (the per-text disk cache's format),
    cut from one joined string of all tokens rather than joined unit by unit."""
    if not len(codes):
        return [""] * len(lengths)
    everything = "\n".join(vocabulary[codes])
    token_chars = np.fromiter(map(len, vocabulary), dtype=np.int64, count=len(vocabulary))[codes]
    begins = np.cumsum(token_chars + 1) - token_chars - 1  # each token's offset in everything
    last = np.cumsum(lengths) - 1
    first = np.minimum(last - lengths + 1, len(codes) - 1)  # clipped: empty units read nothing
    has_tokens = lengths > 0
    starts = np.where(has_tokens, begins[first], 0)
    ends = np.where(has_tokens, begins[np.maximum(last, 0)] + token_chars[np.maximum(last, 0)], 0)
    return [everything[a:b] for a, b in zip(starts.tolist(), ends.tolist())]


def _chunked_by_chars(texts: list[str], limit: int) -> list[list[str]]:
    """Consecutive chunks of texts, a new one starting after each ``limit`` characters."""
    if not texts:
        return []
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)))
    cuts = np.unique(np.searchsorted(ends, np.arange(limit, ends[-1], max(limit, 1)), side="left") + 1)
    bounds = [0, *cuts[cuts < len(texts)].tolist(), len(texts)]
    return [texts[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def _positions(lengths: np.ndarray) -> np.ndarray:
    """0, 1, … within each unit: a cumulative sum of ones that resets at each unit start
    (one pass, many times faster than arange minus repeated starts)."""
    steps = np.ones(int(lengths.sum()), dtype=np.int32)  # int32: half the memory to touch
    nonempty = lengths[lengths > 0]
    if len(nonempty):
        starts = np.cumsum(nonempty) - nonempty
        steps[starts[0]] = 0
        steps[starts[1:]] = 1 - nonempty[:-1]
    return np.cumsum(steps, out=steps)  # in place: one array of this size, not three


def _argsort_strings(values: np.ndarray) -> np.ndarray:
    """Stable argsort of an object array of strings, in Python's order (by code point).

    Short strings are sorted as a fixed-width NumPy unicode array, which compares in C
    (several times faster than comparing Python objects); long ones as objects.
    """
    if len(values) and max(map(len, values)) <= 32:
        return np.argsort(values.astype(str), kind="stable")
    return np.argsort(values, kind="stable")


def _sorted_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes into the sorted distinct values (so category order is lexical)."""
    codes, uniques = pd.factorize(values)
    uniques = np.asarray(uniques, dtype=object)
    if pd.Index(uniques).is_monotonic_increasing:  # ids usually come sorted: no sort needed
        return codes.astype(np.int32), uniques
    order = _argsort_strings(uniques)
    rank = np.empty(len(order), dtype=np.int32)
    rank[order] = np.arange(len(order), dtype=np.int32)
    return rank[codes] if len(codes) else codes.astype(np.int32), uniques[order]


def _code_dtype(categories: int) -> type:
    """The integer type pandas stores codes for this many categories in."""
    for dtype in (np.int8, np.int16, np.int32):
        if categories < np.iinfo(dtype).max:
            return dtype
    return np.int64


def _token_table(units: pd.DataFrame, ids: list[str], codes: np.ndarray, vocabulary: np.ndarray,
                 lengths: np.ndarray, threads: int = 1) -> pd.DataFrame:
    """The tokens table: categorical id and token columns built from integer codes.

    Categories are sorted, so grouping orders as it would on strings. Codes keep a
    corpus of tens of millions of tokens small and quick to build (no per-row strings).
    Each column is allocated once, at the integer type pandas keeps: at this size fresh
    memory is much of the cost. ``threads`` > 1 builds columns side by side (NumPy
    releases the GIL), for runs given more than one core.
    """
    present = lengths > 0  # units without tokens leave no unused categories behind

    def id_column(c: str) -> pd.Categorical:
        unit_codes, categories = _sorted_codes(units[c].to_numpy(dtype=object)[present])
        narrow = unit_codes.astype(_code_dtype(len(categories)), copy=False)
        return pd.Categorical.from_codes(np.repeat(narrow, lengths[present]), categories=categories, validate=False)

    def token_column(_: str) -> pd.Categorical:
        return pd.Categorical.from_codes(codes.astype(_code_dtype(len(vocabulary)), copy=False),
                                         categories=vocabulary, validate=False)

    builders = {c: id_column for c in ids} | {"position": lambda _: _positions(lengths), "token": token_column}
    if threads > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(threads) as pool:
            columns = dict(zip(builders, pool.map(lambda item: item[1](item[0]), builders.items())))
    else:
        columns = {name: build(name) for name, build in builders.items()}
    return pd.DataFrame(columns, copy=False)
