"""Checks at the public boundary: every bad input becomes a ValueError naming the argument."""

from __future__ import annotations

import numbers
from collections.abc import Iterable

import numpy as np


def as_generator(seed) -> np.random.Generator:
    """Return a Generator for ``seed`` (an int or a Generator)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and seed >= 0:
        return np.random.default_rng(int(seed))
    raise ValueError(f"seed must be a non-negative int or a numpy.random.Generator, got {seed!r}")


def check_positive(name: str, value) -> float:
    """Return ``value`` as a float: a finite real number > 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number > 0, got {value!r}")
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return value


def check_real(name: str, value) -> float:
    """Return ``value`` as a float: a finite real number (not a bool, not a string)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a finite real number, got {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite real number, got {value!r}")
    return value


def check_seeds(seeds) -> list[np.random.Generator]:
    """Return one Generator per run from a non-empty sequence of ints >= 0 or Generators."""
    if isinstance(seeds, str | bytes) or not isinstance(seeds, Iterable):
        raise ValueError(
            f"seeds must be a sequence of seeds (ints >= 0 or Generators), one per run, "
            f"got {seeds!r}"
        )
    seeds = list(seeds)
    if not seeds:
        raise ValueError("seeds must hold at least one seed")
    try:
        return [as_generator(seed) for seed in seeds]
    except ValueError:
        raise ValueError(
            f"seeds must hold ints >= 0 or numpy.random.Generators, got {seeds!r}"
        ) from None


def check_int(name: str, value, low: int, high: int | None = None) -> int:
    """Return ``value`` as an int in ``low..high`` (``high=None``: no upper bound)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    value = int(value)
    if value < low or (high is not None and value > high):
        allowed = f"in {low}..{high}" if high is not None else f">= {low}"
        raise ValueError(f"{name} must be {allowed}, got {value}")
    return value


def check_finite_array(name: str, value, ndim: int) -> np.ndarray:
    """Return a float array with ``ndim`` dimensions and only finite entries."""
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a numeric array") from None
    if array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite values (no NaN or inf)")
    return array


def check_points(name: str, value) -> np.ndarray:
    """Return weights of shape (..., 2) as floats: at least 1-D, all finite."""
    array = check_no_nan(name, value)
    if array.ndim < 1 or array.shape[-1] != 2:
        raise ValueError(f"{name} must have shape (..., 2), got {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite values (no NaN or inf)")
    return array


def check_no_nan(name: str, value) -> np.ndarray:
    """Return a float array of any shape without NaN; ±inf stay (elementwise limits)."""
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a numeric array") from None
    if np.any(np.isnan(array)):
        raise ValueError(f"{name} must not contain NaN")
    return array


def check_X(X) -> np.ndarray:
    """Return points of shape (n, 2), n >= 1, all finite."""
    X = check_finite_array("X", X, ndim=2)
    if X.shape[0] < 1 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2) with n >= 1, got {X.shape}")
    return X


def check_labels(y, n: int | None = None, name: str = "y") -> np.ndarray:
    """Return labels of shape (n,) with values in {0, 1}, as int64."""
    try:
        labels = np.asarray(y, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of labels in {{0, 1}}") from None
    if labels.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {labels.shape}")
    if labels.size < 1:
        raise ValueError(f"{name} must hold at least one label")
    if not np.all((labels == 0) | (labels == 1)):
        raise ValueError(f"{name} must contain only the labels 0 and 1")
    if n is not None and labels.shape[0] != n:
        raise ValueError(f"{name} must have length {n} to match X, got {labels.shape[0]}")
    return labels.astype(np.int64)


def check_X_y(X, y) -> tuple[np.ndarray, np.ndarray]:
    """Return a data set: X of shape (n, 2) and y of shape (n,) in {0, 1}."""
    X = check_X(X)
    return X, check_labels(y, n=X.shape[0])


def check_weights(w, name: str = "w") -> np.ndarray:
    """Return weights of shape (2,), finite."""
    w = check_finite_array(name, w, ndim=1)
    if w.shape != (2,):
        raise ValueError(f"{name} must have shape (2,), got {w.shape}")
    return w


def check_grid(w1, w2) -> tuple[np.ndarray, np.ndarray]:
    """Return two non-empty, finite 1-D weight axes."""
    w1 = check_finite_array("w1", w1, ndim=1)
    w2 = check_finite_array("w2", w2, ndim=1)
    for name, axis in (("w1", w1), ("w2", w2)):
        if axis.size < 1:
            raise ValueError(f"{name} must hold at least one grid value")
    return w1, w2
