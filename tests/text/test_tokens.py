"""Tokens: the field's terms stay whole, stopwords go, results are cached and stable."""

import jieba
import pytest

from govanalysis._data import data_path, read_word_list
from govanalysis.text.tokens import Tokenizer, TokenizerConfig, _token_lists, tokenize

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


@pytest.mark.parametrize("config", [TokenizerConfig(),
                                    TokenizerConfig(min_length=1, stopwords=False, keep_numbers=True),
                                    TokenizerConfig(pos=("n",)), TokenizerConfig(backend="jieba")])
def test_tokens_are_the_segmenter_s_words_the_filters_keep(seeds_corpus, config):
    """The table equals the plain reading: segment each text, keep what _keep keeps."""
    import pandas as pd

    units = pd.concat([seeds_corpus.paragraphs.head(60),
                       pd.DataFrame({"paragraph_id": [f"odd{i}" for i in range(len(ODD_TEXTS))], "text": ODD_TEXTS},
                                    dtype=object)])  # pyarrow-backed strings refuse lone surrogates
    tokenizer = Tokenizer(config)
    table = tokenize(units, tokenizer)
    plain = Tokenizer(config)
    for paragraph_id, text in zip(units.paragraph_id, units.text):
        words = ([w for w, tag in plain._tagged(text) if tag.startswith(config.pos)] if config.pos
                 else plain.segment(text))
        expected = [w for w in words if plain._keep(w)]
        got = table[table.paragraph_id == paragraph_id]
        assert got.token.astype(str).tolist() == expected
        assert got.position.tolist() == list(range(len(expected)))
    categories = list(table.token.cat.categories)
    assert categories == sorted(categories)  # Python's order, astral characters included
    encoded = _token_lists(tokenizer.words, *tokenizer.encode(list(units.text)))
    assert encoded == [plain.cut(text) for text in units.text]


@pytest.mark.parametrize("sizes, limit", [([2, 3, 1, 4, 1], 3), ([10, 1], 3), ([], 5), ([0, 0], 3), ([2], 100),
                                          ([1] * 50, 7)])
def test_chunks_by_characters_keep_every_text_in_order(sizes, limit):
    from govanalysis.text.tokens import _chunked_by_chars

    texts = ["字" * n + str(i) for i, n in enumerate(sizes)]
    chunks = _chunked_by_chars(texts, limit)
    assert [t for chunk in chunks for t in chunk] == texts
    assert all(chunks)
    assert all(sum(map(len, chunk[:-1])) < limit for chunk in chunks)  # closed once past the limit


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

