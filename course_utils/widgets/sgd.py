"""Notebook 06: batch size and learning rate sliders over SGD paths on the landscape."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from .._docs import shared_parameters
from .._validation import check_weights, check_X_y
from ..landscape import grid_window, loss_landscape
from ..optimum import find_minimum
from ..plots.landscape import landscape_map, mark_weights
from ..plots.sgd import sgd_paths_plot
from ..sgd import losses_along, sgd_paths
from ._base import SliderFigure
from .common import batch_size_options, corner_note

LEARNING_RATES = [0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 4.0]


@shared_parameters
def sgd_explorer(X, y, w0=(2.0, 2.0), n_runs=5, n_steps=150, batch_size=8, lr=0.5) -> SliderFigure:
    """Sliders ``batch size`` and ``learning rate`` over ``n_runs`` SGD paths from ``w0``.

    The paths are drawn over the full-batch landscape, the minimum's star above them; the
    title gives the median loss the runs end at, against the minimum. A run that leaves the
    window (it diverges) is drawn along the window's edge, and a note says how many did.

    Parameters
    ----------
    n_runs : int >= 1
        SGD runs drawn (seeds 0 .. n_runs - 1).
    batch_size : int
        The slider's start: one of ``batch_size_options(n)``.
    lr : float
        The slider's start: one of ``LEARNING_RATES``.

    Returns
    -------
    SliderFigure
        Sliders ``batch_size`` and ``lr``.
    """
    X, y = check_X_y(X, y)
    w0 = check_weights(np.asarray(w0, dtype=float), name="w0")
    sliders = {
        "batch_size": widgets.SelectionSlider(
            options=batch_size_options(len(y)), value=batch_size, description="batch size"
        ),
        "lr": widgets.SelectionSlider(
            options=LEARNING_RATES, value=lr, description="learning rate"
        ),
    }
    minimum = find_minimum(X, y)  # once
    w1 = grid_window(X, y, 61, minimum=minimum)[0]
    reach = max(float(np.max(np.abs(w0))) + 0.5, w1[-1])
    w1 = w2 = np.linspace(-reach, reach, 61)
    # Fixed places (figure fractions), not constrained layout, whose solve was ~1/4 of the
    # build: its places for this figure (a square map, its colour bar), moved left to leave
    # room for longer colour-bar labels (0.001, 1e-05; tests/test_widgets.py checks them).
    fig = Figure(figsize=(6.4, 5.2))
    ax = fig.add_axes((0.12, 0.0917, 0.6638, 0.817))
    bar_ax = fig.add_axes((0.8324, 0.1529, 0.0282, 0.6944))
    landscape = loss_landscape(X, y, w1, w2)
    landscape_map(landscape, w1, w2, ax=ax, title=" \n ", cax=bar_ax)  # a two-line title
    lines = sgd_paths_plot(np.repeat(w0[None, None], n_runs, axis=0), ax=ax)[:-1]
    ax.set_xlim(w1[0], w1[-1])
    ax.set_ylim(w2[0], w2[-1])
    marks = []
    if not minimum.separable:
        marks = mark_weights({"refined minimum": minimum.w}, ax=ax)
    note = corner_note(ax)

    def update(batch_size, lr):
        paths = sgd_paths(X, y, w0, lr, batch_size, n_steps, seeds=range(n_runs))
        # A diverging run leaves the window: drawn along its edge, and said so.
        finite = np.all(np.isfinite(paths), axis=(1, 2))
        left = ~finite | (np.abs(np.nan_to_num(paths, nan=np.inf)) > reach).any(axis=(1, 2))
        shown = np.clip(np.nan_to_num(paths, nan=reach, posinf=reach, neginf=-reach), -reach, reach)
        for line, path in zip(lines, shown, strict=True):
            line.set_data(*path.T)
        note.set_text(
            f"{int(left.sum())} of {n_runs} runs left the window: drawn on its edge"
            if left.any()
            else ""
        )
        note.set_visible(bool(left.any()))
        final = np.median(losses_along(X, y, paths[:, -1])) if finite.all() else np.inf
        ax.title.set_text(
            f"B = {batch_size}, lr = {lr:g}\nmedian loss after {n_steps} steps {final:.4f}"
            + ("" if minimum.separable else f" (minimum {minimum.loss:.4f})")
        )
        # The star is redrawn after the paths (by z-order), so they never hide it.
        return [*lines, *marks, note, ax.title]

    return SliderFigure(fig, sliders, update)
