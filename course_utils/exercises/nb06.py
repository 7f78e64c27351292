"""Exercises of notebook 06: the linear scaling rule."""

import math

from ._answers import number_problem
from ._framework import Exercise

q1 = Exercise(
    name="Exercise 1 (learning rate for twice the batch)",
    is_correct=lambda lr: abs(float(lr) - 0.2) < 1e-9,
    solution_value=lambda: 0.2,
    solution_text="the noise ball is set by η/B: doubling B from 8 to 16 needs η = 0.2",
    hints=(
        "How does the radius of the noise ball depend on η and B?",
        "Keep η/B constant.",
    ),
    mistakes=(
        (
            lambda lr: abs(float(lr) - 0.1) < 1e-9,
            "with the same η, twice the batch halves the noise: the ball shrinks.",
        ),
        (
            lambda lr: abs(float(lr) - 0.1 * math.sqrt(2)) < 1e-6,
            "that is square-root scaling; for SGD the noise goes like η/B, so scale η linearly.",
        ),
        (
            lambda lr: abs(float(lr) - 0.05) < 1e-9,
            "the other way round: a bigger batch is less noisy, so it can take a larger step.",
        ),
    ),
    validate=number_problem,
)

q2 = Exercise(
    name="Exercise 2 (steps at twice the batch)",
    is_correct=lambda steps: abs(float(steps) - 30) < 1e-9,
    solution_value=lambda: 30,
    solution_text=("far below the noise scale, doubling B (and η) halves the steps: 60 → 30"),
    hints=("Below the noise scale, the steps fall like 1/B.",),
    mistakes=(
        (
            lambda s: abs(float(s) - 60) < 1e-9,
            "below the noise scale a bigger batch does save steps: it is in the 1/B regime.",
        ),
        (lambda s: abs(float(s) - 15) < 1e-9, "that is for four times the batch."),
    ),
    validate=number_problem,
)
