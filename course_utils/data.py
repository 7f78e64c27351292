"""Two Gaussian classes in the plane, and the best any classifier can do on them."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

from ._docs import shared_parameters
from ._validation import as_generator, check_int, check_no_nan, check_positive, check_weights


@dataclass(frozen=True)
class Dataset:
    """A labelled sample of the two Gaussian classes.

    Attributes
    ----------
    X : ndarray of shape (n, 2)
        The points.
    y : ndarray of shape (n,)
        Their labels, 0 or 1 (int).
    distance : float
        Euclidean distance between the two class centres.
    sigma : float
        Per-axis standard deviation of each class.
    """

    X: np.ndarray
    y: np.ndarray
    distance: float
    sigma: float

    @property
    def n(self) -> int:
        """Number of points."""
        return self.y.shape[0]

    @property
    def centres(self) -> np.ndarray:
        """Class centres, shape (2, 2): row k is the centre of class k."""
        return class_centres(self.distance)


@shared_parameters
def class_centres(distance) -> np.ndarray:
    """Return the centres of class 0 (at ``+c·(1, 1)``) and class 1 (at ``-c·(1, 1)``).

    ``c = distance / (2·sqrt(2))``, so the two centres are exactly ``distance`` apart.

    Returns
    -------
    ndarray of shape (2, 2)
        Row 0 is the centre of class 0, row 1 the centre of class 1.
    """
    return _centres(check_positive("distance", distance))


def _centres(distance: float) -> np.ndarray:
    c = distance / (2.0 * math.sqrt(2.0))
    return np.array([[c, c], [-c, -c]])


@shared_parameters
def make_two_gaussians(distance=5.0, sigma=1.0, n0=200, n1=200, seed=0) -> Dataset:
    """Draw ``n0`` points of class 0 and ``n1`` points of class 1.

    Parameters
    ----------
    seed : int >= 0 or numpy.random.Generator
        Same seed, same data.

    Returns
    -------
    Dataset
        ``X`` of shape (n0 + n1, 2), class 0 first; ``y`` of shape (n0 + n1,).
    """
    distance = check_positive("distance", distance)
    sigma = check_positive("sigma", sigma)
    n0 = check_int("n0", n0, 1)
    n1 = check_int("n1", n1, 1)
    rng = as_generator(seed)
    y = np.repeat(np.array([0, 1]), [n0, n1])
    X = _centres(distance)[y] + sigma * rng.standard_normal((n0 + n1, 2))
    return Dataset(X=X, y=y, distance=distance, sigma=sigma)


def normal_cdf(x):
    """Return the standard normal CDF ``Φ(x)``, elementwise; accurate in both tails.

    Parameters
    ----------
    x : float or array of any shape
        Where to evaluate; ±inf give the limits 1 and 0, NaN is refused.

    Returns
    -------
    ndarray of the shape of ``x``, float
    """
    x = check_no_nan("x", x)
    return np.vectorize(_phi, otypes=[float])(x)


def _phi(t: float) -> float:
    """``Φ(t)`` of one float (no validation)."""
    return 0.5 * math.erfc(-t / math.sqrt(2.0))


def _check_prior(name: str, value) -> float:
    """Return ``value`` as a class probability, strictly between 0 and 1."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number in the open interval (0, 1), got {value!r}")
    value = float(value)
    if not 0.0 < value < 1.0:  # NaN fails too
        raise ValueError(f"{name} must be in the open interval (0, 1), got {value!r}")
    return value


def _checked_classes(distance, sigma, prior1) -> tuple[float, float, float]:
    """Return ``distance``, ``sigma`` and ``prior1`` checked, as floats."""
    return (
        check_positive("distance", distance),
        check_positive("sigma", sigma),
        _check_prior("prior1", prior1),
    )


@shared_parameters
def bayes_threshold(distance, sigma, prior1=0.5) -> float:
    """Return where the Bayes rule's boundary crosses the line between the centres.

    Measured from the origin (the midpoint) along the unit vector from the class 0 centre
    towards the class 1 centre: the rule says class 1 beyond it. With
    ``π1 = prior1`` and ``π0 = 1 - prior1`` it is ``(σ²/distance)·ln(π0/π1)``: 0 for equal
    classes, positive (towards class 1) when class 0 is the more common.

    Returns
    -------
    float
    """
    return _threshold(*_checked_classes(distance, sigma, prior1))


def _threshold(distance: float, sigma: float, prior1: float) -> float:
    return sigma**2 / distance * math.log((1.0 - prior1) / prior1)


@shared_parameters
def bayes_error(distance, sigma, prior1=0.5) -> float:
    """Return the lowest error rate any classifier can reach on the two classes.

    The Bayes rule picks the class with the larger ``π_k·p(x | k)``; its boundary is
    perpendicular to the line between the centres and crosses it at
    ``t = (σ²/distance)·ln(π0/π1)`` (:func:`bayes_threshold`). With ``a = distance/(2σ)``
    and ``b = t/σ`` the error is

        π0·Φ(-a - b) + π1·Φ(-a + b),

    ``Φ(-distance/(2σ))`` for equal classes. A model without a bias cannot move its boundary
    off the origin: its best error is ``Φ(-distance/(2σ))`` whatever the priors (each class
    then errs with that probability), i.e. ``bayes_error(distance, sigma)``.

    Returns
    -------
    float
    """
    distance, sigma, prior1 = _checked_classes(distance, sigma, prior1)
    a = distance / (2.0 * sigma)
    if prior1 == 0.5:
        return _phi(-a)
    b = _threshold(distance, sigma, prior1) / sigma
    return (1.0 - prior1) * _phi(-a - b) + prior1 * _phi(-a + b)


@shared_parameters
def bayes_optimal_weights(distance, sigma) -> np.ndarray:
    """Return the weights ``w* = (μ1 - μ0) / σ²`` of the Bayes classifier for equal classes.

    With these weights ``predict_proba`` returns the true posterior ``p(y=1 | x)``.

    Returns
    -------
    ndarray of shape (2,)
    """
    distance = check_positive("distance", distance)
    sigma = check_positive("sigma", sigma)
    mu0, mu1 = _centres(distance)
    return (mu1 - mu0) / sigma**2


@shared_parameters
def population_accuracy(w, distance, sigma) -> float:
    """Return the accuracy of the boundary ``w·x = 0`` on new data from the two classes.

    A point of class 0 lands on the wrong side with probability ``Φ(w·μ0 / (σ·|w|))``, and
    by symmetry a point of class 1 too, whatever the class counts. ``w = 0`` draws no
    boundary and gets 1/2, a coin's accuracy.

    Returns
    -------
    float
    """
    w = check_weights(w)
    distance = check_positive("distance", distance)
    sigma = check_positive("sigma", sigma)
    norm = float(np.hypot(*w))
    if norm == 0:
        return 0.5
    return 1.0 - _phi(float(np.dot(w, _centres(distance)[0])) / (sigma * norm))
