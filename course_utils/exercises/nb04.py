"""Exercises of notebook 04: gradient descent to the minimum, the separable case."""

import numpy as np

from ..data import bayes_optimal_weights, make_two_gaussians
from ..landscape import loss_gradient
from ..optimum import find_minimum
from ._answers import close, shape_problem
from ._framework import Exercise

_DATA = make_two_gaussians(3.0, 1.0, 200, 200, seed=0)


def _minimum():
    return find_minimum(_DATA.X, _DATA.y).w


def _gradient_descent():
    w = np.zeros(2)
    for _ in range(500):
        w = w - 2.0 * loss_gradient(_DATA.X, _DATA.y, w)
    return w


q1 = Exercise(
    name="Exercise 1 (the minimum by gradient descent)",
    is_correct=lambda w: close(w, _minimum(), atol=0.01),
    solution_value=_gradient_descent,
    solution_text=(
        "`w = np.zeros(2)`, then 500 times `w = w - 2.0 * cu.loss_gradient(data.X, data.y, w)`: "
        "w ≈ (-2.305, -2.373), the same as `cu.find_minimum`"
    ),
    hints=(
        "Start at w = 0 and repeat w ← w - η·∇L(w) with `cu.loss_gradient`.",
        "η = 1 or 2 and a few hundred steps are enough here.",
    ),
    mistakes=(
        (
            lambda w: close(w, bayes_optimal_weights(3.0, 1.0), atol=0.02),
            "that is w*, the population minimum; this sample's minimum is a little off it.",
        ),
        (
            lambda w: close(w, -_minimum(), atol=0.05),
            "opposite sign: step against the gradient, not along it.",
        ),
        (
            lambda w: np.hypot(*(np.asarray(w) - _minimum())) < 0.3,
            "close: take more steps or check your learning rate.",
        ),
    ),
    validate=shape_problem((2,)),
)

CHOICES = {
    "a": "the learning rate is too large for the loss to settle",
    "b": "every margin along some direction is positive, so stretching w lowers the loss forever",
    "c": "the loss is not convex when the classes are far apart",
}

q2 = Exercise(
    name="Exercise 2 (why separable data have no minimum)",
    is_correct=lambda a: str(a).strip().lower() == "b",
    solution_value=lambda: "b",
    solution_text="(b): with all margins positive, each term softplus(-t·m) falls as t grows",
    hints=("What happens to softplus(-m) when every margin m is multiplied by 2?",),
    mistakes=(
        (
            lambda a: str(a).strip().lower() == "a",
            "no: even exact minimisation finds no minimum; it is the loss, not the optimiser.",
        ),
        (
            lambda a: str(a).strip().lower() == "c",
            "no: the cross-entropy of a linear model is convex for any data.",
        ),
    ),
    wrong_message="answer with one letter: 'a', 'b' or 'c'.",
)
