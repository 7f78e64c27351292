"""Exercises of notebook 03: the stable loss, the best length along w*."""

import numpy as np

from ..data import bayes_optimal_weights, make_two_gaussians
from ..loss import cross_entropy_from_logits
from ._answers import number_problem
from ._framework import Exercise

_Y = np.array([0, 1, 1, 0, 1, 0, 1, 0])
_TESTS = [
    np.array([0.5, -0.3, 2.0, -1.0, 0.0, 3.0, -4.0, 1.5]),
    np.array([40.0, -40.0, 700.0, -700.0, 800.0, -800.0, 1e6, -1e6]),
]


def _stable_loss(y, z):
    m = (2 * np.asarray(y) - 1) * np.asarray(z, dtype=float)
    return float(np.mean(np.maximum(-m, 0) + np.log1p(np.exp(-np.abs(m)))))


def _outputs(function):
    with np.errstate(all="ignore"):
        return [float(function(_Y, z)) for z in _TESTS]


def _matches(function):
    expected = [cross_entropy_from_logits(_Y, z) for z in _TESTS]
    return np.allclose(_outputs(function), expected, rtol=1e-9)


q1 = Exercise(
    name="Exercise 1 (a stable loss from logits)",
    is_correct=lambda f: callable(f) and _matches(f),
    solution_value=lambda: _stable_loss,
    solution_text=(
        "`m = (2*y - 1) * z` and `np.mean(np.maximum(-m, 0) + np.log1p(np.exp(-np.abs(m))))`"
    ),
    hints=(
        "Write the loss through the margin m = (2y - 1)·z: it is softplus(-m).",
        "softplus(u) = max(u, 0) + log1p(exp(-|u|)) never overflows.",
    ),
    mistakes=(
        (
            lambda f: any(v < 0 for v in _outputs(f)),
            "your loss is negative: cross-entropy is the NEGATIVE mean log-likelihood.",
        ),
        (
            lambda f: not np.all(np.isfinite(_outputs(f))),
            "inf or NaN for large logits: that is the probability form (log of 0) or an "
            "overflowing exp. Use max(u, 0) + log1p(exp(-|u|)).",
        ),
        (
            lambda f: np.allclose(_outputs(f)[0], cross_entropy_from_logits(_Y, _TESTS[0])),
            "right for small logits, wrong for large ones: check the branch for |m| large.",
        ),
    ),
    validate=lambda f: None if callable(f) else "the answer should be a function f(y, z).",
)

_DATA = make_two_gaussians(5.0, 1.0, 200, 200, seed=0)


def _best_length():
    u = bayes_optimal_weights(5.0, 1.0) / 5.0
    lengths = np.linspace(0.5, 20, 3901)
    losses = [cross_entropy_from_logits(_DATA.y, _DATA.X @ (t * u)) for t in lengths]
    return float(lengths[int(np.argmin(losses))])


q2 = Exercise(
    name="Exercise 2 (the best length along w*)",
    is_correct=lambda t: abs(float(t) - _best_length()) < 0.25,
    solution_value=_best_length,
    solution_text=(
        "scan `t` and take the smallest `cu.cross_entropy_from_logits(d.y, d.X @ (t * u))`: "
        "t ≈ 5.0 — finite, because a few points are on the wrong side and each costs about t"
    ),
    hints=(
        "Evaluate the loss at t·u for t on a fine grid, u = w*/|w*|.",
        "The loss has one minimum; its misclassified points make long w expensive.",
    ),
    mistakes=(
        (
            lambda t: float(t) > 10,
            "too long: the loss rises again, each misclassified point costs about t.",
        ),
        (lambda t: float(t) <= 0, "a length is positive."),
    ),
    validate=number_problem,
)
