"""Figure regression: each plotting function against a baseline PNG in tests/baseline_images/.

Regenerate the baselines on purpose (after a deliberate change of a figure) with::

    COURSE_REGENERATE_BASELINES=1 .venv/bin/pytest tests/test_figures.py

then look at every changed image in tests/baseline_images/ before committing them.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pytest
from figure_cases import CASES, DATA, FULL, W1, W2, W, figure, plot_functions
from matplotlib.collections import PathCollection
from matplotlib.testing.compare import compare_images

from course_utils import plots

BASELINES = Path(__file__).parent / "baseline_images"
REGENERATE = os.environ.get("COURSE_REGENERATE_BASELINES") == "1"
# RMS difference (0-255 scale) allowed. Sub-pixel shifts of every marker and line (what
# anti-aliasing and font rasterisation differences amount to) stay below it; a line moved by
# a couple of pixels, a lost label, legend or contour set, or swapped axes go far above it.
# Both sides are tested below.
TOLERANCE = 2.0
# Matplotlib's defaults (no matplotlibrc can leak in), fixed font and no hinting; the cases
# fix size, dpi, data and seeds.
STYLE = {"font.family": "DejaVu Sans", "text.hinting": "none", "path.simplify": False}


def _render(make, path: Path) -> None:
    with mpl.rc_context():
        mpl.rcdefaults()
        mpl.rcParams.update(STYLE)
        make().savefig(path, metadata={"Software": None})


def _compare(make, name, tmp_path) -> str | None:
    """None if ``make()`` matches baseline ``name``, else matplotlib's message."""
    actual = tmp_path / f"{name}.png"
    _render(make, actual)
    return compare_images(str(BASELINES / f"{name}.png"), str(actual), tol=TOLERANCE)


def test_every_plot_function_has_a_case():
    assert plot_functions(), "no plotting function found in course_utils.plots"
    missing = set(plot_functions()) - set(CASES)
    assert not missing, f"plots without a case in tests/figure_cases.py: {sorted(missing)}"
    assert set(CASES) <= set(plot_functions()), "a case for a function that is gone"


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_case_draws_its_function(name, monkeypatch):
    calls = []
    original = getattr(plots, name)

    def spy(*args, **kwargs):
        calls.append(name)
        return original(*args, **kwargs)

    monkeypatch.setattr(plots, name, spy)
    CASES[name]()
    assert calls, f"case {name} does not call plots.{name}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_figure_matches_baseline(name, tmp_path):
    if REGENERATE:
        _render(CASES[name], BASELINES / f"{name}.png")
    assert (BASELINES / f"{name}.png").exists(), "no baseline: see this module's docstring"
    assert _compare(CASES[name], name, tmp_path) is None


def test_every_baseline_belongs_to_a_case():
    orphans = {p.stem for p in BASELINES.glob("*.png")} - set(CASES)
    assert not orphans, f"baselines without a case (delete them): {sorted(orphans)}"


def _shifted(name, pixels):
    """Case ``name`` with every marker and line moved ``pixels`` to the right."""

    def make():
        fig = CASES[name]()
        fig.canvas.draw()  # the layout, so that data units per pixel are known
        for ax in fig.axes:
            to_data = ax.transData.inverted()
            dx = to_data.transform((pixels, 0))[0] - to_data.transform((0, 0))[0]
            for points in ax.findobj(PathCollection):
                points.set_offsets(points.get_offsets() + [dx, 0])
            for line in ax.get_lines():
                line.set_xdata(np.asarray(line.get_xdata(), dtype=float) + dx)
        return fig

    return make


@pytest.mark.parametrize("name", ["sgd_paths_plot", "variance_law", "minima_scatter"])
def test_sub_pixel_noise_passes_the_comparison(name, tmp_path):
    assert _compare(_shifted(name, 0.05), name, tmp_path) is None


def _swapped_axes_map():
    fig, ax = figure()
    plots.landscape_map(FULL.T, W2, W1, ax=ax)
    return fig


def _map_without_contours():
    fig, ax = figure()
    _, contours = plots.landscape_map(FULL, W1, W2, ax=ax)
    contours.remove()
    return fig


def _map_without_x_label():
    fig, ax = figure()
    plots.landscape_map(FULL, W1, W2, ax=ax)
    ax.set_xlabel("")
    return fig


def _scatter_without_legend():
    fig, ax = figure()
    plots.scatter_classes(DATA.X, DATA.y, distance=2.0, ax=ax)
    ax.get_legend().remove()
    return fig


def _boundary_turned():
    fig, ax = figure()
    plots.decision_boundary(np.array([-1.0, -1.5]), ax=ax, limits=4.0)
    return fig


@pytest.mark.parametrize(
    ("name", "wrong"),
    [
        ("landscape_map", _swapped_axes_map),
        ("landscape_map", _map_without_contours),
        ("landscape_map", _map_without_x_label),
        ("scatter_classes", _scatter_without_legend),
        ("decision_boundary", _boundary_turned),
        ("sgd_paths_plot", _shifted("sgd_paths_plot", 2.0)),
    ],
    ids=["swapped axes", "missing contours", "lost label", "lost legend", "turned line", "moved"],
)
def test_a_wrong_figure_fails_the_comparison(name, wrong, tmp_path):
    assert _compare(wrong, name, tmp_path) is not None


# ---- markers that carry a figure's point stay visible; legends list only what is shown ----

from matplotlib.collections import PathCollection as _Points  # noqa: E402

from course_utils.plots.common import contrast_ratio, legend_in_view  # noqa: E402
from course_utils.plots.landscape import MARKERS  # noqa: E402


def _marker_colours(points) -> list:
    """Every colour a marker is drawn with: face, edge and outline (path effect) colours."""
    colours = [*points.get_facecolor(), *points.get_edgecolor()]
    for effect in points.get_path_effects() or []:
        colours.append(effect._gc.get("foreground", "none"))
    return [c for c in colours if mcolors_alpha(c) > 0]


def mcolors_alpha(colour) -> float:
    import matplotlib.colors as mcolors

    return mcolors.to_rgba(colour)[3]


@pytest.mark.parametrize("label", sorted(MARKERS))
def test_markers_are_drawn_above_the_map_arrows_and_paths(label):
    fig, ax = figure()
    plots.landscape_map(FULL, W1, W2, ax=ax)
    plots.gradient_arrows(DATA.X, DATA.y, W1, W2, ax=ax, every=4)
    paths = np.zeros((2, 5, 2)) + W
    plots.sgd_paths_plot(paths, ax=ax)
    (marker,) = plots.mark_weights({label: W}, ax=ax)
    others = [a for a in ax.get_children() if a is not marker and a.get_visible()]
    below = max(a.get_zorder() for a in others if not hasattr(a, "get_texts"))  # not the legend
    assert marker.get_zorder() > below, f"{label} can be hidden under another artist"


@pytest.mark.parametrize("label", sorted(MARKERS))
@pytest.mark.parametrize("fraction", [0.0, 0.25, 0.5, 0.75, 1.0])
def test_markers_contrast_with_the_loss_colours_wherever_they_land(label, fraction):
    fig, ax = figure()
    image, _ = plots.landscape_map(FULL, W1, W2, ax=ax)
    (marker,) = plots.mark_weights({label: W}, ax=ax)
    background = image.get_cmap()(fraction)  # the colour map from its lowest to highest loss
    best = max(contrast_ratio(c, background) for c in _marker_colours(marker))
    assert best >= 3.0, f"{label} has contrast {best:.2f} against {background}"


def test_nested_markers_do_not_hide_each_other():
    # Markers that land on the same point (the minimum, w*, the grid minimum): the filled
    # star on top, every other one hollow, so that each stays visible around it.
    fig, ax = figure()
    plots.landscape_map(FULL, W1, W2, ax=ax)
    drawn = plots.mark_weights({label: W for label in MARKERS}, ax=ax)
    filled = [p for p in drawn if len(p.get_facecolor()) and mcolors_alpha(p.get_facecolor()[0])]
    assert len(filled) == 1
    assert filled[0].get_zorder() == max(p.get_zorder() for p in drawn)
    sizes = [p.get_sizes()[0] for p in drawn if p is not filled[0]]
    assert len(set(sizes)) == len(sizes), "hollow markers of one size would cover each other"


def test_legend_lists_only_markers_inside_the_axes():
    fig, ax = figure()
    plots.landscape_map(FULL, W1, W2, ax=ax)
    plots.mark_weights(
        {"refined minimum": W, "Bayes-optimal $w^*$": np.array([-14.0, -14.0])}, ax=ax
    )
    listed = [t.get_text() for t in ax.get_legend().get_texts()]
    assert listed == ["refined minimum"]
    ax.set_xlim(-20, 3)
    ax.set_ylim(-20, 3)
    legend = legend_in_view(ax)
    assert [t.get_text() for t in legend.get_texts()] == ["refined minimum", "Bayes-optimal $w^*$"]


def _legend_entries_inside(ax) -> bool:
    """Every point-like artist the legend lists has a point inside the axes limits."""
    legend = ax.get_legend()
    if legend is None:
        return True
    listed = {t.get_text() for t in legend.get_texts()}
    x0, x1 = sorted(ax.get_xlim())
    y0, y1 = sorted(ax.get_ylim())
    for artist, label in zip(*ax.get_legend_handles_labels(), strict=True):
        if label in listed and isinstance(artist, _Points):
            points = np.reshape(artist.get_offsets(), (-1, 2))
            if not any(x0 <= x <= x1 and y0 <= y <= y1 for x, y in points):
                return False
    return True


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_case_lists_only_what_it_shows(name):
    fig = CASES[name]()
    for ax in fig.axes:
        assert _legend_entries_inside(ax), f"{name}: a legend entry for a point off the axes"
