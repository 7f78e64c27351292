"""One small, fixed drawing per public plotting function (figure tests use these)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

import course_utils as cu
from course_utils import plots

DATA = cu.make_two_gaussians(2.0, 1.0, 30, 30, seed=0)
W1 = np.linspace(-3, 3, 25)
W2 = np.linspace(-3, 2, 21)
FULL = cu.loss_landscape(DATA.X, DATA.y, W1, W2)


def _figure(projection=None, size=(5, 4)):
    fig = Figure(figsize=size, dpi=60, layout="constrained")
    return fig, fig.add_subplot(projection=projection)


def _draw(name):
    """Draw case ``name``; returns the figure."""
    if name == "minibatch_panels":
        fig = Figure(figsize=(8, 3), dpi=60, layout="constrained")
        axes = fig.subplots(1, 3)
        landscapes = cu.minibatch_landscapes(DATA.X, DATA.y, W1, W2, 20, seed=0)
        plots.minibatch_panels(landscapes, W1, W2, axes=axes)
        fig.suptitle("Three minibatch landscapes")
        return fig
    fig, ax = _figure("3d" if name == "landscape_surface" else None)
    w = np.array([-1.5, -1.0])
    if name == "scatter_classes":
        plots.scatter_classes(DATA.X, DATA.y, distance=2.0, ax=ax)
    elif name == "decision_boundary":
        plots.decision_boundary(w, ax=ax, limits=4.0)
    elif name == "probability_map":
        plots.probability_map(w, ax=ax, limits=4.0, resolution=41)
    elif name == "loss_vs_margin":
        plots.loss_vs_margin(ax=ax)
    elif name == "landscape_map":
        plots.landscape_map(FULL, W1, W2, ax=ax)
    elif name == "landscape_surface":
        plots.landscape_surface(FULL, W1, W2, ax=ax)
    elif name == "gradient_arrows":
        plots.gradient_arrows(DATA.X, DATA.y, W1, W2, ax=ax, every=4)
    elif name == "mark_weights":
        plots.mark_weights({"refined minimum": w, "Bayes-optimal $w^*$": -w}, ax=ax)
    elif name == "loss_along_ray":
        ts = np.linspace(0, 5, 30)
        plots.loss_along_ray(ts, np.exp(-ts) + 0.1, ax=ax)
    elif name == "minima_scatter":
        plots.minima_scatter(cu.minibatch_minima(DATA.X, DATA.y, 20, seed=0), ax=ax)
    elif name == "landscape_slice":
        batches = cu.minibatch_landscapes(DATA.X, DATA.y, W1, W2, 20, seed=0)
        plots.landscape_slice(W1, FULL[10], batches[:, 10], ax=ax)
    elif name == "variance_law":
        b = np.array([1, 2, 4, 8, 16, 32, 60])
        theory = 0.3 / b * (60 - b) / 59
        plots.variance_law(b, theory * [1.05, 0.95, 1.0, 1.1, 0.9, 1.0, 0.0], theory, 60, ax=ax)
    elif name == "separable_fraction":
        plots.separable_fraction([1, 2, 4, 8, 16], [1.0, 0.9, 0.6, 0.2, 0.01], ax=ax)
    elif name == "noise_scale_map":
        plots.noise_scale_map(cu.noise_scale_landscape(DATA.X, DATA.y, W1, W2), W1, W2, ax=ax)
    elif name == "sgd_paths_plot":
        paths = cu.sgd_paths(DATA.X, DATA.y, np.array([2.0, 2.0]), 1.0, 6, 40, seeds=range(3))
        plots.sgd_paths_plot(paths, ax=ax)
    elif name == "scaling_plot":
        lr = np.array([0.01, 0.02, 0.04, 0.08])
        plots.scaling_plot(lr, 0.3 * np.sqrt(lr) * [1.0, 1.1, 0.95, 1.0], 0.3 * np.sqrt(lr), ax=ax)
    elif name == "steps_vs_batch_size":
        b = np.array([1, 2, 4, 8, 16, 32])
        steps = np.array([100, 52, 27, 15, 11, 10])
        plots.steps_vs_batch_size(b, steps, steps * 0.8, steps * 1.3, noise_scale=12, ax=ax)
    else:
        raise KeyError(name)
    return fig


CASES = {name: (lambda name=name: _draw(name)) for name in plots.FIGURES}
