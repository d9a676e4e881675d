"""Places: short, old and ambiguous forms resolved against the division dataset."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govanalysis.parse.cleaning import to_simplified
from govanalysis.parse.regions import find_mentions, gazetteer, resolve_region


def test_gazetteer_is_complete():
    units = gazetteer().units
    counts = units["level"].value_counts()
    assert counts["province"] == 34
    assert counts["prefecture"] >= 330
    assert counts["county"] >= 2800


@pytest.mark.parametrize(
    "text, trusted, expected",
    [
        ("清远市政务服务数据管理局2020年上半年工作总结", True, ("广东省", "清远市", None, "prefecture")),
        ("广州市白云区政务服务数据管理局2021年法治政府建设年度报告", True, ("广东省", "广州市", "白云区", "county")),
        ("韶关市武江区政务服务数据管理局", True, ("广东省", "韶关市", "武江区", "county")),
        ("武江区免征收残疾人就业保障金", False, ("广东省", "韶关市", "武江区", "county")),
        ("恩施州政务服务和大数据管理局认真贯彻落实", False, ("湖北省", "恩施土家族苗族自治州", None, "prefecture")),
        (to_simplified("做好2020年梅縣區數字政府改革建設工作"), False, ("广东省", "梅州市", "梅县区", "county")),
        ("梅县政务服务中心", False, ("广东省", "梅州市", "梅县区", "county")),
        ("2025年云南省政府工作报告", True, ("云南省", None, None, "province")),
        ("2025年内蒙古自治区政府工作报告", True, ("内蒙古自治区", None, None, "province")),
        ("广西数字政府建设", True, ("广西壮族自治区", None, None, "province")),
        ("潜江市政务服务和大数据管理局", True, ("湖北省", None, "潜江市", "county")),
        ("天津市静海区人民政府", True, ("天津市", "天津市", "静海区", "county")),
        ("gwr2024 三亚", True, ("海南省", "三亚市", None, "prefecture")),
        ("黔东南州", False, ("贵州省", "黔东南苗族侗族自治州", None, "prefecture")),
        ("广东省梅州市梅县区", False, ("广东省", "梅州市", "梅县区", "county")),
    ],
)
def test_resolve_region(text, trusted, expected):
    region = resolve_region([(text, trusted)])
    assert (region.province, region.city, region.county, region.admin_level) == expected


@pytest.mark.parametrize("text", ["白云区政务服务数据管理局", "朝阳区", "城区政务服务中心", "XX区大数据管理局"])
def test_ambiguous_or_generic_names_are_not_guessed(text):
    assert resolve_region([(text, True)]).code is None


@pytest.mark.parametrize(
    "context, city",
    [("本区地处广州市北部，毗邻花都区。", "广州市"), ("贵阳市委、市政府部署要求", "贵阳市")],
)
def test_ambiguous_name_settled_by_context(context, city):
    region = resolve_region([("白云区政务服务数据管理局", True)], context=context)
    assert region.city == city and region.county == "白云区"


def test_short_forms_only_in_trusted_zones():
    text = "平安康乐，中山路上"  # 安康 and 中山 are also cities
    assert find_mentions(text, allow_short=False) == []
    assert resolve_region([(text, False)]).code is None


def test_first_zone_with_a_place_decides():
    region = resolve_region([("2020年工作情况总结", True), ("恩施州政务服务", False), ("深圳市", False)])
    assert region.city == "恩施土家族苗族自治州"
    assert region.span == "恩施州"


def _scan(text, allow_short):
    """The plain scan find_mentions replaces: at each position the longest form, else move on."""
    gaz = gazetteer()
    forms = {f: e for f, e in gaz.by_name.items() if len(f) >= 2 and (allow_short or not e[1])}
    longest = max(map(len, forms))
    found, i = [], 0
    while i < len(text):
        for length in range(min(longest, len(text) - i), 1, -1):
            if text[i : i + length] in forms:
                found.append((i, i + length, forms[text[i : i + length]][0]))
                i += length
                break
        else:
            i += 1
    return found


def _as_tuples(mentions):
    return [(m.start, m.end, m.codes) for m in mentions]


@pytest.mark.parametrize("allow_short", [False, True])
def test_find_mentions_equals_the_plain_scan_on_real_text(seeds_corpus, allow_short):
    for text in seeds_corpus.docs["text"]:
        assert _as_tuples(find_mentions(text, allow_short=allow_short)) == _scan(text, allow_short)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(sorted(gazetteer().by_name)[::7] + ["市", "县", "区", "的", "省", "自治"]),
                max_size=12))
def test_find_mentions_equals_the_plain_scan_on_packed_names(pieces):
    # Names glued together overlap every way a longest-match scan can go wrong.
    text = "".join(pieces)
    for allow_short in (False, True):
        assert _as_tuples(find_mentions(text, allow_short=allow_short)) == _scan(text, allow_short)


def test_find_mentions_reads_a_lone_surrogate_as_no_text():
    assert _as_tuples(find_mentions("\ud800广东省清远市")) == _as_tuples(find_mentions("\ufffd广东省清远市"))


def _resolve_eagerly(zones, context=""):
    """The plain form of resolve_region: every zone and the context scanned up front."""
    from govanalysis.parse.regions import NO_REGION, _chains, _resolve_chain, region_of

    mentions = [find_mentions(text, allow_short=trusted) for text, trusted in zones]
    context_codes = set()
    if any(len(m.codes) > 1 for found in mentions for m in found):
        everything = [*(find_mentions(context) if context else []), *(m for found in mentions for m in found)]
        context_codes = {m.codes[0] for m in everything if len(m.codes) == 1}
    for (text, _), found in zip(zones, mentions):
        for chain in _chains(found):
            code = _resolve_chain(chain, context_codes)
            if code is not None:
                return region_of(code, text[chain[0].start: chain[-1].end])
    return NO_REGION


_AMBIGUOUS = sorted(name for name, (codes, _) in gazetteer().by_name.items() if len(codes) > 1)[::3]
# The provinces and cities that settle them: 北京市 + 朝阳区.
_SETTLING = sorted({gazetteer().name(a) for name in _AMBIGUOUS for code in gazetteer().by_name[name][0]
                    for a in gazetteer().ancestors(code)[1:]})
_PLACES = sorted(gazetteer().by_name)[::97] + _AMBIGUOUS + _SETTLING + ["", "关于", "工作", "的"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(_PLACES), max_size=3).map("".join), st.booleans()),
                min_size=1, max_size=5),
       st.lists(st.sampled_from(_PLACES), max_size=4).map("".join))
def test_resolve_region_equals_scanning_every_zone_first(zones, context):
    assert len(_AMBIGUOUS) > 10
    assert resolve_region(zones, context=context) == _resolve_eagerly(zones, context)
