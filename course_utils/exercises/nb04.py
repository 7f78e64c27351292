"""Exercises of notebook 04 (the landscape).

The loss at the origin, the minimum by gradient descent, why separable data have no minimum.
"""

import functools
import math

import numpy as np

from ..data import make_two_gaussians
from ..landscape import loss_gradient
from ..optimum import find_minimum
from ._framework import (
    Exercise,
    Mistake,
    finite_number_form,
    is_stub_function,
    near,
    near_value,
    returns_none,
)

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
        near_value(
            0.5,
            "1/2: the probability, not its log",
            "1/2 is the probability the model gives every label; the loss is -log of it.",
        ),
        near_value(
            -math.log(2),
            "-log 2: the sign missing",
            "a loss is never negative: cross-entropy is the NEGATIVE mean log-likelihood.",
        ),
        near_value(
            1.0,
            "1: log base 2 (bits)",
            "1 is log₂ 2, in bits; the course's loss uses the natural logarithm.",
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
    target=math.log(2),
)

# ---- 2. the minimum by gradient descent -----------------------------------------------------
#
# The question asks for a process, so the answer is the student's descent itself: a function
# gradient_descent(X, y, lr, n_steps) returning every iterate from w = 0. It is run on data the
# student has not seen and compared step by step with gradient descent; a function returning
# the minimum (find_minimum's, or the numbers printed above) cannot pass.

# The notebook's data: distance 3, sigma 1, 200 points per class.
_DATA = make_two_gaussians(3.0, 1.0, 200, 200, seed=0)
# Hidden data for the check: other distance, spread and counts than the notebook's.
_HIDDEN = make_two_gaussians(2.0, 1.5, 30, 50, seed=11)
_LR, _STEPS = 1.5, 40


@functools.cache
def _minimum() -> np.ndarray:
    return find_minimum(_DATA.X, _DATA.y).w  # (-2.305, -2.373)


def _reference(X, y, lr, n_steps, sign=-1.0) -> np.ndarray:
    path = np.zeros((n_steps + 1, 2))
    for t in range(n_steps):
        path[t + 1] = path[t] + sign * lr * loss_gradient(X, y, path[t])
    return path


def _path(function, X=None, y=None, lr=_LR, n_steps=_STEPS) -> np.ndarray:
    X = _HIDDEN.X if X is None else X
    y = _HIDDEN.y if y is None else y
    return np.asarray(function(X.copy(), y.copy(), lr, n_steps), dtype=float)


def _descends(function) -> bool:
    path = _path(function)
    expected = _reference(_HIDDEN.X, _HIDDEN.y, _LR, _STEPS)
    if path.shape != expected.shape or not np.allclose(path, expected, rtol=1e-6, atol=1e-9):
        return False
    # ... and it reaches this notebook's minimum with a learning rate that converges
    final = _path(function, _DATA.X, _DATA.y, 2.0, 500)[-1]
    return float(np.hypot(*(final - _minimum()))) <= 1e-3


def _shape_is(function, shape) -> bool:
    return _path(function).shape == shape


def _no_return(X, y, lr, n_steps):  # a body that computes but forgets to return
    w = np.zeros(2)
    for _ in range(n_steps):
        w = w - lr * loss_gradient(X, y, w)


def _final_point_only(X, y, lr, n_steps):
    return _reference(X, y, lr, n_steps)[-1]


def _uphill(X, y, lr, n_steps):
    return _reference(X, y, lr, n_steps, sign=+1.0)


def _without_start(X, y, lr, n_steps):
    return _reference(X, y, lr, n_steps)[1:]


def _the_minimum(X, y, lr, n_steps):
    return np.repeat(find_minimum(X, y).w[None], n_steps + 1, axis=0)


q2 = Exercise(
    number=2,
    topic="the minimum by gradient descent",
    variable="gradient_descent",
    is_correct=_descends,
    solution_code=(
        "def gradient_descent(X, y, lr, n_steps):\n"
        "    path = [np.zeros(2)]\n"
        "    for _ in range(n_steps):\n"
        "        path.append(path[-1] - lr * cu.loss_gradient(X, y, path[-1]))\n"
        "    return np.array(path)\n"
        "\n"
        "# gradient_descent(data.X, data.y, 2.0, 500)[-1] is (-2.305, -2.373), the minimum"
    ),
    explanation=(
        "each step moves against the gradient, w ← w - lr·∇L(w); from w = 0, 500 steps with "
        "lr = 2 reach the minimum (-2.305, -2.373) to four decimals. It is near w* = "
        "(-2.121, -2.121), not on it: a sample is not the population."
    ),
    hints=(
        "Start with `w = np.zeros(2)` and a list `path = [w]`; repeat "
        "`w = w - lr * cu.loss_gradient(X, y, w)` and append each new `w`.",
        "Return `np.array(path)`: n_steps + 1 rows, the first one (0, 0). Then try "
        "`gradient_descent(data.X, data.y, 2.0, 500)[-1]` and compare with "
        "`cu.find_minimum(data.X, data.y).w`.",
    ),
    mistakes=(
        returns_none(
            lambda f: f(_HIDDEN.X, _HIDDEN.y, _LR, 2), "`return np.array(path)`", _no_return
        ),
        Mistake(
            "only the last point",
            lambda f: _shape_is(f, (2,)),
            "return the whole path, every iterate from w = 0: an array of shape (n_steps + 1, 2).",
            _final_point_only,
        ),
        Mistake(
            "the minimum, not a descent",
            lambda f: np.allclose(_path(f), find_minimum(_HIDDEN.X, _HIDDEN.y).w, atol=1e-6),
            "that is where the descent should end, not the descent: start at w = 0 and take "
            "the steps yourself.",
            _the_minimum,
        ),
        Mistake(
            "uphill: along the gradient",
            lambda f: np.allclose(_path(f), _reference(_HIDDEN.X, _HIDDEN.y, _LR, _STEPS, +1.0)),
            "you climb: step against the gradient, w - lr·∇L(w), not along it.",
            _uphill,
        ),
        Mistake(
            "the start left out",
            lambda f: _shape_is(f, (_STEPS, 2)),
            "the path should start with w = 0: n_steps + 1 rows, not n_steps.",
            _without_start,
        ),
    ),
    form=lambda f: (
        None
        if callable(f)
        else "the answer should be a function gradient_descent(X, y, lr, n_steps)."
    ),
    otherwise=lambda f: (
        "your path differs from gradient descent's "
        f"(first step {np.round(_path(f)[1], 4).tolist()} instead of "
        f"{np.round(_reference(_HIDDEN.X, _HIDDEN.y, _LR, 1)[1], 4).tolist()} on other data): "
        "start at w = 0 and use `cu.loss_gradient(X, y, w)` with the X, y passed in."
    ),
    untouched=is_stub_function,
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
