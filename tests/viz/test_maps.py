"""The tile-grid map: every province in its place, joined on province_code; bad codes named."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from govanalysis.parse.regions import gazetteer, provinces  # noqa: E402
from govanalysis.viz.maps import province_map, province_tiles  # noqa: E402


def test_the_province_table_covers_the_division_data_once():
    table = provinces()
    units = gazetteer().units
    assert sorted(table.province_code) == sorted(units.loc[units.level == "province", "code"])
    assert not table[["row", "col"]].duplicated().any()  # one tile each
    assert table.region.value_counts().to_dict() == {"west": 12, "east": 10, "central": 6, "northeast": 3}
    names = dict(zip(units.code, units.name))
    assert all(names[c] == n for c, n in zip(table.province_code, table.name))


def test_tiles_are_in_rough_geographic_place():
    place = provinces().set_index("short_name")[["row", "col"]]
    assert place.loc["黑龙江", "row"] < place.loc["北京", "row"] < place.loc["广东", "row"] < place.loc["海南", "row"]
    assert place.loc["新疆", "col"] < place.loc["四川", "col"] < place.loc["湖北", "col"] < place.loc["上海", "col"]


def test_join_accepts_two_and_six_digit_codes():
    data = pd.DataFrame({"province_code": ["11", 310000, "440000"], "v": [1.0, 2.0, 3.0]})
    tiles = province_tiles(data, value="v")
    assert len(tiles) == 34 and tiles.v.notna().sum() == 3
    assert tiles.set_index("short_name").loc[["北京", "上海", "广东"], "v"].tolist() == [1.0, 2.0, 3.0]


def test_map_draws_a_tile_per_province_with_chinese_labels_and_a_colour_bar():
    data = provinces().assign(v=range(34))
    fig, ax = plt.subplots()
    assert province_map(data, value="v", ax=ax) is ax
    assert len(ax.patches) == 34
    assert {"北京", "新疆", "台湾"} <= {t.get_text() for t in ax.texts}
    assert len(fig.axes) == 2  # the map and its colour bar
    plt.close(fig)


def test_bad_codes_and_duplicates_are_named():
    with pytest.raises(ValueError, match=r"not a province in the division data: row 1 \('990000'\)"):
        province_tiles(pd.DataFrame({"province_code": ["110000", "990000"], "v": [1, 2]}), value="v")
    with pytest.raises(ValueError, match=r"row 0 \(None\)"):
        province_tiles(pd.DataFrame({"province_code": [None], "v": [1]}), value="v")
    with pytest.raises(ValueError, match="more than once.*110000"):
        province_tiles(pd.DataFrame({"province_code": ["11", "110000"], "v": [1, 2]}), value="v")
    with pytest.raises(ValueError, match="non-numeric 'v': 110000 \\('high'\\)"):
        province_tiles(pd.DataFrame({"province_code": ["11"], "v": ["high"]}), value="v")
