"""Figures: Chinese renders without missing glyphs; files are byte-identical across runs."""

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from govanalysis.viz import figures  # noqa: E402

DATA = pd.DataFrame({
    "label": ["清远市 2020 H1", "清远市 2020 H1", "白云区 2021", "白云区 2021"],
    "role": ["achievements", "problems", "achievements", "plans"],
    "n_chars": [4400, 230, 3400, -150],
})


@pytest.fixture(autouse=True)
def house_style():
    with matplotlib.rc_context():
        figures.use_house_style()
        yield
    plt.close("all")


def draw():
    fig, ax = plt.subplots(figsize=(6, 3))
    returned = figures.stacked_bar_plot(DATA, x="n_chars", y="label", hue="role", ax=ax)
    ax.set_title("数据共享 · 一网通办 · 好差评 −1")
    return fig, returned, ax


def test_chinese_renders_without_missing_glyphs(tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, _, _ = draw()
        figures.save_figure(fig, "glyphs", DATA, tmp_path)
    messages = [str(w.message) for w in caught]
    assert not [m for m in messages if "Glyph" in m or "missing from font" in m], messages
    assert figures.FONT_FAMILY in matplotlib.rcParams["font.family"]
    assert matplotlib.rcParams["axes.unicode_minus"] is False


def test_save_figure_writes_png_svg_and_csv_identically(tmp_path):
    outputs = []
    for run in ("a", "b"):
        fig, _, _ = draw()
        paths = figures.save_figure(fig, "roles", DATA, tmp_path / run)
        plt.close(fig)
        outputs.append({p.name: p.read_bytes() for p in paths})
    assert set(outputs[0]) == {"roles.png", "roles.svg", "roles.csv"}
    assert outputs[0] == outputs[1]
    assert outputs[0]["roles.png"].startswith(b"\x89PNG")
    assert b"<dc:date>" not in outputs[0]["roles.svg"]
    assert pd.read_csv(tmp_path / "a" / "roles.csv").equals(DATA)


def test_plot_functions_return_their_axes_and_leave_style_alone():
    before = dict(matplotlib.rcParams)
    fig, returned, ax = draw()
    assert returned is ax
    fig2, ax2 = plt.subplots()
    table = pd.DataFrame({"k": [3, 4, 5], "stability": [0.6, 0.5, 0.4], "coherence": [0.1, 0.2, 0.3],
                          "recommended": [True, False, False]})
    assert figures.k_selection_plot(table, ax=ax2) is ax2
    heat = pd.DataFrame({"a": ["x", "x", "y"], "b": ["u", "v", "u"], "v": [1.0, 2.0, 3.0]})
    assert figures.heatmap(heat, x="b", y="a", value="v", ax=ax2) is ax2
    assert figures.term_bar_plot(heat, term="a", value="v", ax=ax2) is ax2
    assert figures.dot_plot(heat, x="v", y="a", hue="b", ax=ax2) is ax2
    assert dict(matplotlib.rcParams) == before


def test_font_ships_with_a_pip_dependency():
    path = figures.font_path()
    assert path.name == figures.FONT_FILE and path.stat().st_size > 1_000_000


def test_trend_plot_draws_a_line_and_band_per_hue():
    import matplotlib.pyplot as plt

    from govanalysis.viz.figures import trend_plot

    data = pd.DataFrame({"window": ["1990-1994", "1995-1999"] * 2, "theme": ["a", "a", "b", "b"],
                         "v": [1.0, 2.0, 3.0, 4.0], "low": [0.5, 1.5, 2.5, 3.5], "high": [1.5, 2.5, 3.5, 4.5]})
    fig, ax = plt.subplots()
    assert trend_plot(data, x="window", y="v", hue="theme", ax=ax) is ax
    assert len(ax.lines) == 2 and len(ax.collections) == 2
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1990-1994", "1995-1999"]
    plt.close(fig)
