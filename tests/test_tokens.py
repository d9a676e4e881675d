"""Tokens: the field's terms stay whole, stopwords go, results are cached and stable."""

import jieba
import pytest

from govanalysis.tokens import Tokenizer, TokenizerConfig, read_word_list, data_path, tokenize

FIELD_TERMS = ["一网通办", "一窗通办", "最多跑一次", "好差评", "信息孤岛", "数据壁垒", "电子证照",
               "政务云", "迁移上云", "12345热线", "免申即享", "无证明城市", "互联网+监管", "粤省事"]


@pytest.fixture(scope="module")
def tokenizer():
    return Tokenizer()


@pytest.mark.parametrize("term", FIELD_TERMS)
def test_field_terms_stay_whole(tokenizer, term):
    assert term in tokenizer.segment(f"各地深化{term}改革工作")


def test_default_jieba_splits_them_so_the_dictionary_matters():
    plain = Tokenizer(TokenizerConfig(user_dict="", stopwords=False, min_length=1))
    split = [t for t in FIELD_TERMS if t not in plain.segment(f"各地深化{t}改革工作")]
    assert len(split) >= len(FIELD_TERMS) // 2


def test_global_jieba_is_not_touched(tokenizer):
    tokenizer.segment("推进一窗通办")
    assert "一窗通办" not in jieba.lcut("推进一窗通办", HMM=False)


def test_stopwords_and_filters(tokenizer):
    tokens = tokenizer.cut("我们要进一步加强和深化数据共享工作，2020年完成87.15%的目标，的")
    assert "数据共享" in tokens
    for gone in ["我们", "进一步", "加强", "深化", "工作", "的", "2020", "87.15"]:
        assert gone not in tokens
    kept = Tokenizer(TokenizerConfig(keep_numbers=True, min_length=1)).cut("完成87.15%")
    assert "87" in kept  # jieba (HMM off) cuts decimals at the point


def test_gov_stopword_list_is_plain_text():
    words = read_word_list(data_path("stopwords_gov.txt"))
    assert {"推进", "加强", "深化", "进一步", "全面", "工作", "开展"} <= set(words)
    assert len(read_word_list(data_path("user_dict.txt"))) >= 300


def test_pos_filter_keeps_only_requested_tags():
    nouns = Tokenizer(TokenizerConfig(pos=("n",))).cut("群众高度评价政务服务中心")
    assert "群众" in nouns and "评价" not in nouns


def test_cache_skips_segmentation_and_persists(tmp_path):
    first = Tokenizer(cache_dir=tmp_path)
    tokens = first.cut("推进一网通办和数据共享")
    assert first.stats == {"segmented": 1, "cached": 0}
    assert first.cut("推进一网通办和数据共享") == tokens
    assert first.stats["cached"] == 1
    second = Tokenizer(cache_dir=tmp_path)
    assert second.cut("推进一网通办和数据共享") == tokens
    assert second.stats == {"segmented": 0, "cached": 1}
    other = Tokenizer(TokenizerConfig(min_length=1), cache_dir=tmp_path)
    other.cut("推进一网通办和数据共享")
    assert other.stats["segmented"] == 1  # another configuration is another key


def test_tokenize_keeps_ids_and_is_deterministic(seeds_corpus, tokenizer):
    a = tokenize(seeds_corpus.paragraphs, tokenizer)
    b = tokenize(seeds_corpus.paragraphs, Tokenizer())
    assert a.equals(b)
    assert a.columns.tolist() == ["doc_id", "section_id", "paragraph_id", "role", "position", "token"]
    assert set(a.paragraph_id) <= set(seeds_corpus.paragraphs.paragraph_id)
    assert (a.token.str.len() >= 2).all()


def test_fast_backend_is_the_default_and_cuts_like_jieba(seeds_corpus):
    fast, reference = Tokenizer(), Tokenizer(TokenizerConfig(backend="jieba"))
    assert fast.backend == "rjieba" and reference.backend == "jieba"
    for text in seeds_corpus.paragraphs.text:
        assert fast.segment(text) == reference.segment(text)
    assert tokenize(seeds_corpus.paragraphs, fast).equals(tokenize(seeds_corpus.paragraphs, reference))


def test_hmm_falls_back_to_the_reference_backend():
    assert TokenizerConfig(hmm=True).resolved_backend() == "jieba"
    with pytest.raises(ValueError, match="backend"):
        TokenizerConfig(backend="spacy").resolved_backend()
    assert TokenizerConfig(backend="jieba").fingerprint() != TokenizerConfig().fingerprint()


def test_token_table_columns_are_sorted_categoricals(seeds_corpus):
    tokens = tokenize(seeds_corpus.paragraphs)
    for column in ("doc_id", "section_id", "paragraph_id", "role", "token"):
        categories = tokens[column].cat.categories
        assert list(categories) == sorted(categories)
        assert set(categories) == set(tokens[column].astype(str))  # no unused categories
    parsed = seeds_corpus.docs.query("status in ('ok', 'warning')").doc_id
    assert tokens.groupby("doc_id", observed=True).size().index.tolist() == sorted(parsed)


def test_units_without_tokens_leave_no_categories():
    import pandas as pd

    units = pd.DataFrame({"doc_id": ["a", "b", "c"], "paragraph_id": ["a1", "b1", "c1"],
                          "text": ["推进数据共享", "的了吗", ""]})
    tokens = tokenize(units)
    assert list(tokens.doc_id.cat.categories) == ["a"]
    assert tokenize(units.iloc[:0]).empty


def test_positions_restart_in_every_unit():
    import numpy as np

    from govanalysis.tokens import _positions

    lengths = np.array([0, 3, 0, 2, 1, 0])
    assert _positions(lengths).tolist() == [0, 1, 2, 0, 1, 0]
    assert _positions(np.array([0, 0])).tolist() == []


@pytest.mark.parametrize("spans, expected", [
    # (text, [(start, length), ...]) -> codes: equal spans equal codes, numbered by first appearance
    (("数字政府数字政府", [(0, 4), (4, 4)]), [0, 0]),
    (("数字政府数字政", [(0, 4), (4, 3)]), [0, 1]),  # a prefix is another word
    (("数字政府建设数字政府", [(0, 6), (6, 4), (0, 4)]), [0, 1, 1]),
    (("政务服务数据管理局政务服务数据管理", [(0, 9), (9, 8)]), [0, 1]),  # differ after 6 characters
    (("政务服务数据管理局政务服务数据管理局", [(9, 9), (0, 9)]), [0, 0]),
    (("ab𠀀ab𠀀", [(0, 3), (3, 3), (0, 2)]), [0, 0, 1]),  # astral characters are one point
    (("一一一", [(0, 1), (1, 1), (2, 1)]), [0, 0, 0]),
    (("a\x00a", [(0, 1), (0, 2), (2, 1)]), [0, 1, 0]),  # a NUL is a character, not "none"
    (("\x00\x00", [(0, 1), (0, 2), (1, 1)]), [0, 1, 0]),
])
def test_span_codes_are_exact(spans, expected):
    import numpy as np
    import pandas as pd

    from govanalysis.tokens import _span_codes

    text, pairs = spans
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    starts = np.array([s for s, _ in pairs], dtype=np.int64)
    lengths = np.array([n for _, n in pairs], dtype=np.int64)
    codes, first = _span_codes(points, starts, lengths)
    assert pd.factorize(codes)[0].tolist() == expected  # the same partition of the spans
    assert sorted(set(codes.tolist())) == list(range(len(first)))  # dense
    for code, index in enumerate(first):
        assert index == codes.tolist().index(code)  # the first span with that code


ODD_TEXTS = [
    "推进一网通办\n和数据共享",  # a newline inside a unit (sections, documents)
    "行末回车\r\n下一行",
    "",
    "，。！？",
    "   \u3000 ",
    "a" * 300 + "数据共享",  # a token longer than 255 characters
    "𠀀𠀁数据共享😀政务云",
    "网办率达87.15%，满意率99.8%，3452份",
    "\x00控制字符\x07",
    "孤立的代理项\ud800数据共享\udfff",  # lone surrogates (a lenient JSON decoder lets them in)
]


@pytest.mark.parametrize("config", [TokenizerConfig(), TokenizerConfig(min_length=1, stopwords=False, keep_numbers=True),
                                    TokenizerConfig(pos=("n",)), TokenizerConfig(backend="jieba")])
def test_encoding_matches_token_lists(seeds_corpus, config):
    import numpy as np

    texts = ODD_TEXTS + seeds_corpus.paragraphs.text.tolist()[:60] + seeds_corpus.sections.text.tolist()[:5]
    tokenizer = Tokenizer(config)
    codes, lengths = tokenizer.encode_many(texts)
    vocabulary = tokenizer.vocabulary
    encoded = [list(vocabulary[codes[end - n:end]]) for end, n in zip(np.cumsum(lengths), lengths)]
    assert encoded == Tokenizer(config).cut_many(texts)
    assert len(lengths) == len(texts)


def test_tokenize_chunks_share_one_vocabulary(seeds_corpus, monkeypatch):
    import govanalysis.tokens as tokens

    whole = tokenize(seeds_corpus.paragraphs, Tokenizer())
    original = tokens._chunked_by_chars
    monkeypatch.setattr(tokens, "_chunked_by_chars", lambda texts, limit: original(texts, 2_000))
    assert tokenize(seeds_corpus.paragraphs, Tokenizer()).equals(whole)


@pytest.mark.parametrize("config, colliding", [
    (TokenizerConfig(), False),
    (TokenizerConfig(min_length=1, stopwords=False, keep_numbers=True), False),
    (TokenizerConfig(), True),  # mixed keys made to collide for every shared first three characters
])
def test_words_known_by_key_are_the_words_read_back(seeds_corpus, config, colliding, monkeypatch):
    # Call after call, words come from the key index (built, then waiting keys, then
    # rebuilt as it grows): the tokens must stay those of the token lists.
    import numpy as np

    import govanalysis.tokens as tokens

    if colliding:
        monkeypatch.setattr(tokens, "_mixed_key", lambda head, tail: head)

    texts = ODD_TEXTS + ["a\x00a a a\x00"] + seeds_corpus.paragraphs.text.tolist()
    tokenizer, reference = Tokenizer(config), Tokenizer(config)
    sizes, waited = [], False
    for batch in np.array_split(np.arange(len(texts)), 15):
        part = [texts[i] for i in batch]
        codes, lengths = tokenizer.encode_many(part)
        vocabulary = tokenizer.vocabulary
        encoded = [list(vocabulary[codes[end - n:end]]) for end, n in zip(np.cumsum(lengths), lengths)]
        assert encoded == reference.cut_many(part)
        sizes.append(0 if tokenizer._key_index is None else len(tokenizer._key_index))
        waited = waited or bool(tokenizer._new_keys)
    assert waited and len(set(sizes) - {0}) >= 2  # keys waited, and the index was rebuilt


def test_keep_many_decides_as_keep_does(seeds_corpus):
    words = ["数据共享", "的", "我们", "推进", "87.15", "2020", "12345热线", "5G", "--", "\r\n", "ab", "Ⅷ",
             "一二三", "100万", "％", "  ", "𠀀𠀁", "😀😀", "x"]
    for config in (TokenizerConfig(), TokenizerConfig(min_length=1, stopwords=False, keep_numbers=True)):
        tokenizer = Tokenizer(config)
        vocabulary = words + sorted({w for text in seeds_corpus.paragraphs.text[:80] for w in tokenizer.segment(text)})
        assert tokenizer.keep_many(vocabulary).tolist() == [tokenizer._keep(w) for w in vocabulary]


def test_the_same_texts_again_come_from_memory(seeds_corpus):
    units = seeds_corpus.paragraphs
    tokenizer = Tokenizer()
    first = tokenize(units, tokenizer)
    segmented = tokenizer.stats["segmented"]
    assert tokenize(units.copy(deep=True), tokenizer).equals(first)  # equal texts, not the same objects
    assert tokenizer.stats["segmented"] == segmented
    changed = units.assign(text=units.text.str.replace("数据", "资料", regex=False))
    assert tokenize(changed, tokenizer).equals(tokenize(changed))
    assert tokenizer.stats["segmented"] > segmented


@pytest.mark.parametrize("sizes, limit", [([2, 3, 1, 4, 1], 3), ([10, 1], 3), ([], 5), ([0, 0], 3), ([2], 100),
                                          ([1] * 50, 7)])
def test_chunks_by_characters_keep_every_text_in_order(sizes, limit):
    from govanalysis.tokens import _chunked_by_chars

    texts = ["字" * n + str(i) for i, n in enumerate(sizes)]
    chunks = _chunked_by_chars(texts, limit)
    assert [t for chunk in chunks for t in chunk] == texts
    assert all(chunks)
    assert all(sum(map(len, chunk[:-1])) < limit for chunk in chunks)  # closed once past the limit


@pytest.mark.parametrize("words", [
    ["数据共享", "数据", "ab", "AB", "a", "𠀀", "😀", "一网通办", "12345热线", "b", "数据共享平台", "Z"],
    ["x" * 40, "数据", "a"],  # a long one: sorted as objects
    [],
])
def test_strings_sort_in_python_order(words):
    import numpy as np

    from govanalysis.tokens import _argsort_strings

    values = np.array(words, dtype=object)
    assert values[_argsort_strings(values)].tolist() == sorted(words)


def test_tokenizers_share_a_segmenter_until_the_dictionary_changes(tmp_path):
    path = tmp_path / "dict.txt"
    path.write_text("一网通办 1000 n\n", "utf-8")
    config = TokenizerConfig(user_dict=str(path))
    first, second = Tokenizer(config), Tokenizer(config)
    assert first.rjieba is second.rjieba  # loaded once per process
    assert "数据孤岛" not in first.segment("破除数据孤岛")
    path.write_text("一网通办 1000 n\n数据孤岛 1000 n\n", "utf-8")  # same path, new content
    edited = Tokenizer(config)
    assert edited.rjieba is not first.rjieba
    assert "数据孤岛" in edited.segment("破除数据孤岛")


def test_no_token_strings_stay_pinned_after_a_call(seeds_corpus, monkeypatch):
    import govanalysis.tokens as tokens

    monkeypatch.setattr(tokens, "CHUNK_CHARS", 2_000)  # many chunks: pins carried between them
    pinned = []
    original = Tokenizer.encode_lines

    def encode_lines(self, *args):
        result = original(self, *args)
        pinned.append(len(self._pinned or []))
        return result

    monkeypatch.setattr(Tokenizer, "encode_lines", encode_lines)
    tokenizer = Tokenizer()
    tokenize(seeds_corpus.paragraphs, tokenizer)
    assert len(pinned) > 3 and min(pinned) > 0  # pinned between chunks
    assert tokenizer._pinned is None  # and released after the call
    tokenizer.encode_many(seeds_corpus.paragraphs.text.tolist()[:50])  # a direct call pins nothing
    assert tokenizer._pinned is None
