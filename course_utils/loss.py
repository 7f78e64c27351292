"""Binary cross-entropy: the negative mean log-likelihood of the labels."""

from __future__ import annotations

import numpy as np

from . import _engine
from ._docs import shared_parameters
from ._validation import check_finite_array, check_labels, check_no_nan


def _check_pair(y, values, name):
    y = check_labels(y)
    values = check_finite_array(name, values, ndim=1)
    if values.shape != y.shape:
        raise ValueError(f"{name} must have the same shape as y {y.shape}, got {values.shape}")
    return y, values


def softplus(u):
    """Return ``log(1 + exp(u))``, elementwise, finite and warning-free for any finite u.

    The loss of a sample with margin ``m`` is ``softplus(-m)``.

    Parameters
    ----------
    u : float or array of any shape, no NaN
        ±inf give the limits inf and 0.

    Returns
    -------
    float or ndarray of the shape of ``u``
    """
    return _engine.softplus(check_no_nan("u", u))


@shared_parameters
def per_sample_loss_from_logits(y, z) -> np.ndarray:
    """Return the cross-entropy of each sample from its logit.

    ``-log σ(z)`` for y = 1 and ``-log(1 - σ(z))`` for y = 0, i.e. ``softplus(-m)`` with the
    margin ``m = (2y - 1)·z``.

    Returns
    -------
    ndarray of shape (n,)
    """
    y, z = _check_pair(y, z, "z")
    return _engine.softplus(-(2 * y - 1) * z)


@shared_parameters
def cross_entropy_from_logits(y, z) -> float:
    """Return the mean binary cross-entropy from logits; finite for every finite z.

    Returns
    -------
    float
    """
    return float(np.mean(per_sample_loss_from_logits(y, z)))


@shared_parameters
def cross_entropy(y, p) -> float:
    """Return the mean binary cross-entropy from probabilities.

    ``-mean(y·log p + (1-y)·log(1-p))``, exact while the probabilities are representable.
    A confident mistake whose probability has rounded to exactly 0 or 1 costs ``inf``
    (returned without a warning): this is why the loss is better computed from logits
    (:func:`cross_entropy_from_logits`).

    Parameters
    ----------
    p : array of shape (n,)
        Probabilities of class 1, in [0, 1].

    Returns
    -------
    float
        ``inf`` when a label has been given probability 0.
    """
    y, p = _check_pair(y, p, "p")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p must contain probabilities in [0, 1]")
    # The probability given to the true label; log(0) = -inf is the honest answer here.
    p_true = np.where(y == 1, p, 1.0 - p)
    with np.errstate(divide="ignore"):
        return float(-np.mean(np.log(p_true)))
