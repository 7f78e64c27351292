"""What several slider figures share: the batch sizes a batch-size slider offers.

The window a slider figure shows is :func:`course_utils.grid_window`, given the minimum the
figure has already found (``minimum=``): the rule lives there, and is solved once per move.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_int


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
