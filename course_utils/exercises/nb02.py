"""Exercises of notebook 02 (the linear classifier): weights by hand, the direction of w*."""

import numpy as np

from ..data import bayes_optimal_weights, make_two_gaussians
from ..model import accuracy
from ._framework import Exercise, Mistake, array_form, finite_number_form, near, near_value

# The notebook's data: distance 5, sigma 1, 200 points per class.
_DATA = make_two_gaussians(5.0, 1.0, 200, 200, seed=0)
_W_STAR = bayes_optimal_weights(5.0, 1.0)
_DIRECTION = _W_STAR / np.hypot(*_W_STAR)  # (-0.707, -0.707)
_TARGET = 0.98


def _accuracy(w) -> float:
    return accuracy(_DATA.X, _DATA.y, np.asarray(w, dtype=float))


def _cosine(w) -> float:
    """Cosine of the angle between ``w`` and w* (0 for w = 0)."""
    w = np.asarray(w, dtype=float)
    length = np.hypot(*w)
    return float(w @ _DIRECTION / length) if length > 0 else 0.0


# ---- 1. weights with 98 % accuracy ---------------------------------------------------------

q1 = Exercise(
    number=1,
    topic="weights with 98 % accuracy",
    variable="my_weights",
    is_correct=lambda w: _accuracy(w) >= _TARGET,
    solution_code="my_weights = np.array([-1.0, -1.0])  # any w close to the direction of w*",
    explanation=(
        "w must point from class 0 towards class 1, along -(1, 1); its length does not "
        "change any prediction. (-1, -1) classifies 99 % of the points correctly."
    ),
    hints=(
        "The boundary w·x = 0 is perpendicular to w, and w points towards class 1. "
        "Where is class 1?",
        "Class 1 is around -c·(1, 1): try w1 = w2 < 0.",
    ),
    mistakes=(
        Mistake(
            "w = 0",
            lambda w: not np.any(np.asarray(w, dtype=float)),
            "w = 0 has no boundary: every point gets probability 1/2.",
            np.zeros(2),
        ),
        Mistake(
            "w pointing at class 0 (every label swapped)",
            lambda w: _accuracy(w) <= 1 - _TARGET,
            "your w points at class 0, so every prediction is swapped: flip its sign.",
            -_W_STAR,
        ),
        Mistake(
            "boundary through both centres (w perpendicular to w*)",
            lambda w: abs(_cosine(w)) < 0.2,
            "your boundary runs through both centres, splitting each class in half: "
            "w must point along the line through the centres, not across it.",
            np.array([1.0, -1.0]),
        ),
    ),
    form=array_form((2,)),
    otherwise=lambda w: (
        f"your weights classify {_accuracy(w):.1%} of the points correctly; 98 % needs w "
        "turned closer to the line through the two centres."
    ),
)

# ---- 2. the direction of w* ---------------------------------------------------------------

q2 = Exercise(
    number=2,
    topic="the direction of w*",
    variable="w_star_direction",
    is_correct=lambda u: np.allclose(np.asarray(u, dtype=float), _DIRECTION, atol=5e-3),
    solution_code=(
        "w_star = cu.bayes_optimal_weights(5.0, 1.0)\n"
        "w_star_direction = w_star / np.linalg.norm(w_star)  # (-0.707, -0.707)"
    ),
    explanation="w* = (μ1 - μ0)/σ² points from class 0 to class 1, along -(1, 1).",
    hints=(
        "w* = (μ1 - μ0) / σ²: which way does μ1 - μ0 point?",
        "Divide a vector by its length (`np.linalg.norm`) to get a unit vector.",
    ),
    mistakes=(
        Mistake(
            "opposite sign",
            lambda u: np.allclose(np.asarray(u, dtype=float), -_DIRECTION, atol=5e-3),
            "opposite sign: w* points from class 0 towards class 1 (μ1 - μ0, not μ0 - μ1).",
            -_DIRECTION,
        ),
        Mistake(
            "right direction, not of length 1",
            lambda u: _cosine(u) > 1 - 1e-5,
            "right direction, but a unit vector has length 1: divide by its length.",
            _W_STAR,
        ),
        Mistake(
            "along the boundary (perpendicular to w*)",
            lambda u: abs(_cosine(u)) < 1e-3,
            "that direction runs along the decision boundary; w* is perpendicular to it.",
            np.array([-1.0, 1.0]) / np.sqrt(2),
        ),
    ),
    form=array_form((2,)),
    otherwise=lambda u: (
        f"your vector is {np.degrees(np.arccos(np.clip(_cosine(u), -1, 1))):.0f} degrees off "
        "the direction of w*."
    ),
)

# ---- 3. the length of w* when sigma doubles -------------------------------------------------

q3 = Exercise(
    number=3,
    topic="the length of w* when sigma doubles",
    variable="length_ratio",
    is_correct=lambda r: near(r, 0.25),
    solution_code=(
        "length_ratio = float(np.linalg.norm(cu.bayes_optimal_weights(5.0, 2.0))\n"
        "                     / np.linalg.norm(cu.bayes_optimal_weights(5.0, 1.0)))  # 1/4"
    ),
    explanation=(
        "|w*| = distance / sigma²: twice the spread gives a quarter of the length, so the "
        "model's probabilities are less confident; the direction stays the same."
    ),
    hints=(
        "w* = (μ1 - μ0) / σ², and μ1 - μ0 does not depend on sigma.",
        "Compare 1/σ² at σ = 2 with 1/σ² at σ = 1.",
    ),
    mistakes=(
        near_value(
            0.5,
            "1/2: w* taken as ∝ 1/sigma",
            "w* is divided by σ², not σ: doubling sigma divides it by 4.",
        ),
        near_value(
            4.0,
            "4: the inverse ratio",
            "the other way round: a wider spread makes the model less sure, so w* is shorter.",
        ),
        near_value(
            2.0,
            "2: the inverse ratio, and ∝ 1/sigma",
            "the other way round, and w* is divided by σ², not σ: a wider spread makes the "
            "model less sure, so w* is shorter, by a factor 4.",
        ),
        near_value(
            1.0,
            "1: the length taken as unchanged",
            "the direction stays the same, but the length changes: w* = (μ1 - μ0) / σ².",
        ),
    ),
    form=finite_number_form,
    target=0.25,
)
