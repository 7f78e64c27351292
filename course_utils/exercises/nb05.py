"""Exercises of notebook 05 (minibatch noise): the variance law, separable batches."""

import functools

from ..data import make_two_gaussians
from ..minibatch import separable_batches
from ._framework import Exercise, Mistake, finite_number_form, near

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
        Mistake(
            "only 1/B: the finite-population factor (N - B)/(N - 1) missing",
            lambda v: near(v, _V16 / 4),
            "that is 0.02 / 4, the law for sampling with replacement: you left out the "
            "finite-population factor (N - B)/(N - 1).",
            _V16 / 4,
        ),
        Mistake(
            "the factor applied at B = 64 only",
            lambda v: near(v, _V16 / 4 * (_N - 64) / (_N - 1)),
            "the 0.02 at B = 16 already contains its own factor (N - 16)/(N - 1): take the "
            "ratio of the two factors, not only the one at 64.",
            _V16 / 4 * (_N - 64) / (_N - 1),
        ),
        Mistake(
            "the factor upside down",
            lambda v: near(v, _V16 / 4 * (_N - 16) / (_N - 64)),
            "the finite-population factor is upside down: a bigger batch has the smaller "
            "(N - B), so its factor is (N - 64)/(N - 16) of the other.",
            _V16 / 4 * (_N - 16) / (_N - 64),
        ),
        Mistake(
            "1/sqrt(B): the standard deviation's law",
            lambda v: near(v, _V16 / 2),
            "the variance falls like 1/B; 1/sqrt(B) is the law of the standard deviation.",
            _V16 / 2,
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

# The notebook's data: distance 2, sigma 1, 200 points per class.
_DATA = make_two_gaussians(2.0, 1.0, 200, 200, seed=0)
# Batches simulated per size: 4000 up to B = 100 (a fraction's standard error is then at most
# 0.008); fewer for larger B, where the fraction is 0 anyway, to bound the work.
_SIMULATED_POINTS, _SIMULATED_BATCHES = 400_000, 4000
# Accepted: the batch sizes whose fraction is within 0.1 of 1/2 (B = 7, 8, 9 here; the
# neighbours 6 and 10 are more than three standard errors outside).
_BAND = 0.1


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
        "data = cu.make_two_gaussians(distance=2.0, sigma=1.0, n0=200, n1=200, seed=0)\n"
        "sizes = np.arange(1, 33)\n"
        "fractions = [cu.separable_batches(data.X, data.y, b, n_batches=2000).mean()"
        " for b in sizes]\n"
        "half_separable_batch_size = int(sizes[np.argmin(np.abs(np.array(fractions) - 0.5))])"
        "  # 8"
    ),
    explanation=(
        "the fraction of separable batches falls from 1 at B = 1, 2 to about 1/2 at B = 8 "
        "(0.49) and near 0 by B = 30."
    ),
    hints=(
        "`cu.separable_batches(data.X, data.y, B, n_batches=2000)` says which batches of "
        "size B are separable; its mean is the fraction.",
        "Compute the fraction for B = 1, 2, ..., 32 and pick the B where it is closest to 0.5.",
    ),
    mistakes=(
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
            2,
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
