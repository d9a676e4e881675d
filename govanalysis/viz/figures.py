"""Figures: one house style, seaborn-shaped plot functions, one save function.

Chinese is drawn with Noto Sans CJK SC (SIL Open Font License), which the ``mplfonts``
package installs with pip, so a fresh machine renders 数据共享 without tofu boxes and
without "Glyph missing" warnings. Plot functions take ``data`` plus keyword-only column
names and ``ax=None``, return the Axes, and never save or change global style;
:func:`use_house_style` sets the style once (notebooks call it in their imports cell) and
:func:`save_figure` is the only writer of ``figures/``: PNG at a fixed dpi, SVG with a
fixed hash salt and no date, and the data behind the figure as a CSV of the same stem,
so two runs give byte-identical files.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

FONT_FAMILY = "Noto Sans CJK SC"
FONT_FILE = "NotoSansCJKsc-Regular.otf"
DPI = 150
ROLE_ORDER = ["preamble", "achievements", "problems", "plans", "safeguards", "other"]
ROLE_COLORS = {"preamble": "#9e9e9e", "achievements": "#2a9d8f", "problems": "#e76f51",
               "plans": "#264653", "safeguards": "#e9c46a", "other": "#bdbdbd"}
_RC = {
    "axes.unicode_minus": False,  # the CJK font has no U+2212; use a hyphen-minus
    "svg.hashsalt": "govanalysis",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "savefig.dpi": DPI,
    "figure.dpi": 100,
    "figure.autolayout": False,
    "axes.titlesize": 12,
}


@lru_cache(maxsize=1)
def font_path() -> Path:
    """Path of the Noto Sans CJK SC font file installed by ``mplfonts``."""
    from importlib import resources

    path = Path(str(resources.files("mplfonts").joinpath("fonts", FONT_FILE)))
    if not path.exists():
        raise FileNotFoundError(f"{FONT_FILE} not found in the mplfonts package; reinstall govanalysis")
    return path


def use_house_style() -> None:
    """Register the CJK font and set the package's seaborn theme (call once, explicitly)."""
    import seaborn as sns
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(font_path()))
    # set_theme resets rcParams, so the font goes in through it, not before it.
    sns.set_theme(style="whitegrid", context="notebook", font=FONT_FAMILY, rc=_RC)


def save_figure(fig, name: str, data: pd.DataFrame, out_dir: str | Path = "figures") -> list[Path]:
    """Write ``name``.png, ``name``.svg and ``name``.csv (the data behind the figure).

    Returns the three paths. Metadata that would change between runs (dates, software
    versions) is left out, so the same figure gives the same bytes.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    png, svg, csv = (out / f"{name}.{ext}" for ext in ("png", "svg", "csv"))
    fig.savefig(png, dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    fig.savefig(svg, bbox_inches="tight", metadata={"Date": None, "Creator": None})
    data.to_csv(csv, index=False, encoding="utf-8", lineterminator="\n")
    return [png, svg, csv]


def _axes(ax):
    import matplotlib.pyplot as plt

    return ax if ax is not None else plt.gca()


def heatmap(data: pd.DataFrame, *, x: str, y: str, value: str, ax=None, fmt: str = ".2f",
            cmap: str = "rocket_r", annot: bool = True, x_order=None, y_order=None, **kwargs):
    """Heatmap of a long table: one cell per (``y``, ``x``) with ``value``."""
    import seaborn as sns

    matrix = data.pivot_table(index=y, columns=x, values=value, aggfunc="sum", sort=True)
    if x_order is not None:
        matrix = matrix.reindex(columns=[c for c in x_order if c in matrix.columns])
    if y_order is not None:
        matrix = matrix.reindex(index=[r for r in y_order if r in matrix.index])
    ax = _axes(ax)
    sns.heatmap(matrix, ax=ax, annot=annot, fmt=fmt, cmap=cmap, linewidths=0.5, cbar_kws={"shrink": 0.7}, **kwargs)
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    return ax


def k_selection_plot(data: pd.DataFrame, *, k: str = "k", stability: str = "stability",
                     coherence: str = "coherence", recommended: str = "recommended", ax=None):
    """Stability and coherence against k, the recommended k marked."""
    ax = _axes(ax)
    ax.plot(data[k], data[stability], marker="o", label="stability (top-term agreement)", color="#264653")
    ax.plot(data[k], data[coherence], marker="s", label="coherence (NPMI)", color="#e76f51")
    if recommended in data:
        best = data.loc[data[recommended], k]
        for value in best:
            ax.axvline(value, color="#2a9d8f", linestyle="--", linewidth=1)
            ax.annotate(f"k = {value}", (value, ax.get_ylim()[1]), ha="left", va="top",
                        xytext=(4, -4), textcoords="offset points")
    ax.set_xlabel("number of topics k")
    ax.set_ylabel("score")
    ax.set_xticks(sorted(data[k]))
    ax.legend(loc="best", frameon=False)
    return ax


def stacked_bar_plot(data: pd.DataFrame, *, x: str, y: str, hue: str = "role", ax=None, orient: str = "h",
                     hue_order=None, palette=None):
    """Stacked bars: ``x`` summed per ``y`` category, split by ``hue``.

    Section roles get the package's role colours and order unless told otherwise.
    """
    ax = _axes(ax)
    table = data.pivot_table(index=y, columns=hue, values=x, aggfunc="sum", fill_value=0, sort=True)
    if hue_order is None and set(table.columns) <= set(ROLE_ORDER):
        hue_order = [r for r in ROLE_ORDER if r in table.columns]
    if hue_order is not None:
        table = table[[h for h in hue_order if h in table.columns]]
    if palette is None and set(table.columns) <= set(ROLE_COLORS):
        palette = [ROLE_COLORS[r] for r in table.columns]
    table.plot(kind="barh" if orient == "h" else "bar", stacked=True, ax=ax, color=palette, width=0.75)
    ax.set_xlabel(x if orient == "h" else y)
    ax.set_ylabel("" if orient == "h" else x)
    ax.legend(title=hue, frameon=False, bbox_to_anchor=(1.01, 1), loc="upper left")
    if orient == "h":
        ax.invert_yaxis()
    return ax


def dot_plot(data: pd.DataFrame, *, x: str, y: str, hue: str | None = None, ax=None, order=None,
             hue_order=None, palette=None):
    """One dot per row: a value (``x``) for each category (``y``), coloured by ``hue``."""
    import seaborn as sns

    ax = _axes(ax)
    sns.stripplot(data=data, x=x, y=y, hue=hue, ax=ax, order=order, hue_order=hue_order, palette=palette,
                  size=8, jitter=False, dodge=False, linewidth=0.5, edgecolor="white")  # jitter is random
    ax.set_xlabel(x)
    ax.set_ylabel("")
    return ax


def term_bar_plot(data: pd.DataFrame, *, term: str, value: str, ax=None, color: str = "#264653"):
    """Horizontal bars of ``value`` per ``term``, largest on top."""
    ax = _axes(ax)
    table = data.sort_values(value, ascending=True)
    ax.barh(table[term], table[value], color=color)
    ax.set_xlabel(value)
    ax.set_ylabel("")
    return ax


def interval_plot(data: pd.DataFrame, *, x: str, y: str, low: str, high: str, ax=None, order=None,
                  color: str = "#264653"):
    """A point (``x``) with its interval (``low`` … ``high``) for each category ``y``, first on top;
    rows with no value are left out."""
    ax = _axes(ax)
    table = data.dropna(subset=[x])
    if order is not None:
        table = table.set_index(y).loc[[c for c in order if c in set(table[y])]].reset_index()
    positions = range(len(table))[::-1]
    ax.hlines(list(positions), table[low], table[high], color=color, linewidth=2, alpha=0.6)
    ax.scatter(table[x], list(positions), color=color, s=40, zorder=3)
    ax.set_yticks(list(positions), table[y].tolist())
    ax.set_xlabel(x)
    ax.set_ylabel("")
    return ax


def trend_plot(data: pd.DataFrame, *, x: str, y: str, hue: str | None = None, ax=None, low: str = "low",
               high: str = "high", hue_order=None, palette=None, marker: str = "o", order=None):
    """Lines of ``y`` against ``x`` (one per ``hue``) with the interval as a band.

    ``data`` is a :func:`~govanalysis.trend` table: ``low`` and ``high`` bound the band
    (columns that are absent draw no band). A numeric ``x`` (years) is drawn to scale; a
    text ``x`` (window labels, regions) at equal steps, in ``order`` or sorted.
    """
    import seaborn as sns

    ax = _axes(ax)
    numeric = pd.api.types.is_numeric_dtype(data[x])
    levels = order if order is not None else sorted(data[x].astype(str).unique())
    positions = None if numeric else {str(v): i for i, v in enumerate(levels)}
    groups = [(None, data)] if hue is None else [(h, data[data[hue] == h]) for h in
                                                 (hue_order if hue_order is not None
                                                  else sorted(data[hue].dropna().unique()))]
    colors = palette or sns.color_palette("tab10" if len(groups) <= 10 else "husl", len(groups))
    colors = [colors[h] for h, _ in groups] if isinstance(colors, dict) else list(colors)
    for (name, group), color in zip(groups, colors):
        xs = group[x] if numeric else group[x].astype(str).map(positions)
        group, xs = group.assign(_x=xs).dropna(subset=["_x"]).sort_values("_x"), None
        xs = group["_x"]
        if low in group and high in group:
            ax.fill_between(xs, group[low], group[high], color=color, alpha=0.2, linewidth=0)
        ax.plot(xs, group[y], marker=marker, markersize=4, color=color, label=None if name is None else str(name))
    if not numeric:
        ax.set_xticks(list(positions.values()), list(positions.keys()))
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    if hue is not None:
        ax.legend(title=hue, frameon=False, bbox_to_anchor=(1.01, 1), loc="upper left")
    return ax
