"""One small, fixed drawing per public plotting function of ``course_utils.plots``.

Each case is named after the function it draws and returns a new Figure (fixed data, seeds,
size and dpi). The figure tests compare them with baselines and check their labels; a
plotting function without a case here fails ``test_every_plot_function_has_a_case``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import numpy as np
from matplotlib.figure import Figure

import course_utils as cu
from course_utils import plots

DATA = cu.make_two_gaussians(2.0, 1.0, 30, 30, seed=0)
W1 = np.linspace(-3, 3, 25)
W2 = np.linspace(-3, 2, 21)
FULL = cu.loss_landscape(DATA.X, DATA.y, W1, W2)
W = np.array([-1.5, -1.0])
DPI = 60

CASES: dict[str, Callable[[], Figure]] = {}


def plot_functions() -> list[str]:
    """The public functions of ``course_utils.plots`` that draw (take ``ax`` or ``axes``)."""
    return sorted(
        name
        for name, value in vars(plots).items()
        if not name.startswith("_")
        and inspect.isfunction(value)
        and {"ax", "axes"} & set(inspect.signature(value).parameters)
    )


def case(draw: Callable[[], Figure]) -> Callable[[], Figure]:
    """Register ``draw`` as the case of the plotting function with the same name."""
    CASES[draw.__name__] = draw
    return draw


def figure(projection=None, size=(5, 4)):
    fig = Figure(figsize=size, dpi=DPI, layout="constrained")
    return fig, fig.add_subplot(projection=projection)


@case
def scatter_classes():
    fig, ax = figure()
    plots.scatter_classes(DATA.X, DATA.y, distance=2.0, ax=ax)
    return fig


@case
def bayes_boundaries():
    fig, ax = figure()
    plots.scatter_classes(DATA.X, DATA.y, distance=2.0, ax=ax)
    plots.bayes_boundaries(2.0, 1.0, prior1=0.2, ax=ax, limits=4.0)
    ax.legend(loc="upper left", fontsize=8)
    return fig


@case
def decision_boundary():
    fig, ax = figure()
    plots.decision_boundary(W, ax=ax, limits=4.0)
    return fig


@case
def probability_map():
    fig, ax = figure()
    plots.probability_map(W, ax=ax, limits=4.0, resolution=41)
    return fig


@case
def loss_vs_margin():
    fig, ax = figure()
    plots.loss_vs_margin(ax=ax)
    return fig


@case
def landscape_map():
    fig, ax = figure()
    plots.landscape_map(FULL, W1, W2, ax=ax)
    return fig


@case
def landscape_surface():
    fig, ax = figure("3d")
    plots.landscape_surface(FULL, W1, W2, ax=ax)
    return fig


@case
def gradient_arrows():
    fig, ax = figure()
    plots.gradient_arrows(DATA.X, DATA.y, W1, W2, ax=ax, every=4)
    return fig


@case
def mark_weights():
    fig, ax = figure()
    plots.mark_weights({"refined minimum": W, "Bayes-optimal $w^*$": -W}, ax=ax)
    ax.set(xlim=(-3, 3), ylim=(-3, 3))  # it marks points on a map: here, on an empty plane
    return fig


@case
def loss_along_ray():
    fig, ax = figure()
    ts = np.linspace(0, 5, 30)
    plots.loss_along_ray(ts, np.exp(-ts) + 0.1, ax=ax)
    return fig


@case
def minibatch_panels():
    fig = Figure(figsize=(8, 3), dpi=DPI, layout="constrained")
    landscapes = cu.minibatch_landscapes(DATA.X, DATA.y, W1, W2, 20, seed=0)
    plots.minibatch_panels(landscapes, W1, W2, axes=fig.subplots(1, 3))
    fig.suptitle("Three minibatch landscapes")
    return fig


@case
def minima_scatter():
    fig, ax = figure()
    plots.minima_scatter(cu.minibatch_minima(DATA.X, DATA.y, 20, seed=0), ax=ax)
    return fig


@case
def landscape_slice():
    fig, ax = figure()
    batches = cu.minibatch_landscapes(DATA.X, DATA.y, W1, W2, 20, seed=0)
    plots.landscape_slice(W1, FULL[10], batches[:, 10], ax=ax)
    return fig


@case
def variance_law():
    fig, ax = figure()
    b = np.array([1, 2, 4, 8, 16, 32, 60])
    theory = 0.3 / b * (60 - b) / 59
    plots.variance_law(b, theory * [1.05, 0.95, 1.0, 1.1, 0.9, 1.0, 0.0], theory, 60, ax=ax)
    return fig


@case
def separable_fraction():
    fig, ax = figure()
    plots.separable_fraction([1, 2, 4, 8, 16], [1.0, 0.9, 0.6, 0.2, 0.01], ax=ax)
    return fig


@case
def noise_scale_map():
    fig, ax = figure()
    plots.noise_scale_map(cu.noise_scale_landscape(DATA.X, DATA.y, W1, W2), W1, W2, ax=ax)
    return fig


@case
def sgd_paths_plot():
    fig, ax = figure()
    paths = cu.sgd_paths(DATA.X, DATA.y, np.array([2.0, 2.0]), 1.0, 6, 40, seeds=range(3))
    plots.sgd_paths_plot(paths, ax=ax)
    return fig


@case
def scaling_plot():
    fig, ax = figure()
    lr = np.array([0.01, 0.02, 0.04, 0.08])
    plots.scaling_plot(lr, 0.3 * np.sqrt(lr) * [1.0, 1.1, 0.95, 1.0], 0.3 * np.sqrt(lr), ax=ax)
    # a second series, one of its points apart (drawn open: the law is not meant for it)
    plots.scaling_plot(
        lr, 0.6 * lr * [1.0, 0.95, 2.0, 1.05], 0.6 * lr, ax=ax, label="second",
        prediction_label="second: law", colour=3, apart=lr == 0.04, apart_label="apart",
    )  # fmt: skip
    return fig


@case
def steps_vs_batch_size():
    fig, ax = figure()
    b = np.array([1, 2, 4, 8, 16, 32])
    steps = np.array([100, 52, 27, 15, 11, 10])
    plots.steps_vs_batch_size(b, steps, steps * 0.8, steps * 1.3, noise_scale=12, ax=ax)
    return fig


@case
def samples_vs_batch_size():
    fig, ax = figure()
    b = np.array([1, 2, 4, 8, 16, 32])
    plots.samples_vs_batch_size(b, b * np.array([100, 52, 27, 15, 11, 10]), noise_scale=12, ax=ax)
    return fig
