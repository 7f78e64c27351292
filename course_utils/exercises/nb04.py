"""Exercises of notebook 04 (the landscape): the loss at the origin, the minimum by gradient
descent, why separable data have no minimum."""

import functools
import math

import numpy as np

from ..data import bayes_optimal_weights, make_two_gaussians
from ..landscape import loss_at
from ..optimum import find_minimum
from ._framework import Exercise, Mistake, array_form, finite_number_form, near

# ---- 1. the loss at the origin --------------------------------------------------------------

q1 = Exercise(
    number=1,
    topic="the loss at w = 0",
    variable="loss_at_origin",
    is_correct=lambda a: near(a, math.log(2)),
    solution_code="loss_at_origin = float(np.log(2))  # 0.693, for any data",
    explanation=(
        "at w = 0 every logit is 0, every probability 1/2, and every sample costs "
        "-log(1/2) = log 2 = 0.693, whatever the data: the centre of every landscape."
    ),
    hints=(
        "At w = 0, what probability does the model give to every label?",
        "Every sample costs -log(1/2).",
    ),
    mistakes=(
        Mistake(
            "1/2: the probability, not its log",
            lambda a: near(a, 0.5),
            "1/2 is the probability the model gives every label; the loss is -log of it.",
            0.5,
        ),
        Mistake(
            "-log 2: the sign missing",
            lambda a: near(a, -math.log(2)),
            "a loss is never negative: cross-entropy is the NEGATIVE mean log-likelihood.",
            -math.log(2),
        ),
        Mistake(
            "1: log base 2 (bits)",
            lambda a: near(a, 1.0),
            "1 is log₂ 2, in bits; the course's loss uses the natural logarithm.",
            1.0,
        ),
        Mistake(
            "0",
            lambda a: abs(float(a)) < 1e-9,
            "a loss of 0 needs every label predicted with probability 1; at w = 0 the model "
            "knows nothing.",
            0.0,
        ),
    ),
    form=finite_number_form,
)

# ---- 2. the minimum by gradient descent -----------------------------------------------------

# The notebook's data: distance 3, sigma 1, 200 points per class.
_DATA = make_two_gaussians(3.0, 1.0, 200, 200, seed=0)


@functools.cache
def _minimum() -> np.ndarray:
    return find_minimum(_DATA.X, _DATA.y).w  # (-2.305, -2.373)


def _miss(w) -> float:
    """Distance from the refined minimum."""
    return float(np.hypot(*(np.asarray(w, dtype=float) - _minimum())))


q2 = Exercise(
    number=2,
    topic="the minimum by gradient descent",
    variable="w_descent",
    is_correct=lambda w: _miss(w) <= 0.01,
    solution_code=(
        "data = cu.make_two_gaussians(distance=3.0, sigma=1.0, n0=200, n1=200, seed=0)\n"
        "w_descent = np.zeros(2)\n"
        "for _ in range(500):\n"
        "    w_descent = w_descent - 2.0 * cu.loss_gradient(data.X, data.y, w_descent)\n"
        "# about (-2.305, -2.373), as cu.find_minimum(data.X, data.y).w"
    ),
    explanation=(
        "from w = 0, 500 steps of w ← w - 2·∇L(w) reach the minimum (-2.305, -2.373) to four "
        "decimals; it is near w* = (-2.121, -2.121), not on it: a sample is not the population."
    ),
    hints=(
        "Start at `w = np.zeros(2)` and repeat `w = w - lr * cu.loss_gradient(data.X, data.y, w)`.",
        "A learning rate of 1 or 2 and a few hundred steps are enough; compare with "
        "`cu.find_minimum(data.X, data.y).w`.",
    ),
    mistakes=(
        Mistake(
            "w*, the population minimum",
            lambda w: np.allclose(np.asarray(w, float), bayes_optimal_weights(3.0, 1.0), atol=0.02),
            "that is w*, the minimum of the population landscape; this sample's minimum is a "
            "little off it.",
            bayes_optimal_weights(3.0, 1.0),
        ),
        Mistake(
            "never moved from w = 0",
            lambda w: not np.any(np.asarray(w, dtype=float)),
            "w = 0 is where you start; take steps against the gradient.",
            np.zeros(2),
        ),
        Mistake(
            "uphill: along the gradient",
            lambda w: float(np.asarray(w, dtype=float) @ _minimum()) < 0,
            "you moved away from the minimum: step against the gradient, w - lr·∇L(w), "
            "not along it.",
            np.array([5.0, 5.0]),
        ),
        Mistake(
            "not converged yet",
            lambda w: _miss(w) < 0.5,
            lambda w: (
                f"close, {_miss(w):.3f} from the minimum: take more steps (or a larger "
                "learning rate)."
            ),
            np.array([-2.2, -2.25]),
        ),
        Mistake(
            "diverged: far beyond the minimum",
            lambda w: np.hypot(*np.asarray(w, dtype=float)) > 2 * np.hypot(*_minimum()),
            "far beyond the minimum: the learning rate may be too large, or the sign of the "
            "step wrong.",
            np.array([-20.0, -20.0]),
        ),
    ),
    form=array_form((2,)),
    otherwise=lambda w: (
        f"{_miss(w):.3f} from the minimum, with loss {loss_at(_DATA.X, _DATA.y, w):.4f} "
        "(the minimum's is 0.1563): keep descending."
    ),
)

# ---- 3. why separable data have no minimum --------------------------------------------------

CHOICES = {
    "a": "the learning rate is too large for the loss to settle",
    "b": "along some direction every margin is positive, so stretching w lowers the loss forever",
    "c": "the loss is not convex when the classes are far apart",
}


def _letter(answer) -> str:
    return str(answer).strip().strip("()").strip().lower()


q3 = Exercise(
    number=3,
    topic="why separable data have no minimum",
    variable="why_no_minimum",
    is_correct=lambda a: _letter(a) == "b",
    solution_code='why_no_minimum = "b"',
    explanation=(
        "(b): if w·x puts every point on its own side, every margin m is positive, and each "
        "term softplus(-t·m) falls towards 0 as t grows: the loss has an infimum of 0 but "
        "no minimum."
    ),
    hints=(
        "What happens to softplus(-m) when every margin m is doubled?",
        "The landscape is convex for any data; the question is whether its lowest point "
        "is at a finite w.",
    ),
    mistakes=(
        Mistake(
            "(a): blames the optimiser",
            lambda a: _letter(a) == "a",
            "no: even exact minimisation finds no minimum. It is the loss, not the optimiser.",
            "a",
        ),
        Mistake(
            "(c): non-convexity",
            lambda a: _letter(a) == "c",
            "no: the cross-entropy of a linear model is convex for any data; convex functions "
            "can still keep falling forever.",
            "c",
        ),
    ),
    form=lambda a: (
        None if isinstance(a, str) else 'answer with a letter in quotes: "a", "b" or "c".'
    ),
    otherwise='answer with one letter: "a", "b" or "c".',
)
