"""What several slider figures share: the batch sizes a batch-size slider offers."""

from __future__ import annotations

import math

import numpy as np

from .._validation import check_int
from ..landscape import square_grid

PAD, SEPARABLE_HALF_WIDTH = 1.5, 8.0  # the defaults of course_utils.grid_window


def window_for(minimum, n=61):
    """The window :func:`course_utils.grid_window` chooses, from a minimum already found.

    Parameters
    ----------
    minimum : course_utils.Minimum, from :func:`course_utils.find_minimum`
    n : int, grid points per axis

    Returns
    -------
    w1, w2 : ndarrays of shape (n,)
    """
    if minimum.separable:
        half = SEPARABLE_HALF_WIDTH
    else:
        half = max(1.0, math.ceil(PAD * float(np.max(np.abs(minimum.w)))))
    return square_grid(np.zeros(2), half, n)


def batch_size_options(n: int) -> list[int]:
    """Batch sizes for a slider from 1 to n: the divisors of n, thinned to about 15 values.

    Divisors only, so that an epoch is always whole: no sample is left out of it.
    """
    n = check_int("n", n, 1)
    divisors = [b for b in range(1, n + 1) if n % b == 0]
    if len(divisors) <= 15:
        return divisors
    keep = np.unique(np.round(np.geomspace(1, len(divisors), 15)).astype(int) - 1)
    return [divisors[k] for k in keep]
