"""Exercises of notebook 03 (cross-entropy).

The stable loss, a confident mistake, the best length of w along w*.
"""

import functools
import math

import numpy as np

from ..data import bayes_optimal_weights, make_two_gaussians
from ..loss import cross_entropy_from_logits, softplus
from ._framework import (
    Exercise,
    Mistake,
    is_stub_function,
    near,
    near_value,
    number_form,
    returns_none,
)

# ---- 1. the stable loss from logits ----------------------------------------------------------


def _cases() -> list[tuple[np.ndarray, np.ndarray]]:
    """Labels and logits the student's function must handle: moderate, large and huge."""
    rng = np.random.default_rng(2024)
    extremes = np.array([40.0, -40.0, 700.0, -700.0, 800.0, -800.0, 1e6, -1e6, 0.0])
    cases = [(np.array([0, 1, 1, 0, 1]), np.array([0.5, -0.3, 2.0, -1.0, 0.0]))]
    cases += [(rng.integers(0, 2, n), rng.normal(0, 3, n)) for n in (1, 7, 200)]
    cases += [(np.tile([0, 1], 9)[: extremes.size], extremes)]
    cases += [(rng.integers(0, 2, 50), rng.uniform(-1e6, 1e6, 50))]
    return cases


_CASES = _cases()
_EXPECTED = np.array([cross_entropy_from_logits(y, z) for y, z in _CASES])
_MODERATE = slice(0, 4)  # the cases without large logits


def _outputs(function) -> np.ndarray:
    """Return the function's value on every case; ValueError unless one number per case."""
    values = [np.asarray(function(y.copy(), z.copy()), dtype=float) for y, z in _CASES]
    if any(v.ndim != 0 for v in values):
        raise ValueError("not one number per call")
    return np.array([float(v) for v in values])


def _matches(values, expected=_EXPECTED) -> bool:
    return bool(np.allclose(values, expected, rtol=1e-6, atol=1e-12))


def _on_first_case(function):
    y, z = _CASES[0]
    return function(y.copy(), z.copy())


def _no_return(y, z):  # a body that computes but forgets to return (the mistake's example)
    m = (2 * y - 1) * z
    np.mean(np.logaddexp(0, -m))


def _reference_stable_loss(y, z):  # what solution_code defines, for the mistakes' examples
    m = (2 * y - 1) * z
    return np.mean(np.maximum(-m, 0) + np.log1p(np.exp(-np.abs(m))))


def _probability_form(y, z):
    p = 1 / (1 + np.exp(-z))
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


q1 = Exercise(
    number=1,
    topic="a stable loss from logits",
    variable="stable_loss",
    is_correct=lambda f: _matches(_outputs(f)),
    solution_code=(
        "def stable_loss(y, z):\n"
        '    """Mean cross-entropy of labels y (0 or 1) and logits z, finite for any z."""\n'
        "    m = (2 * y - 1) * z  # the margin: positive when the label is predicted\n"
        "    return np.mean(np.maximum(-m, 0) + np.log1p(np.exp(-np.abs(m))))"
    ),
    explanation=(
        "each sample costs softplus(-m) with the margin m = (2y - 1)·z, and "
        "softplus(u) = max(u, 0) + log1p(exp(-|u|)) never takes exp of a large number "
        "nor log of 0."
    ),
    hints=(
        "Write one sample's loss through its margin m = (2y - 1)·z: it is log(1 + exp(-m)).",
        "log(1 + exp(u)) = max(u, 0) + log(1 + exp(-|u|)): the exp is then at most 1.",
        "`m = (2 * y - 1) * z`, then the mean of `np.maximum(-m, 0) + "
        "np.log1p(np.exp(-np.abs(m)))`.",
    ),
    mistakes=(
        returns_none(_on_first_case, "`return` and the mean loss", _no_return),
        Mistake(
            "per-sample losses instead of their mean",
            lambda f: np.shape(f(*_CASES[0])) == _CASES[0][0].shape,
            "your function returns one loss per sample: return their mean, a single number.",
            lambda y, z: np.logaddexp(0, -(2 * y - 1) * z),
        ),
        Mistake(
            "the log-likelihood: the sign missing",
            lambda f: np.any(_outputs(f)[_MODERATE] < 0),
            "your loss is negative: cross-entropy is the NEGATIVE mean log-likelihood.",
            lambda y, z: -_reference_stable_loss(y, z),
        ),
        Mistake(
            "inf or NaN for large logits (the probability form, or exp overflowing)",
            lambda f: not np.all(np.isfinite(_outputs(f))),
            "inf or NaN for large logits: that is the probability form (log of 0) or an "
            "overflowing exp. Use max(u, 0) + log1p(exp(-|u|)).",
            _probability_form,
        ),
        Mistake(
            "labels swapped (margin (1 - 2y)·z)",
            lambda f: _matches(
                _outputs(f), [cross_entropy_from_logits(1 - y, z) for y, z in _CASES]
            ),
            "your loss rewards the wrong class: the margin is (2y - 1)·z, positive when "
            "y = 1 and z > 0.",
            lambda y, z: _reference_stable_loss(1 - y, z),
        ),
        Mistake(
            "the sum instead of the mean",
            lambda f: _matches(_outputs(f), _EXPECTED * [y.size for y, _ in _CASES]),
            "that is the sum of the losses; the loss is their mean.",
            lambda y, z: np.sum(np.logaddexp(0, -(2 * y - 1) * z)),
        ),
        Mistake(
            "right for moderate logits only",
            lambda f: _matches(_outputs(f)[_MODERATE], _EXPECTED[_MODERATE]),
            "right for moderate logits, wrong for large ones (|z| up to 10^6): check how "
            "your formula behaves when |m| is large.",
            lambda y, z: _reference_stable_loss(y, np.clip(z, -30, 30)),
        ),
    ),
    form=lambda f: None if callable(f) else "the answer should be a function stable_loss(y, z).",
    otherwise="your function does not compute the mean cross-entropy: try `hint()`.",
    untouched=is_stub_function,
    todo="write the body of `stable_loss`, ending with `return`.",
)

# ---- 2. the loss of a confident mistake -----------------------------------------------------

_CONFIDENT_MISTAKE = float(softplus(40.0))  # label 0, logit 40: 40 + 4e-18

q2 = Exercise(
    number=2,
    topic="the loss of a confident mistake",
    variable="loss_of_confident_mistake",
    is_correct=lambda a: near(a, _CONFIDENT_MISTAKE),
    solution_code=(
        "loss_of_confident_mistake = float(np.logaddexp(0, 40.0))  # softplus(-m), m = -40"
    ),
    explanation=(
        "the margin is m = (2·0 - 1)·40 = -40 and the loss softplus(40) = 40 + log1p(e^-40) "
        "= 40.0000: a confident mistake costs about |z|, finite."
    ),
    hints=(
        "Compute the margin m = (2y - 1)·z first; the loss is softplus(-m).",
        "softplus(u) = u + log(1 + e^-u) is almost exactly u for u = 40.",
    ),
    mistakes=(
        Mistake(
            "inf: the probability form",
            lambda a: math.isinf(float(a)),
            "inf is what the probability form gives: sigmoid(40) rounds to 1 and "
            "log(1 - 1) = -inf. The true loss is finite.",
            math.inf,
        ),
        Mistake(
            "NaN",
            lambda a: math.isnan(float(a)),
            "NaN comes from the probability form (0·log 0 or inf - inf); the true loss is finite.",
            math.nan,
        ),
        near_value(
            -_CONFIDENT_MISTAKE,
            "-40: the sign missing",
            "a loss is never negative: cross-entropy is the NEGATIVE log-likelihood.",
        ),
        near_value(
            0.0,
            "about 0: the loss for label 1",
            "about 0 would be right for label 1; this point has label 0 and a logit of 40: "
            "the model is confidently wrong.",
            atol=1e-6,
        ),
        near_value(
            1.0,
            "1: the 0-1 error",
            "1 is the 0-1 error of this point; the cross-entropy grows with how wrong the "
            "model is.",
        ),
    ),
    form=number_form,
    target=_CONFIDENT_MISTAKE,
)

# ---- 3. the best length of w along w* -----------------------------------------------------

_DATA = make_two_gaussians(5.0, 1.0, 200, 200, seed=0)
_UNIT = bayes_optimal_weights(5.0, 1.0) / 5.0  # |w*| = distance / sigma² = 5
_MARGINS = (2 * _DATA.y - 1) * (_DATA.X @ _UNIT)  # each point's margin per unit of length


def _loss_at_length(t: float) -> float:
    return float(np.mean(softplus(-t * _MARGINS)))


@functools.cache
def _best() -> tuple[float, float]:
    """Return the best length and its loss (a fine scan, then a parabola through the minimum)."""
    lengths = np.linspace(0.5, 20.0, 3901)
    losses = np.mean(softplus(-np.multiply.outer(lengths, _MARGINS)), axis=1)
    i = int(np.argmin(losses))
    a, b, c = losses[i - 1 : i + 2]
    t = lengths[i] + 0.5 * (lengths[1] - lengths[0]) * (a - c) / (a - 2 * b + c)
    return float(t), _loss_at_length(t)


def _excess(t) -> float:
    """How much the loss at length t exceeds the smallest along the ray, relatively."""
    best_loss = _best()[1]
    return _loss_at_length(float(t)) / best_loss - 1


q3 = Exercise(
    number=3,
    topic="the best length along w*",
    variable="best_length",
    # Any length whose loss is within 1 % of the best: the bottom of the curve is flat.
    is_correct=lambda t: 0 < float(t) < math.inf and _excess(t) <= 0.01,
    solution_code=(
        "data = cu.make_two_gaussians(distance=5.0, sigma=1.0, n0=200, n1=200, seed=0)\n"
        "u = cu.bayes_optimal_weights(5.0, 1.0) / 5.0  # the unit vector along w*\n"
        "lengths = np.linspace(0.5, 20, 391)\n"
        "losses = [cu.cross_entropy_from_logits(data.y, data.X @ (t * u)) for t in lengths]\n"
        "best_length = float(lengths[np.argmin(losses)])  # about 5.0"
    ),
    explanation=(
        "the loss along t·u is lowest near t = 5.0 = |w*|. It is not infinitely long because "
        "the sample is not separable: each misclassified point costs about t·|m|, which "
        "eventually outweighs what the other points gain."
    ),
    hints=(
        "Scan t on a grid, say 0.5 to 20, and compute the loss at t·u, u = w*/|w*|.",
        "Take the t with the smallest loss; a grid step of 0.05 is fine enough.",
    ),
    mistakes=(
        Mistake(
            "infinitely (or very) long",
            lambda t: float(t) > 10,
            "too long: the loss rises again for long w. The sample is not separable, and each "
            "misclassified point costs about t·|m|.",
            math.inf,
        ),
        near_value(
            1.0,
            "1: the unit vector",
            "t = 1 is the unit vector's length; the question asks which length is best.",
        ),
        Mistake(
            "not positive",
            lambda t: float(t) <= 0,
            "a length is positive (a negative t turns w around).",
            -5.0,
        ),
    ),
    form=number_form,
    otherwise=lambda t: (
        f"at t = {float(t):.2f} the loss is {100 * _excess(t):.1f} % above the smallest "
        "along the ray: scan more finely."
    ),
)
