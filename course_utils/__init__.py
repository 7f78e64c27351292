"""Helpers for the course "How the minibatch shapes a classifier's loss landscape".

Pure functions over NumPy arrays, data first (``X`` of shape (n, 2), ``y`` of shape (n,)),
weights of shape (2,), grids as two 1-D axes ``w1, w2``; landscapes have shape
``(len(w2), len(w1))``. The training experiments of notebook 06 (:mod:`course_utils.training`)
are exported here too (``from course_utils import training`` works as well). Plots live in
:mod:`course_utils.plots`, sliders in :mod:`course_utils.widgets`.
"""

from .data import (
    Dataset,
    bayes_error,
    bayes_optimal_weights,
    bayes_threshold,
    class_centres,
    make_two_gaussians,
    normal_cdf,
    population_accuracy,
)
from .landscape import (
    gradient_field,
    grid_argmin,
    grid_window,
    loss_at,
    loss_gradient,
    loss_landscape,
    population_landscape,
    square_grid,
)
from .loss import cross_entropy, cross_entropy_from_logits, per_sample_loss_from_logits, softplus
from .minibatch import (
    batch_indices,
    gradient_noise_scale,
    minibatch_landscapes,
    minibatch_loss_variance,
    minibatch_loss_variance_at,
    minibatch_losses_at,
    minibatch_minima,
    noise_scale_landscape,
    per_sample_gradients,
    separable_batches,
)
from .model import accuracy, logits, predict, predict_proba, sigmoid
from .optimum import Minimum, find_minimum, is_separable
from .sgd import losses_along, noise_ball_radius, sgd, sgd_paths, steps_to_target
from .training import (
    StepsResult,
    gradient_covariance,
    loss_hessian,
    minima_of_batches,
    noise_ball_radii,
    steps_with_tuned_rate,
)

__all__ = [
    "Dataset",
    "Minimum",
    "accuracy",
    "batch_indices",
    "bayes_error",
    "bayes_optimal_weights",
    "bayes_threshold",
    "class_centres",
    "cross_entropy",
    "cross_entropy_from_logits",
    "find_minimum",
    "gradient_field",
    "gradient_noise_scale",
    "grid_argmin",
    "grid_window",
    "is_separable",
    "logits",
    "loss_at",
    "loss_gradient",
    "loss_landscape",
    "make_two_gaussians",
    "minibatch_landscapes",
    "minibatch_loss_variance",
    "minibatch_loss_variance_at",
    "minibatch_losses_at",
    "minibatch_minima",
    "noise_scale_landscape",
    "normal_cdf",
    "per_sample_gradients",
    "per_sample_loss_from_logits",
    "population_landscape",
    "predict",
    "population_accuracy",
    "predict_proba",
    "separable_batches",
    "sgd",
    "sgd_paths",
    "losses_along",
    "noise_ball_radius",
    "steps_to_target",
    "sigmoid",
    "softplus",
    "square_grid",
    "StepsResult",
    "gradient_covariance",
    "loss_hessian",
    "minima_of_batches",
    "noise_ball_radii",
    "steps_with_tuned_rate",
]
