"""Exercises of notebook 01: the class centres and the Bayes error."""

import math

import numpy as np

from ..data import bayes_error, class_centres
from ._answers import close, number_problem, shape_problem
from ._framework import Exercise

q1 = Exercise(
    name="Exercise 1 (centres for distance 3)",
    is_correct=lambda a: close(a, class_centres(3.0), atol=1e-6),
    solution_value=lambda: class_centres(3.0),
    solution_text=(
        "`c = 3 / (2 * np.sqrt(2))`, then `np.array([[c, c], [-c, -c]])`: "
        "class 0 at (1.061, 1.061), class 1 at (-1.061, -1.061)"
    ),
    hints=(
        "The centres are ±c·(1, 1); their distance is 2·sqrt(2)·c.",
        "Solve 2·sqrt(2)·c = 3 for c.",
    ),
    mistakes=(
        (
            lambda a: close(a, class_centres(3.0)[::-1], atol=1e-6),
            "the classes are swapped: class 0 sits at +c·(1, 1), class 1 at -c·(1, 1).",
        ),
        (
            lambda a: close(
                np.hypot(*(np.asarray(a)[0] - np.asarray(a)[1])), math.sqrt(6.0), atol=1e-6
            ),
            "your centres are sqrt(2·distance) apart, not distance apart: the offset "
            "distance / (2·sqrt(distance)) is the original draft's bug.",
        ),
        (
            lambda a: close(np.hypot(*(np.asarray(a)[0] - np.asarray(a)[1])), 3.0, atol=1e-6),
            "they are 3 apart, but not at ±c·(1, 1) on the diagonal with class 0 at +c.",
        ),
    ),
    validate=shape_problem((2, 2)),
)

_TRUE_ERROR = bayes_error(2.0, 1.0)

q2 = Exercise(
    name="Exercise 2 (Bayes error by simulation)",
    # 20,000 points: the estimate's standard error is about 0.0026; allow four of them.
    is_correct=lambda a: abs(float(a) - _TRUE_ERROR) < 0.011,
    solution_value=lambda: _simulated_bayes_error(2.0, 1.0, 10_000),
    solution_text=(
        "`d = cu.make_two_gaussians(2.0, 1.0, 10_000, 10_000, seed=1)`; classify each point "
        "by the nearer centre (`cu.predict(d.X, cu.bayes_optimal_weights(2.0, 1.0))`) and "
        "take `np.mean(labels != d.y)` ≈ 0.159 = Φ(-1)"
    ),
    hints=(
        "With equal classes the nearer centre is the best guess.",
        "`cu.predict(X, cu.bayes_optimal_weights(2.0, 1.0))` classifies by the nearer centre; "
        "compare with `d.y`.",
    ),
    mistakes=(
        (
            lambda a: abs(1 - float(a) - _TRUE_ERROR) < 0.011,
            "that is the accuracy; the error rate is one minus it.",
        ),
        (
            lambda a: abs(float(a) - bayes_error(4.0, 1.0)) < 0.006,
            "that is Φ(-distance/sigma): the midpoint is only distance/2 from each centre.",
        ),
    ),
    wrong_message="that is too far from the true error rate; use at least 10,000 points.",
    validate=number_problem,
)


def _simulated_bayes_error(distance, sigma, n):
    from ..data import bayes_optimal_weights, make_two_gaussians
    from ..model import predict

    d = make_two_gaussians(distance, sigma, n, n, seed=1)
    return float(np.mean(predict(d.X, bayes_optimal_weights(distance, sigma)) != d.y))


# Φ(-4 / (2σ)) = 0.01  ⇔  2/σ = 2.3263...
_SIGMA_1_PERCENT = 2.0 / 2.3263478740408408

q3 = Exercise(
    name="Exercise 3 (sigma for a 1 % Bayes error)",
    is_correct=lambda a: abs(bayes_error(4.0, float(a)) - 0.01) < 2e-4,
    solution_value=lambda: _SIGMA_1_PERCENT,
    solution_text="Φ(-4/(2σ)) = 0.01 gives 4/(2σ) = 2.326, so σ ≈ 0.860",
    hints=(
        "Only distance / (2·sigma) matters: find the z with Φ(-z) = 0.01.",
        "z ≈ 2.326; then sigma = distance / (2·z).",
    ),
    mistakes=(
        (
            lambda a: abs(float(a) - 2 * _SIGMA_1_PERCENT) < 0.02,
            "the Bayes error is Φ(-distance/(2σ)): you dropped the 2.",
        ),
        (lambda a: float(a) <= 0, "sigma must be positive."),
    ),
    validate=number_problem,
)
