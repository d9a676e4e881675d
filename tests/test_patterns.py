"""The guarded patterns of ``_patterns`` find what their plain forms find."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govanalysis import _patterns as P


def _finds(pattern, text):
    return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]


@pytest.mark.parametrize("name", sorted(P.GUARDED_SOURCES))
def test_guarded_pattern_equals_its_plain_form_on_seeds(name, seeds_corpus):
    guarded, plain = getattr(P, name), re.compile(P.GUARDED_SOURCES[name])
    texts = seeds_corpus.paragraphs.text.tolist() + seeds_corpus.docs.raw_text.tolist()
    assert all(_finds(guarded, t) == _finds(plain, t) for t in texts if isinstance(t, str))


@pytest.mark.parametrize("name", sorted(P.GUARDED_SOURCES))
def test_guarded_pattern_equals_its_plain_form(name):
    guarded, plain = getattr(P, name), re.compile(P.GUARDED_SOURCES[name])
    # Text from the characters the pattern spells (its literals, digits, spaces) and any other.
    alphabet = sorted(set(P.GUARDED_SOURCES[name]) - set("()[]{}?*+|^$\\<>=!:P") | set("0123456789 /．>"))

    dense = st.lists(st.sampled_from(alphabet), max_size=10).map("".join)
    mixed = st.text(alphabet=st.sampled_from(alphabet) | st.characters(blacklist_categories=("Cs",)), max_size=30)
    matching = st.from_regex(P.GUARDED_SOURCES[name])  # text holding a match of the plain form

    @settings(max_examples=1000, deadline=None)
    @given(matching | dense | mixed)
    def check(text):
        assert _finds(guarded, text) == _finds(plain, text)

    check()
