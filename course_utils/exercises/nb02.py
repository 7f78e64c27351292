"""Exercises of notebook 02: weights by hand, the direction of w*."""

import numpy as np

from ..data import bayes_optimal_weights, make_two_gaussians
from ..model import accuracy
from ._answers import close, shape_problem
from ._framework import Exercise

_DATA = make_two_gaussians(5.0, 1.0, 200, 200, seed=0)


def _accuracy(w):
    return accuracy(_DATA.X, _DATA.y, np.asarray(w, dtype=float))


q1 = Exercise(
    name="Exercise 1 (95 % accuracy by hand)",
    is_correct=lambda w: _accuracy(w) >= 0.95,
    solution_value=lambda: np.array([-1.0, -1.0]),
    solution_text="any w pointing roughly along (-1, -1), e.g. `np.array([-1.0, -1.0])`",
    hints=(
        "w points towards class 1, and class 1 is around -c·(1, 1).",
        "Try w1 = w2 < 0.",
    ),
    mistakes=(
        (
            lambda w: _accuracy(w) <= 0.05,
            "your w points at class 0: the predictions are all swapped. Flip its sign.",
        ),
        (lambda w: not np.any(w), "w = 0 predicts nothing: every probability is 1/2."),
    ),
    wrong_message="the accuracy is below 95 %; turn w towards the line through the centres.",
    validate=shape_problem((2,)),
)

_DIRECTION = bayes_optimal_weights(5.0, 1.0) / np.hypot(*bayes_optimal_weights(5.0, 1.0))

q2 = Exercise(
    name="Exercise 2 (direction of w*)",
    is_correct=lambda u: close(u, _DIRECTION, atol=1e-3),
    solution_value=lambda: _DIRECTION,
    solution_text="w* ∝ μ1 - μ0 ∝ -(1, 1), so the unit vector is (-0.707, -0.707)",
    hints=("w* = (μ1 - μ0)/σ²: which way does μ1 - μ0 point?", "Divide by its length."),
    mistakes=(
        (
            lambda u: close(u, -_DIRECTION, atol=1e-3),
            "opposite sign: w* points from class 0 towards class 1.",
        ),
        (
            lambda u: (
                np.hypot(*u) > 0 and close(np.asarray(u) / np.hypot(*u), _DIRECTION, atol=1e-3)
            ),
            "right direction, but a unit vector has length 1.",
        ),
    ),
    validate=shape_problem((2,)),
)
