"""Figure regression: each plotting function against a baseline PNG.

Regenerate the baselines on purpose (after a deliberate change of a figure) with::

    COURSE_REGENERATE_BASELINES=1 .venv/bin/pytest tests/test_figures.py

then look at every image in tests/baseline_images/ before committing them.
"""

import inspect
import os
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pytest
from figure_cases import CASES, DATA, FULL, W1, W2
from matplotlib.figure import Figure
from matplotlib.testing.compare import compare_images

from course_utils import plots

BASELINES = Path(__file__).parent / "baseline_images"
REGENERATE = os.environ.get("COURSE_REGENERATE_BASELINES") == "1"
# RMS difference (0-255 scale) allowed: anti-aliasing and font hinting stay far below it,
# a moved line, a lost label or a missing contour set go far above it (see the tests below).
TOLERANCE = 2.0
STYLE = {"font.family": "DejaVu Sans", "text.hinting": "none", "path.simplify": False}


def _render(make, path: Path) -> None:
    with mpl.rc_context(STYLE):
        fig = make()
        fig.savefig(path, metadata={"Software": None})


def _compare(make, name, tmp_path) -> str | None:
    actual = tmp_path / f"{name}.png"
    _render(make, actual)
    return compare_images(str(BASELINES / f"{name}.png"), str(actual), tol=TOLERANCE)


def test_every_public_plot_function_has_a_case():
    public = {
        name
        for name, f in vars(plots).items()
        if inspect.isfunction(f)
        and "ax" in inspect.signature(f).parameters
        or name in ("minibatch_panels",)
    }
    assert public <= set(plots.FIGURES), (
        f"plots without a baseline case: {public - set(plots.FIGURES)}"
    )
    assert set(CASES) == set(plots.FIGURES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_figure_matches_baseline(name, tmp_path):
    if REGENERATE:
        _render(CASES[name], BASELINES / f"{name}.png")
    assert (BASELINES / f"{name}.png").exists(), "no baseline: see this module's docstring"
    assert _compare(CASES[name], name, tmp_path) is None


def _swapped_axes_map():
    fig = Figure(figsize=(5, 4), dpi=60, layout="constrained")
    plots.landscape_map(FULL.T, W2, W1, ax=fig.add_subplot())
    return fig


def _map_without_contours():
    fig = Figure(figsize=(5, 4), dpi=60, layout="constrained")
    _, contours = plots.landscape_map(FULL, W1, W2, ax=fig.add_subplot())
    contours.remove()
    return fig


def _scatter_without_legend():
    fig = Figure(figsize=(5, 4), dpi=60, layout="constrained")
    ax = fig.add_subplot()
    plots.scatter_classes(DATA.X, DATA.y, distance=2.0, ax=ax)
    ax.get_legend().remove()
    return fig


def _boundary_turned():
    fig = Figure(figsize=(5, 4), dpi=60, layout="constrained")
    plots.decision_boundary(np.array([-1.0, -1.5]), ax=fig.add_subplot(), limits=4.0)
    return fig


@pytest.mark.parametrize(
    ("name", "wrong"),
    [
        ("landscape_map", _swapped_axes_map),
        ("landscape_map", _map_without_contours),
        ("scatter_classes", _scatter_without_legend),
        ("decision_boundary", _boundary_turned),
    ],
    ids=["swapped axes", "missing contours", "lost legend", "moved line"],
)
def test_a_wrong_figure_fails_the_comparison(name, wrong, tmp_path):
    if REGENERATE:
        pytest.skip("baselines are being regenerated")
    assert _compare(wrong, name, tmp_path) is not None
