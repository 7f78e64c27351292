"""Exercises of notebook 01 (two Gaussian classes): the centres and the Bayes error."""

import math
from statistics import NormalDist

import numpy as np

from ..data import bayes_error, class_centres, make_two_gaussians
from ._framework import (
    Exercise,
    Mistake,
    array_form,
    finite_number_form,
    is_stub_function,
    near,
    near_value,
    returns_none,
)

# ---- 1. the class centres for distance 3 --------------------------------------------------

_DISTANCE = 3.0
_CENTRES = class_centres(_DISTANCE)  # rows: class 0 at +c·(1, 1), class 1 at -c·(1, 1)


def _gap(centres) -> float:
    """Distance between the two rows."""
    a = np.asarray(centres, dtype=float)
    return float(np.hypot(*(a[0] - a[1])))


def _on_diagonal(scale: float) -> np.ndarray:
    return np.array([[scale, scale], [-scale, -scale]])


q1 = Exercise(
    number=1,
    topic="the class centres",
    variable="centres_for_3",
    is_correct=lambda a: np.allclose(np.asarray(a, dtype=float), _CENTRES, rtol=0, atol=1e-3),
    solution_code=(
        "c = 3.0 / (2 * np.sqrt(2))\ncentres_for_3 = np.array([[c, c], [-c, -c]])  # ±1.061"
    ),
    explanation=(
        "the centres ±c·(1, 1) are 2·sqrt(2)·c apart, so c = distance / (2·sqrt(2)); "
        "class 0 sits at +c·(1, 1)."
    ),
    hints=(
        "Both centres are on the diagonal: class 0 at +c·(1, 1), class 1 at -c·(1, 1). "
        "How far apart are they, as a function of c?",
        "The gap is the vector 2c·(1, 1), of length 2·sqrt(2)·c. Solve 2·sqrt(2)·c = 3.",
    ),
    mistakes=(
        Mistake(
            "classes swapped",
            lambda a: np.allclose(np.asarray(a, dtype=float), _CENTRES[::-1], atol=1e-3),
            "the classes are swapped: row 0 is class 0, at +c·(1, 1).",
            _CENTRES[::-1],
        ),
        Mistake(
            "centres sqrt(2·distance) apart (the draft's offset distance / (2·sqrt(distance)))",
            lambda a: abs(_gap(a) - math.sqrt(2 * _DISTANCE)) < 2e-3,
            "your centres are sqrt(2·distance) = 2.449 apart, not 3: the offset "
            "distance / (2·sqrt(distance)) is a classic slip; it must be distance / (2·sqrt(2)).",
            _on_diagonal(_DISTANCE / (2 * math.sqrt(_DISTANCE))),
        ),
        Mistake(
            "offset distance/2 on each coordinate (centres distance·sqrt(2) apart)",
            lambda a: abs(_gap(a) - _DISTANCE * math.sqrt(2)) < 2e-3,
            "your centres are 3·sqrt(2) = 4.243 apart: moving each coordinate by 3/2 moves "
            "the point by 3/2·sqrt(2). Divide by 2·sqrt(2), not by 2.",
            _on_diagonal(_DISTANCE / 2),
        ),
        Mistake(
            "right distance, wrong place",
            lambda a: abs(_gap(a) - _DISTANCE) < 2e-3,
            "they are 3 apart, but not at ±c·(1, 1): both on the diagonal, symmetric about "
            "the origin, class 0 on the positive side.",
            np.array([[1.5, 0.0], [-1.5, 0.0]]),
        ),
    ),
    form=array_form((2, 2)),
    otherwise=lambda a: f"your centres are {_gap(a):.3f} apart; they must be 3 apart.",
)

# ---- 2. the Bayes error by simulation ----------------------------------------------------

_TRUE_ERROR = bayes_error(2.0, 1.0)  # Φ(-1) = 0.1587
_LARGE, _SMALL = 10_000, 7  # points per class the check asks the function for
_SEEDS = (1, 2, 3)
# At 10,000 points per class the estimate's standard error is sqrt(p(1 - p) / 20,000) =
# 0.0026. Four of them make a false alarm negligible (6e-5 per run).
_STANDARD_ERROR = math.sqrt(_TRUE_ERROR * (1 - _TRUE_ERROR) / (2 * _LARGE))
_MC_TOLERANCE = 4 * _STANDARD_ERROR


def _simulate(n_per_class, seed, distance=2.0):
    """Run the solution's simulation (for the mistakes' examples)."""
    sample = make_two_gaussians(distance, 1.0, n_per_class, n_per_class, seed=seed)
    says_1 = sample.X[:, 0] + sample.X[:, 1] < 0  # nearer the class 1 centre -c·(1, 1)
    return float(np.mean(says_1 != (sample.y == 1)))


def _runs(function, n_per_class) -> np.ndarray:
    """Return the function's answers for ``n_per_class`` at each seed (raise if not numbers)."""
    values = np.array([float(function(n_per_class, seed)) for seed in _SEEDS])
    if not np.all(np.isfinite(values)):
        raise ValueError("not a finite number")
    return values


def _counts(values, n_per_class) -> bool:
    """Each value is a number of mistakes divided by the 2·n_per_class points."""
    counts = np.asarray(values) * 2 * n_per_class
    return bool(np.allclose(counts, np.round(counts), rtol=0, atol=1e-6))


def _simulates(function) -> bool:
    return _counts(_runs(function, _SMALL), _SMALL) and _counts(_runs(function, _LARGE), _LARGE)


def _near_error(target, scale=1.0):
    return lambda f: bool(np.all(np.abs(_runs(f, _LARGE) / scale - target) <= _MC_TOLERANCE))


def _is_right_simulation(function) -> bool:
    large = _runs(function, _LARGE)
    return (
        _simulates(function)
        and len(set(large)) > 1
        and bool(np.all(np.abs(large - _TRUE_ERROR) <= _MC_TOLERANCE))
    )


def _no_return(n_per_class, seed):
    make_two_gaussians(2.0, 1.0, n_per_class, n_per_class, seed=seed)


q2 = Exercise(
    number=2,
    topic="the Bayes error by simulation",
    variable="simulate_bayes_error",
    is_correct=_is_right_simulation,
    solution_code=(
        "def simulate_bayes_error(n_per_class, seed):\n"
        "    sample = cu.make_two_gaussians(2.0, 1.0, n_per_class, n_per_class, seed=seed)\n"
        "    nearer_1 = sample.X[:, 0] + sample.X[:, 1] < 0  # nearer -c·(1, 1)\n"
        "    return float(np.mean(nearer_1 != (sample.y == 1)))  # 0.155 at seed 1"
    ),
    explanation=(
        "assign each point to the nearer centre and count the mistakes: with 10,000 points "
        "per class the fraction lands within about 0.005 of Φ(-distance / (2·sigma)) = "
        "Φ(-1) = 0.159, and a new seed gives a slightly different estimate."
    ),
    hints=(
        "The centres ±c·(1, 1) lie on the diagonal, symmetric about 0: a point is nearer "
        "the class 1 centre -c·(1, 1) exactly when x1 + x2 < 0.",
        "Draw the sample inside your function with `cu.make_two_gaussians`, passing "
        "`n_per_class` for both class counts and your `seed`; the error is the fraction of "
        "points whose nearer centre is not their own class's (`np.mean` of a boolean array).",
    ),
    mistakes=(
        returns_none(
            lambda f: f(_SMALL, _SEEDS[0]), "`return` and the fraction of mistakes", _no_return
        ),
        Mistake(
            "a formula or a typed number instead of a count",
            lambda f: (
                len({*_runs(f, _SMALL), *_runs(f, _LARGE)}) == 1
                or not _counts(_runs(f, _LARGE), _LARGE)
            ),
            "your function answers the same number whatever the seed and the sample size, or "
            "one that is no count of mistakes (a formula, or a typed number?): simulate — "
            "draw the points and count.",
            lambda n_per_class, seed: float(bayes_error(2.0, 1.0)),
        ),
        Mistake(
            "a fixed sample size (n_per_class ignored)",
            lambda f: not _counts(_runs(f, _SMALL), _SMALL),
            "your function ignores `n_per_class`: asked for 7 points per class, it does not "
            "answer a fraction of 14 points. Draw `n_per_class` points of each class.",
            lambda n_per_class, seed: _simulate(200, seed),
        ),
        Mistake(
            "the seed ignored",
            lambda f: len(set(_runs(f, _LARGE))) == 1,
            "your function gives the same number for every seed: draw the sample with `seed=seed`.",
            lambda n_per_class, seed: _simulate(n_per_class, 0),
        ),
        Mistake(
            "a percentage instead of a fraction",
            _near_error(_TRUE_ERROR, scale=100.0),
            "give the error as a fraction between 0 and 1, not as a percentage.",
            lambda n_per_class, seed: 100 * _simulate(n_per_class, seed),
        ),
        Mistake(
            "the accuracy (or the farther centre) instead of the error",
            _near_error(1 - _TRUE_ERROR),
            "that is the fraction right (the accuracy), or your rule picks the farther "
            "centre: the error is the fraction of points the nearer-centre rule gets wrong.",
            lambda n_per_class, seed: 1 - _simulate(n_per_class, seed),
        ),
        Mistake(
            "the notebook's data (distance 5) simulated",
            lambda f: bool(np.all(np.abs(_runs(f, _LARGE) - bayes_error(5.0, 1.0)) < 0.004)),
            "that is about the error for distance 5, the notebook's data; this exercise "
            "uses distance 2.",
            lambda n_per_class, seed: _simulate(n_per_class, seed, distance=5.0),
        ),
    ),
    form=lambda f: (
        None
        if callable(f)
        else "the answer should be a function simulate_bayes_error(n_per_class, seed)."
    ),
    untouched=is_stub_function,
    todo="write `simulate_bayes_error`, ending with `return`.",
    otherwise=lambda f: (
        f"with 10,000 points per class your function gives {_runs(f, _LARGE)[0]:.4f}, too far "
        "from the true error for 20,000 points (its standard error is 0.0026)."
    ),
)

# ---- 3. the sigma that gives a 1 % Bayes error ---------------------------------------------

_Z_1_PERCENT = NormalDist().inv_cdf(0.99)  # Φ(-z) = 0.01 at z = 2.326
_SIGMA = 4.0 / (2 * _Z_1_PERCENT)  # 0.860

q3 = Exercise(
    number=3,
    topic="sigma for a 1 % Bayes error",
    variable="sigma_for_1_percent",
    is_correct=lambda s: near(s, _SIGMA),
    solution_code=(
        "from statistics import NormalDist\n"
        "z = NormalDist().inv_cdf(0.99)  # Φ(-z) = 0.01 at z = 2.326\n"
        "sigma_for_1_percent = 4.0 / (2 * z)  # 0.860"
    ),
    explanation="Φ(-4 / (2·sigma)) = 0.01 needs 4 / (2·sigma) = 2.326, so sigma = 0.860.",
    hints=(
        "Only z = distance / (2·sigma) matters. Which z has Φ(-z) = 0.01?",
        "z = 2.326 (`statistics.NormalDist().inv_cdf(0.99)`); then solve 4 / (2·sigma) = z.",
    ),
    mistakes=(
        near_value(
            2 * _SIGMA,
            "Φ(-distance/sigma): the 2 dropped",
            "the Bayes error is Φ(-distance / (2·sigma)): you dropped the 2.",
        ),
        near_value(
            4.0 / (2 * NormalDist().inv_cdf(0.995)),
            "the two-sided z = 2.576",
            "z = 2.576 leaves 1 % in both tails together; a point errs in one tail only: "
            "use Φ(-z) = 0.01, z = 2.326.",
        ),
        Mistake(
            "sigma not positive",
            lambda s: float(s) <= 0,
            "sigma is a standard deviation: it must be positive.",
            -_SIGMA,
        ),
    ),
    form=finite_number_form,
    target=_SIGMA,
    otherwise=lambda s: (
        f"with sigma = {float(s):.3f} the Bayes error is {bayes_error(4.0, float(s)):.4f}, "
        "not 0.01."
    ),
)
