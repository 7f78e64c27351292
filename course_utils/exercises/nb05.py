"""Exercises of notebook 05: the variance law, the separable batch size."""

from ..data import make_two_gaussians
from ..minibatch import separable_batches
from ._answers import number_problem
from ._framework import Exercise

_N, _V16 = 400, 0.02
# S² = v16 · 16 · (N - 1)/(N - 16), then the law at B = 64
_V64 = _V16 * (16 / 64) * (_N - 64) / (_N - 16)

q1 = Exercise(
    name="Exercise 1 (the variance at B = 64)",
    is_correct=lambda v: abs(float(v) - _V64) < 1e-5,
    solution_value=lambda: _V64,
    solution_text=("Var ∝ (1/B)·(N - B)/(N - 1), so v64 = 0.02 · (16/64) · (336/384) = 0.004375"),
    hints=(
        "Write the law at B = 16 and at B = 64 and divide: S² cancels.",
        "The ratio is (16/64) · ((400 - 64)/(400 - 16)).",
    ),
    mistakes=(
        (
            lambda v: abs(float(v) - _V16 / 4) < 1e-5,
            "that is S²/B alone: you left out the finite-population factor (N - B)/(N - 1).",
        ),
        (
            lambda v: abs(float(v) - _V16 / 2) < 1e-5,
            "the variance falls like 1/B, not like 1/sqrt(B) (that is the standard deviation).",
        ),
    ),
    validate=number_problem,
)

_DATA = make_two_gaussians(2.0, 1.0, 200, 200, seed=0)


def _fraction(b):
    return float(separable_batches(_DATA.X, _DATA.y, int(b), n_batches=4000, seed=9).mean())


q2 = Exercise(
    name="Exercise 2 (half the batches separable)",
    # accept any batch size whose simulated fraction is between 30 % and 70 %
    is_correct=lambda b: float(b) == int(b) and 1 <= int(b) <= 400 and 0.3 <= _fraction(b) <= 0.7,
    solution_value=lambda: 8,
    solution_text=(
        "`cu.separable_batches(data.X, data.y, B, n_batches=2000).mean()` for B = 1, 2, 4, 8, "
        "...: it crosses 1/2 near B = 8"
    ),
    hints=(
        "`cu.separable_batches` tells which batches are separable; average it.",
        "Try B = 4, 8 and 16 and see where the fraction passes 0.5.",
    ),
    mistakes=(
        (lambda b: _fraction(b) > 0.7, "too small: most batches of this size are separable."),
        (lambda b: _fraction(b) < 0.3, "too large: few batches of this size are separable."),
    ),
    validate=number_problem,
)
