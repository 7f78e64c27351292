"""Figures of the course. Each function takes an optional ``ax`` and returns what it drew.

One palette for every figure (:mod:`course_utils.plots.style`): colour-blind safe, the same
colour for a class or a minibatch wherever it appears. Helpers shared by the figure
modules (axes, checked surfaces, log colour scales, marker and legend rules) live in
:mod:`course_utils.plots.common`.
"""

from .common import batch_colour, log_ticks, loss_norm
from .data import (
    arrow_tip,
    bayes_boundaries,
    boundary_segment,
    decision_boundary,
    loss_vs_margin,
    probability_map,
    scatter_classes,
)
from .landscape import (
    gradient_arrows,
    landscape_map,
    landscape_surface,
    loss_along_ray,
    map_panels,
    mark_weights,
)
from .minibatch import (
    landscape_slice,
    minibatch_panels,
    minima_scatter,
    noise_scale_map,
    separable_fraction,
    variance_law,
)
from .sgd import samples_vs_batch_size, scaling_plot, sgd_paths_plot, steps_vs_batch_size
from .style import BATCH_COLOURS, CLASS_COLOURS, FULL_BATCH_COLOUR
