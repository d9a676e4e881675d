"""Trends: estimates, bootstrap intervals over units, determinism, bad input named."""

import numpy as np
import pandas as pd
import pytest

from govanalysis.text.trend import trend


def _table():
    rng = np.random.default_rng(1)
    rows = []
    for year, centre in [(2020, 1.0), (2021, 3.0)]:
        for d in range(30):
            rows.append({"doc_id": f"{year}-{d}", "year": year, "value": rng.normal(centre, 0.5),
                         "n_tokens": int(rng.integers(100, 1000))})
    return pd.DataFrame(rows)


def test_means_and_intervals():
    table = _table()
    result = trend(table, value="value", n_boot=500)
    assert result.columns.tolist() == ["year", "value", "low", "high", "n_units"]
    means = table.groupby("year")["value"].mean()
    assert np.allclose(result["value"], means.to_numpy())
    assert (result["low"] < result["value"]).all() and (result["value"] < result["high"]).all()
    assert (result["high"] - result["low"]).between(0.2, 0.6).all()  # about 4 standard errors of 0.09
    assert result["n_units"].tolist() == [30, 30]
    pd.testing.assert_frame_equal(result, trend(table, value="value", n_boot=500))


def test_weighted_mean_is_the_pooled_rate_and_units_are_clusters():
    table = _table()
    result = trend(table, value="value", weight="n_tokens", n_boot=200)
    pooled = table.assign(x=table.value * table.n_tokens).groupby("year")[["x", "n_tokens"]].sum()
    assert np.allclose(result["value"], (pooled.x / pooled.n_tokens).to_numpy())
    # Two rows per document: the same documents, so the same estimate and number of units.
    doubled = trend(pd.concat([table, table]), value="value", n_boot=200)
    assert np.allclose(doubled["value"], trend(table, value="value", n_boot=200)["value"])
    assert doubled["n_units"].tolist() == [30, 30]


def test_a_groups_interval_does_not_depend_on_other_groups():
    table = _table()
    both = trend(table, value="value", n_boot=300)
    alone = trend(table[table.year == 2021], value="value", n_boot=300)
    pd.testing.assert_frame_equal(both.iloc[[1]].reset_index(drop=True), alone)


def test_one_unit_gives_a_point_interval():
    result = trend(pd.DataFrame({"doc_id": ["a"], "year": [2020], "v": [2.0]}), value="v")
    assert result[["v", "low", "high", "n_units"]].values.tolist() == [[2.0, 2.0, 2.0, 1]]


def test_bad_input_names_the_rows():
    table = _table()
    table.loc[3, "year"] = None
    with pytest.raises(ValueError, match="1 rows have no 'year': units 2020-3"):
        trend(table, value="value")
    table = _table().astype({"value": object})
    table.loc[5, "value"] = "n/a"
    with pytest.raises(ValueError, match="non-numeric 'value': units 2020-5"):
        trend(table, value="value")
    with pytest.raises(ValueError, match="no column 'theme'"):
        trend(_table(), by="theme", value="value")
