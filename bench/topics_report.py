"""Issue-4 report: segmentation of field terms with and without the domain dictionary,
the choose_k table on a corpus's paragraphs, and fit times.

Usage: python bench/topics_report.py [CORPUS_DIR ...]   (default: seeds)
"""

from __future__ import annotations

import sys
import time

import govanalysis as ga
from govanalysis.text.tokens import Tokenizer, TokenizerConfig, tokenize
from govanalysis.text.topics import choose_k, fit_topics

FIELD_TERMS = [
    "一网通办", "一窗通办", "一窗受理", "最多跑一次", "好差评", "数据共享", "信息孤岛", "数据壁垒", "数据回流",
    "数据归集", "共享交换", "电子证照", "免证办", "无证明城市", "政务云", "迁移上云", "政务外网", "12345热线",
    "接诉即办", "免申即享", "不见面审批", "全程网办", "跨省通办", "容缺受理", "告知承诺", "综合窗口",
    "无差别受理", "互联网+监管", "粤省事", "一件事一次办",
]


def main() -> None:
    plain = Tokenizer(TokenizerConfig(user_dict="", stopwords=False, min_length=1))
    domain = Tokenizer(TokenizerConfig(stopwords=False, min_length=1))
    whole_plain = whole_domain = 0
    print("term | default jieba | with the domain dictionary")
    for term in FIELD_TERMS:
        a, b = plain.segment(term), domain.segment(term)
        whole_plain += a == [term]
        whole_domain += b == [term]
        print(f"{term} | {'/'.join(a)} | {'/'.join(b)}")
    print(f"kept whole: default {whole_plain}/{len(FIELD_TERMS)}, with dictionary {whole_domain}/{len(FIELD_TERMS)}")
    for folder in sys.argv[1:] or ["seeds"]:
        corpus = ga.parse_corpus(folder, progress=False)
        tokens = tokenize(corpus.paragraphs)
        start = time.perf_counter()
        selection = choose_k(tokens, range(3, 13))
        seconds = time.perf_counter() - start
        print(f"\n{folder}: {tokens.paragraph_id.nunique()} paragraphs, {len(tokens)} tokens; "
              f"choose_k (k=3..12, 10 resamples each) {seconds:.1f} s")
        print(selection.table.to_string(index=False))
        for k in (selection.k, 10, 20):
            start = time.perf_counter()
            fit_topics(tokens, k)
            print(f"fit_topics k={k}: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
