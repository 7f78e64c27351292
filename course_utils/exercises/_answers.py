"""Shared pieces for judging numeric answers."""

from __future__ import annotations

import numpy as np


def as_array(answer, shape) -> np.ndarray:
    """The answer as a float array of ``shape``, or a ValueError saying what is off."""
    array = np.asarray(answer, dtype=float)
    if array.shape != shape:
        raise ValueError(f"expected shape {shape}, got {array.shape}")
    return array


def shape_problem(shape):
    """A ``validate`` function: a message when the answer is not a finite array of ``shape``."""

    def validate(answer):
        try:
            array = as_array(answer, shape)
        except (TypeError, ValueError):
            return f"the answer should be an array of shape {shape}."
        if not np.all(np.isfinite(array)):
            return "the answer contains NaN or inf."
        return None

    return validate


def number_problem(answer):
    """A ``validate`` function for a single finite number."""
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return "the answer should be a single number."
    return None if np.isfinite(value) else "the answer should be a finite number."


def close(answer, target, atol=0.0, rtol=0.0) -> bool:
    array = np.asarray(answer, dtype=float)
    target = np.asarray(target, dtype=float)
    return array.shape == target.shape and bool(np.allclose(array, target, atol=atol, rtol=rtol))
