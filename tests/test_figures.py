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
from figure_cases import CASES, DATA, FULL, W1, W2, figure, plot_functions
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
