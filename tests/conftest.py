"""Shared fixtures and the hypothesis profile (no deadlines: the machine is shared and noisy)."""

import os

import matplotlib
import numpy as np
import pytest
from hypothesis import settings

matplotlib.use("Agg")
settings.register_profile("course", deadline=None, max_examples=60)
# CI must not fail on a new random example: there the examples are fixed (derandomised).
settings.register_profile("ci", deadline=None, max_examples=60, derandomize=True)
settings.register_profile("thorough", deadline=None, max_examples=2000)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "course")
)


@pytest.fixture(scope="session")
def data():
    """The course's default data set: distance 5, sigma 1, 200 points per class."""
    import course_utils as cu

    return cu.make_two_gaussians(5.0, 1.0, 200, 200, seed=0)


@pytest.fixture(scope="session")
def overlapping():
    """Overlapping classes (distance 2, sigma 1): minibatches usually have minima."""
    import course_utils as cu

    return cu.make_two_gaussians(2.0, 1.0, 60, 40, seed=3)


def brute_force_loss(X, y, w) -> float:
    """Mean cross-entropy at one w, one sample at a time, from the definition."""
    import math

    total = 0.0
    for x, label in zip(X, y, strict=True):
        z = float(x[0] * w[0] + x[1] * w[1])
        m = z if label == 1 else -z
        # -log σ(m) = log(1 + e^{-m}), written so that neither branch overflows
        total += math.log1p(math.exp(-m)) if m > 0 else -m + math.log1p(math.exp(m))
    return total / len(y)


@pytest.fixture
def rng():
    return np.random.default_rng(12345)
