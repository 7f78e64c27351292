"""plots.landscape: the fixed two-map layout, the colour bar in given axes, the ray's log axis.

The pictures themselves are compared with baselines in test_figures.py; here, what a fixed
layout must guarantee (nothing runs into anything, the bar lines up with the maps) and what
the drawing functions promise about their axes.
"""

from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import numpy as np
import pytest
from figure_cases import DATA, FULL, W1, W2, W
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.transforms import Bbox

import course_utils as cu
from course_utils import plots

# A square window, as grid_window gives: the maps of map_panels fit it exactly.
SQUARE = np.linspace(-3, 3, 25)
SQUARE_LOSS = cu.loss_landscape(DATA.X, DATA.y, SQUARE, SQUARE)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _drawn_pair(figsize, zoom=False):
    """Notebook 04's two maps in map_panels: tick labels of up to 4 characters, a legend."""
    fig, axes, bar = plots.map_panels(2, figsize=figsize)
    plots.landscape_map(SQUARE_LOSS, SQUARE, SQUARE, ax=axes[0], colorbar=False)
    plots.gradient_arrows(DATA.X, DATA.y, SQUARE, SQUARE, ax=axes[0], color="white")
    right = (SQUARE / 5 - 2.4) if zoom else SQUARE  # ticks like "-2.8" and "-2.0"
    loss = cu.loss_landscape(DATA.X, DATA.y, right, right)
    plots.landscape_map(loss, right, right, ax=axes[1], title="Zoom: $w^*$ costs 0.0009 more",
                        cax=bar)  # fmt: skip
    plots.mark_weights({"refined minimum": W, "Bayes-optimal $w^*$": W / 2}, ax=axes[1])
    FigureCanvasAgg(fig).draw()
    return fig, axes, bar


def _parts(ax):
    """The boxes (pixels) of an axes' texts: title, axis labels, each tick label."""
    renderer = ax.figure.canvas.get_renderer()
    texts = [ax.title, ax.xaxis.label, ax.yaxis.label]
    for axis in (ax.xaxis, ax.yaxis):
        low, high = sorted(axis.get_view_interval())
        shown = [t for t in axis.get_major_ticks() if low <= t.get_loc() <= high]  # drawn
        texts += [t.label1 for t in shown] + [t.label2 for t in shown]  # label2: a bar's
    return [t.get_window_extent(renderer) for t in texts if t.get_visible() and t.get_text()]


@pytest.mark.parametrize("figsize", [(8.5, 4.2), (8.5, 3.9), (7.0, 3.5)])
@pytest.mark.parametrize("zoom", [False, True])
def test_map_panels_nothing_runs_into_anything(figsize, zoom):
    fig, axes, bar = _drawn_pair(figsize, zoom)
    renderer = fig.canvas.get_renderer()
    boxes = {
        "left map": [axes[0].get_window_extent(renderer), *_parts(axes[0])],
        "right map": [axes[1].get_window_extent(renderer), *_parts(axes[1])],
        "colour bar": [bar.get_window_extent(renderer), *_parts(bar)],
    }
    for (a, parts_a), (b, parts_b) in itertools.combinations(boxes.items(), 2):
        for box_a, box_b in itertools.product(parts_a, parts_b):
            assert not box_a.overlaps(box_b), f"{a} {box_a} runs into {b} {box_b}"
    whole = Bbox.from_bounds(0, 0, fig.bbox.width, fig.bbox.height)
    for name, parts in boxes.items():
        for box in parts:
            assert whole.contains(box.x0, box.y0) and whole.contains(box.x1, box.y1), (
                f"{name}: {box} is cut off by the figure's edge"
            )


@pytest.mark.parametrize("figsize", [(8.5, 4.2), (8.5, 3.9)])
def test_map_panels_maps_are_square_equal_and_the_bar_lines_up(figsize):
    fig, axes, bar = _drawn_pair(figsize)
    renderer = fig.canvas.get_renderer()
    left, right, strip = (a.get_window_extent(renderer) for a in (*axes, bar))
    for box in (left, right):  # the square window fills its square axes: no shrinking
        assert box.width == pytest.approx(box.height, abs=1)
    assert (left.width, left.height) == pytest.approx((right.width, right.height), abs=1)
    assert (strip.y0, strip.y1) == pytest.approx((right.y0, right.y1), abs=1)
    assert strip.x0 > right.x1
    assert bar.get_label() == "<colorbar>"


@pytest.mark.parametrize("zoom", [False, True])
def test_map_panels_label_a_few_round_values_on_each_axis(zoom):
    fig, axes, _bar = _drawn_pair((8.5, 4.2), zoom)
    for ax in axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            ticks = [t for t in axis.get_majorticklocs() if low <= t <= high]
            assert 4 <= len(ticks) <= 7, f"{len(ticks)} ticks: too sparse or too crowded"
            assert all(len(f"{t:g}") <= 4 for t in ticks), "wider than the layout's room"


def test_map_panels_without_a_bar_and_in_a_row_of_three():
    fig, axes, bar = plots.map_panels(3, figsize=(9, 3.5), colorbar=False)
    assert bar is None and len(fig.axes) == 3
    boxes = [ax.get_position() for ax in axes]
    assert all(a.x1 < b.x0 for a, b in itertools.pairwise(boxes)), "left to right, apart"


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"n": 0}, "n"), ({"n": 1.5}, "n"), ({"figsize": (2.0, 4.0)}, "figsize"),
     ({"n": 6, "figsize": (8.5, 4.2)}, "figsize")],
)  # fmt: skip
def test_map_panels_refuses_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        plots.map_panels(**kwargs)


def test_landscape_map_draws_its_bar_in_the_given_axes():
    fig, axes, bar = plots.map_panels(1, figsize=(5, 4))
    image, _ = plots.landscape_map(FULL, W1, W2, ax=axes[0], cax=bar)
    assert image.colorbar is not None and image.colorbar.ax is bar
    assert len(fig.axes) == 2, "no second bar made beside the map"
    assert "loss" in bar.get_ylabel()
    ticks = bar.yaxis.get_majorticklocs()
    assert len(ticks) >= 3 and image.norm.vmin <= ticks.min() <= ticks.max() <= image.norm.vmax


def test_landscape_map_refuses_a_bar_axes_without_a_bar():
    fig, axes, bar = plots.map_panels(1, figsize=(5, 4))
    with pytest.raises(ValueError, match="cax"):
        plots.landscape_map(FULL, W1, W2, ax=axes[0], colorbar=False, cax=bar)


def test_titles_sit_above_the_axes_and_clear_of_them():
    # Titles are placed at y = 1 (not searched for at each draw): still above the frame.
    fig, axes, _bar = _drawn_pair((8.5, 4.2))
    renderer = fig.canvas.get_renderer()
    for ax in axes:
        assert ax.title.get_window_extent(renderer).y0 >= ax.get_window_extent(renderer).y1


def test_loss_along_a_ray_labels_round_values_over_many_decades():
    # Notebook 04's ray: the loss falls from ~0.7 to ~1e-26 (the labels once stopped at
    # 1e-11, every smaller round value rounded to 0).
    ts = np.linspace(0, 20, 81)
    losses = np.log1p(np.exp(-3 * ts))
    fig, ax = plt.subplots(figsize=(6.5, 4))
    plots.loss_along_ray(ts, losses, ax=ax)
    FigureCanvasAgg(fig).draw()
    low, high = sorted(ax.get_ylim())
    ticks = [t for t in ax.yaxis.get_majorticklocs() if low <= t <= high]
    assert 3 <= len(ticks) <= 8
    assert min(ticks) < 1e-20 and max(ticks) > 1e-3, "the labels span the whole axis"
    exponents = np.log10(ticks)
    assert np.allclose(exponents, np.round(exponents)), "whole decades"
    assert len(set(np.diff(np.round(exponents)))) == 1, "evenly spaced on the log axis"
    assert not ax.yaxis.get_minorticklocs().size, "no minor ticks"
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert labels and not any("$" in text for text in labels), "plain numbers, no maths"
