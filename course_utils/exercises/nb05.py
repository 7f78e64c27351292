"""Exercises of notebook 05 (minibatch noise): the variance law, separable batches."""

import functools

from ..data import make_two_gaussians
from ..minibatch import separable_batches
from ._framework import Exercise, Mistake, finite_number_form, near, near_value

# ---- 1. the variance at B = 64 from the one at B = 16 -------------------------------------

_N, _V16 = 400, 0.02
# Var[L_B] = S²/B · (N - B)/(N - 1): S² cancels in the ratio of two batch sizes.
_V64 = _V16 * (16 / 64) * (_N - 64) / (_N - 16)  # 0.004375

q1 = Exercise(
    number=1,
    topic="the variance at B = 64",
    variable="variance_at_64",
    is_correct=lambda v: near(v, _V64),
    solution_code=(
        "N = 400\nvariance_at_64 = 0.02 * (16 / 64) * ((N - 64) / (N - 16))  # 0.004375"
    ),
    explanation=(
        "divide the law at B = 64 by the law at B = 16: S² and N - 1 cancel, leaving "
        "(16/64)·(336/384), so 0.02 · 0.21875 = 0.004375."
    ),
    hints=(
        "Write Var[L_B] = S²/B · (N - B)/(N - 1) for B = 16 and for B = 64, and divide.",
        "The ratio is (16/64) · ((400 - 64)/(400 - 16)).",
    ),
    mistakes=(
        near_value(
            _V16 / 4,
            "only 1/B: the finite-population factor (N - B)/(N - 1) missing",
            "that is 0.02 / 4, the law for sampling with replacement: you left out the "
            "finite-population factor (N - B)/(N - 1).",
        ),
        near_value(
            _V16 / 4 * (_N - 64) / (_N - 1),
            "the factor applied at B = 64 only",
            "the 0.02 at B = 16 already contains its own factor (N - 16)/(N - 1): take the "
            "ratio of the two factors, not only the one at 64.",
        ),
        near_value(
            _V16 / 4 * (_N - 16) / (_N - 64),
            "the factor upside down",
            "the finite-population factor is upside down: a bigger batch has the smaller "
            "(N - B), so its factor is (N - 64)/(N - 16) of the other.",
        ),
        near_value(
            _V16 / 2,
            "1/sqrt(B): the standard deviation's law",
            "the variance falls like 1/B; 1/sqrt(B) is the law of the standard deviation.",
        ),
        Mistake(
            "grows with B",
            lambda v: float(v) > _V16,
            "a bigger batch averages more samples: its variance is smaller, not larger.",
            4 * _V16,
        ),
    ),
    form=finite_number_form,
)

# ---- 2. the batch size at which half the batches are separable -----------------------------

# Not the notebook's data (distance 2, whose table the notebook prints: B = 8 there), but
# classes 3 apart: the student simulates it. 200 points per class, sigma 1, seed 0.
_DATA = make_two_gaussians(3.0, 1.0, 200, 200, seed=0)
# Batches simulated per size: 4000 up to B = 100 (a fraction's standard error is then at most
# 0.008); fewer for larger B, where the fraction is 0 anyway, to bound the work.
_SIMULATED_POINTS, _SIMULATED_BATCHES = 400_000, 4000
# Accepted: the batch sizes whose fraction is within 0.08 of 1/2 (B = 17..22 here; the
# neighbours 16 and 23 are about three standard errors outside).
_BAND = 0.08


@functools.cache
def _fraction(batch_size: int) -> float:
    """Fraction of separable batches of this size (a fixed simulation)."""
    n_batches = min(_SIMULATED_BATCHES, _SIMULATED_POINTS // batch_size)
    return float(separable_batches(_DATA.X, _DATA.y, batch_size, n_batches, seed=9).mean())


def _batch_size_form(answer) -> str | None:
    problem = finite_number_form(answer)
    if problem:
        return problem
    if float(answer) != int(answer):
        return "a batch size is a whole number."
    if not 1 <= int(answer) <= _N:
        return f"a batch size is in 1..{_N}."
    return None


def _half(b) -> bool:
    return abs(_fraction(int(b)) - 0.5) <= _BAND


q2 = Exercise(
    number=2,
    topic="half the batches separable",
    variable="half_separable_batch_size",
    is_correct=_half,
    solution_code=(
        "data3 = cu.make_two_gaussians(distance=3.0, sigma=1.0, n0=200, n1=200, seed=0)\n"
        "sizes = np.arange(1, 41)\n"
        "fractions = [cu.separable_batches(data3.X, data3.y, b, n_batches=2000).mean()"
        " for b in sizes]\n"
        "half_separable_batch_size = int(sizes[np.argmin(np.abs(np.array(fractions) - 0.5))])"
        "  # about 20"
    ),
    explanation=(
        "with the classes 3 apart the fraction of separable batches falls more slowly than "
        "for distance 2 (1/2 at B = 8): about 1/2 at B = 20 (0.48), still 0.27 at B = 32. "
        "Any B from 17 to 22 is within 0.08 of one half."
    ),
    hints=(
        "Make the data with `cu.make_two_gaussians(distance=3.0, sigma=1.0, n0=200, n1=200, "
        "seed=0)`; `cu.separable_batches(X, y, B, n_batches=2000)` says which batches of size "
        "B are separable, and its mean is the fraction.",
        "Compute the fraction for B = 1, 2, ..., 40 and pick the B where it is closest to 0.5.",
    ),
    mistakes=(
        Mistake(
            "8: distance 2's answer, from the table above",
            lambda b: int(b) == 8,
            "8 is where half the batches are separable for the notebook's data (distance 2); "
            "these classes are 3 apart: simulate them.",
            8,
        ),
        Mistake(
            "half the data set instead of half the batches",
            lambda b: int(b) == _N // 2,
            "half of the batches, not half of the data: batches of 200 are almost never separable.",
            _N // 2,
        ),
        Mistake(
            "too small",
            lambda b: _fraction(int(b)) > 0.5 + _BAND,
            lambda b: (
                f"too small: {_fraction(int(b)):.0%} of the batches of {int(b)} are separable."
            ),
            4,
        ),
        Mistake(
            "too large",
            lambda b: _fraction(int(b)) < 0.5 - _BAND,
            lambda b: (
                f"too large: only {_fraction(int(b)):.0%} of the batches of {int(b)} are separable."
            ),
            64,
        ),
    ),
    form=_batch_size_form,
)
