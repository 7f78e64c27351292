"""Exercises of notebook 01 (two Gaussian classes): the centres and the Bayes error."""

import math
from statistics import NormalDist

import numpy as np

from ..data import bayes_error, class_centres
from ._framework import Exercise, Mistake, array_form, finite_number_form, near

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
# The question asks for at least 10,000 points per class: the estimate's standard error is
# then at most sqrt(p(1 - p) / 20,000) = 0.0026. Four of them make a false alarm negligible.
_MC_TOLERANCE = 4 * math.sqrt(_TRUE_ERROR * (1 - _TRUE_ERROR) / 20_000)


def _near_error(target):
    return lambda a: abs(float(a) - target) <= _MC_TOLERANCE


q2 = Exercise(
    number=2,
    topic="the Bayes error by simulation",
    variable="simulated_bayes_error",
    is_correct=_near_error(_TRUE_ERROR),
    solution_code=(
        "sample = cu.make_two_gaussians(distance=2.0, sigma=1.0, n0=10_000, n1=10_000, seed=1)\n"
        "nearer_centre = cu.predict(sample.X, cu.bayes_optimal_weights(2.0, 1.0))\n"
        "simulated_bayes_error = float(np.mean(nearer_centre != sample.y))  # 0.155"
    ),
    explanation=(
        "classify each point by the nearer centre (that is what w* does) and count the "
        "mistakes: about 0.159 = Φ(-distance / (2·sigma)) = Φ(-1)."
    ),
    hints=(
        "With equal classes, the best rule assigns a point to the nearer centre.",
        "`cu.predict(sample.X, cu.bayes_optimal_weights(2.0, 1.0))` classifies by the nearer "
        "centre; compare with `sample.y` and take the mean of the mistakes.",
    ),
    mistakes=(
        Mistake(
            "the accuracy instead of the error",
            _near_error(1 - _TRUE_ERROR),
            "that is the accuracy, the fraction right; the error rate is the fraction wrong.",
            1 - _TRUE_ERROR,
        ),
        Mistake(
            "a percentage instead of a fraction",
            lambda a: abs(float(a) / 100 - _TRUE_ERROR) <= _MC_TOLERANCE,
            "give the error as a fraction between 0 and 1, not as a percentage.",
            100 * _TRUE_ERROR,
        ),
        Mistake(
            "Φ(-distance/sigma): the whole distance instead of half",
            _near_error(bayes_error(4.0, 1.0)),
            "that is Φ(-distance/sigma) = 0.023; a point crosses the midpoint, only "
            "distance/2 from its centre.",
            bayes_error(4.0, 1.0),
        ),
        Mistake(
            "the error of the notebook's data (distance 5)",
            lambda a: abs(float(a) - bayes_error(5.0, 1.0)) < 0.004,
            "that is about the error for distance 5, the notebook's data; this exercise "
            "uses distance 2.",
            bayes_error(5.0, 1.0),
        ),
        Mistake(
            "an error above 1/2",
            lambda a: float(a) > 0.5,
            "an error above 1/2: your rule is backwards (it picks the farther centre).",
            0.7,
        ),
    ),
    form=finite_number_form,
    otherwise=lambda a: (
        f"{float(a):.4f} is too far from the true error for a simulation of 20,000 points "
        "(its standard error is 0.0026): use at least 10,000 points per class."
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
        Mistake(
            "Φ(-distance/sigma): the 2 dropped",
            lambda s: near(s, 2 * _SIGMA),
            "the Bayes error is Φ(-distance / (2·sigma)): you dropped the 2.",
            2 * _SIGMA,
        ),
        Mistake(
            "the two-sided z = 2.576",
            lambda s: near(s, 4.0 / (2 * NormalDist().inv_cdf(0.995))),
            "z = 2.576 leaves 1 % in both tails together; a point errs in one tail only: "
            "use Φ(-z) = 0.01, z = 2.326.",
            4.0 / (2 * NormalDist().inv_cdf(0.995)),
        ),
        Mistake(
            "sigma not positive",
            lambda s: float(s) <= 0,
            "sigma is a standard deviation: it must be positive.",
            -_SIGMA,
        ),
    ),
    form=finite_number_form,
    otherwise=lambda s: (
        f"with sigma = {float(s):.3f} the Bayes error is {bayes_error(4.0, float(s)):.4f}, "
        "not 0.01."
    ),
)
