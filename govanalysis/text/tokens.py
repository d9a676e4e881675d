"""Tokens: jieba segmentation with the field's dictionary, stopwords and filters.

Each :class:`Tokenizer` owns a private segmenter loaded with ``data/user_dict.txt`` (一网通办,
最多跑一次 and 好差评 stay whole): jieba-rs (``rjieba``) by default, which cuts as jieba does
with HMM off, or a private ``jieba.Tokenizer`` (the reference; jieba's global one is never
touched). Stopwords: stopwords-iso's Chinese list plus ``data/stopwords_gov.txt`` (推进, 加强 …).
:func:`tokenize` cuts ~500 k characters per call, judges each distinct word once, and builds a
categorical table from integer codes; with ``cache_dir`` each text's tokens are kept in a SQLite
content cache, so a re-run segments only new texts.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from dataclasses import asdict, dataclass, field
from functools import lru_cache, partial
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd

from .. import _patterns as P
from .._data import data_path, read_word_list, user_dict_entries

CHUNK_CHARS = 500_000  # characters segmented at a time: bounds the token strings alive at once
TASK_CHARS = 20_000_000  # most characters per parallel task: bounds a worker's memory
TOKEN_ID_COLUMNS = ("doc_id", "section_id", "paragraph_id", "sentence_id", "role")


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
    """A configured segmenter with its own jieba dictionary and an optional cache.

    Parameters
    ----------
    config
        What to segment and keep (see :class:`TokenizerConfig`).
    cache_dir
        Folder for a persistent content cache (``tokens.sqlite``) of each text's tokens.

    Attributes
    ----------
    stats
        Texts ``segmented`` and texts found ``cached`` so far.
    words
        Every word kept so far, by code (the codes of :meth:`encode`).
    """

    config: TokenizerConfig = field(default_factory=TokenizerConfig)
    cache_dir: str | Path | None = None
    stats: dict = field(default_factory=lambda: {"segmented": 0, "cached": 0}, init=False)
    words: list = field(default_factory=list, init=False, repr=False)
    _ids: dict = field(default_factory=dict, init=False, repr=False)  # word -> code in words, -1 dropped
    _backend: str = field(default="", init=False, repr=False)
    _fingerprint: str = field(default="", init=False, repr=False)
    _stopwords: frozenset = field(default=frozenset(), init=False, repr=False)
    _disk: object = field(default=None, init=False, repr=False)
    _jieba: object = field(default=None, init=False, repr=False)
    _rjieba: object = field(default=None, init=False, repr=False)
    _posseg: object = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._backend = self.config.resolved_backend()
        self._stopwords = stopword_set(self.config)
        self._fingerprint = self.config.fingerprint()
        if self.cache_dir is not None:
            from .._cache import ContentCache

            self._disk = ContentCache(self.cache_dir, "tokens")

    backend = property(lambda self: self._backend)

    @property
    def rjieba(self):
        """The process's ``rjieba.Jieba`` for this configuration (see :func:`_rjieba`)."""
        if self._rjieba is None:
            self._rjieba = _rjieba(self.config, self._fingerprint)
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
            return _without_surrogates(self.rjieba.cut, text, self.config.hmm)
        with _quiet_jieba():
            return self.jieba.lcut(text, HMM=self.config.hmm)

    def _tagged(self, text: str) -> list[tuple[str, str]]:
        if self.backend == "rjieba":
            return list(_without_surrogates(self.rjieba.tag, text, self.config.hmm))
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

    def codes_of(self, token_lists: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
        """``(codes of the kept tokens in order, kept tokens per list)``."""
        counts = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
        flat = np.fromiter(chain.from_iterable(token_lists), dtype=object, count=int(counts.sum()))
        return self._codes(flat, np.repeat(np.arange(len(token_lists)), counts), len(token_lists))

    def _codes(self, flat: np.ndarray, text_of: np.ndarray | None, n_texts: int) -> tuple[np.ndarray, np.ndarray]:
        """Codes of the kept tokens of ``flat`` and their count per text (``text_of``: each
        token's text; None: texts joined by newline tokens, never kept). Each new word is
        judged once (length, stopword, number) and coded in :attr:`words` (or -1)."""
        ids, words = self._ids, self.words
        local, distinct = pd.factorize(flat)  # one hash-table pass over the tokens, in C
        for word in distinct.tolist():
            if word not in ids:
                ids[word] = len(words) if self._keep(word) else -1
                if ids[word] >= 0:
                    words.append(word)
        if text_of is None:
            newline = np.flatnonzero(distinct == "\n")
            text_of = np.cumsum(local == newline[0]) if len(newline) else np.zeros(len(local), dtype=np.int64)
        codes = np.fromiter(map(ids.__getitem__, distinct), dtype=np.int64, count=len(distinct))[local]
        kept = codes >= 0
        return codes[kept], np.bincount(text_of[kept], minlength=n_texts)

    def encode(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """``(codes into words of the kept tokens, kept tokens per text)``, segmenting
        :data:`CHUNK_CHARS` characters at a time (one chunk's strings alive, not a corpus's)."""
        parts = [self._encode_chunk(chunk) for chunk in _chunked_by_chars(texts, CHUNK_CHARS)]
        if not parts:
            return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
        return np.concatenate([c for c, _ in parts]), np.concatenate([n for _, n in parts])

    def _encode_chunk(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        if self.config.pos:
            pos = self.config.pos
            return self.codes_of([[w for w, tag in self._tagged(text) if tag.startswith(pos)] for text in texts])
        if self.backend != "rjieba":
            return self.codes_of([self.segment(text) for text in texts])
        # One call per chunk: texts joined by newlines, which end every token (jieba never
        # joins across whitespace); newlines inside a text become spaces, never kept.
        joined = "\n".join(text.replace("\r", " ").replace("\n", " ") for text in texts)
        tokens = _without_surrogates(self.rjieba.cut, joined, self.config.hmm)
        return self._codes(np.fromiter(tokens, dtype=object, count=len(tokens)), None, len(texts))

    def cut(self, text: str) -> list[str]:
        """Filtered tokens of one text (from the cache when there is one)."""
        return _token_lists(self.words, *self.encode_cached([text]))[0]

    def encode_cached(self, texts: list[str], encode=None) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`encode` through the content cache: only texts it lacks are segmented
        (each distinct text once), by ``encode`` when given (the parallel path). Without a
        ``cache_dir`` every text is segmented."""
        encode = encode or self.encode
        if self._disk is None:
            self.stats["segmented"] += len(texts)
            return encode(texts)
        keys = [self.key(text) for text in texts]
        found = self._disk.get_many(list(dict.fromkeys(keys)))
        todo = {key: text for key, text in zip(keys, texts) if key not in found}
        entries = {}
        known = list(found)
        for start in range(0, len(known), 10_000):  # a slice at a time: few token strings alive at once
            part = known[start:start + 10_000]
            codes, lengths = self.codes_of([found[k].split("\n") if found[k] else [] for k in part])
            entries |= dict(zip(part, np.split(codes, np.cumsum(lengths)[:-1])))
        if todo:
            codes, lengths = encode(list(todo.values()))
            new = dict(zip(todo, np.split(codes, np.cumsum(lengths)[:-1])))
            self._disk.put_many({key: "\n".join(self.words[i] for i in c.tolist()) for key, c in new.items()})
            entries |= new
        self.stats["segmented"] += len(todo)
        self.stats["cached"] += sum(key not in todo for key in keys)
        parts = [entries[key] for key in keys]
        lengths = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
        return (np.concatenate(parts) if parts else np.array([], dtype=np.int64)), lengths


def _token_lists(words: list[str], codes: np.ndarray, lengths: np.ndarray) -> list[list[str]]:
    tokens = [words[i] for i in codes.tolist()]
    ends = np.cumsum(lengths).tolist()
    return [tokens[end - n:end] for end, n in zip(ends, lengths.tolist())]


def _without_surrogates(segmenter_method, text: str, hmm: bool):
    """Call an rjieba method, lone surrogates (which it cannot take) read as U+FFFD: one
    character for one, so offsets hold; like a surrogate, U+FFFD is never kept."""
    try:
        return segmenter_method(text, hmm)
    except UnicodeEncodeError:
        return segmenter_method(P.LONE_SURROGATE.sub("\ufffd", text), hmm)


@lru_cache(maxsize=4)
def _rjieba(config: TokenizerConfig, fingerprint: str):
    """An ``rjieba.Jieba`` with the configuration's user dictionary added word by word, in
    file order, with jieba's own frequency rule (so it cuts as the jieba backend does):
    one per process for each configuration and dictionary content (``fingerprint``),
    since loading it takes a while and cutting does not change it."""
    import rjieba

    segmenter = rjieba.Jieba()
    for word, freq, tag in user_dict_entries(config.dictionary_path()):
        segmenter.add_word(word, freq if freq is not None else segmenter.suggest_freq(word), tag or "x")
    return segmenter


def _encode_in_worker(config: TokenizerConfig, texts: list[str]) -> list[tuple[list[str], np.ndarray, np.ndarray]]:
    """A parallel task: the texts encoded by a fresh tokenizer, with the words its codes index."""
    tokenizer = Tokenizer(config)
    codes, lengths = tokenizer.encode(texts)
    return [(tokenizer.words, codes, lengths)]


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
        Segment on ``n_jobs`` local processes or on a Dask cluster; results equal the
        serial run.
    progress
        Show a progress bar (parallel runs).
    chunk_size
        Fewest texts per parallel task (tasks are otherwise one per worker, balanced by
        characters, and at most :data:`TASK_CHARS` characters each).

    Returns
    -------
    pandas.DataFrame
        One row per token: the unit's id columns, ``position`` (0-based within the
        unit, after filtering) and ``token``. Id and token columns are categorical
        (sorted categories): group with ``observed=True``.
    """
    from .._parallel import effective_jobs, map_chunks, worker_count

    tokenizer = tokenizer or Tokenizer()
    texts = units[text_column].fillna("").tolist()
    encode = None
    if texts and (client is not None or effective_jobs(n_jobs) > 1):
        def encode(todo: list[str]) -> tuple[np.ndarray, np.ndarray]:
            chars = sum(map(len, todo))
            limit = max(min(-(-chars // worker_count(n_jobs, client)), TASK_CHARS), chunk_size * chars // len(todo), 1)
            parts = map_chunks(partial(_encode_in_worker, tokenizer.config), _chunked_by_chars(todo, limit),
                               n_jobs=n_jobs, client=client, progress=progress, desc="tokenize")
            # Each worker's codes index its own words: re-coded into this tokenizer's.
            codes = [tokenizer.codes_of([words])[0][part] for words, part, _ in parts]
            return np.concatenate(codes), np.concatenate([lengths for _, _, lengths in parts])
    codes, lengths = tokenizer.encode_cached(texts, encode)
    return _token_table(units, codes, lengths, tokenizer.words)


def _token_table(units: pd.DataFrame, codes: np.ndarray, lengths: np.ndarray, words: list[str]) -> pd.DataFrame:
    """Id columns repeated per token, positions, and tokens with sorted categories."""
    present = lengths > 0  # units without tokens leave no unused categories
    columns = {}
    for c in (c for c in TOKEN_ID_COLUMNS if c in units.columns):
        ids = pd.Categorical(units[c].to_numpy(dtype=object)[present])  # per unit, then repeated
        columns[c] = pd.Categorical.from_codes(np.repeat(ids.codes, lengths[present]), ids.categories)
    starts = np.cumsum(lengths) - lengths
    columns["position"] = (np.arange(len(codes)) - np.repeat(starts, lengths)).astype(np.int32)
    used = np.flatnonzero(np.bincount(codes, minlength=len(words)))
    vocabulary = np.array([words[i] for i in used.tolist()], dtype=object)
    order = np.argsort(vocabulary, kind="stable")
    rank = np.zeros(len(words), dtype=np.int64)
    rank[used[order]] = np.arange(len(order))
    columns["token"] = pd.Categorical.from_codes(rank[codes], vocabulary[order])
    return pd.DataFrame(columns)


def _chunked_by_chars(texts: list[str], limit: int) -> list[list[str]]:
    """Consecutive chunks of texts, a new one starting after each ``limit`` characters."""
    if not texts:
        return []
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)))
    cuts = np.unique(np.searchsorted(ends, np.arange(limit, ends[-1], max(limit, 1)), side="left") + 1)
    bounds = [0, *cuts[cuts < len(texts)].tolist(), len(texts)]
    return [texts[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
