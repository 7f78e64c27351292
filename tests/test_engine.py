"""The grid engine's summed losses against independent references (``math``, mpmath).

:func:`course_utils._engine.summed_losses` and :func:`~course_utils._engine.group_means` sum
the losses as logs of products of ``1 + x`` (module docstring of ``_engine``); these tests
check every path — products, the exact pairwise re-sum of tiny sums, ``log1p`` where products
would not fit, the general per-element path — against ``sum log1p(exp(-m))`` taken one element
at a time with Python's ``math`` (exactly summed), and at 30 digits (mpmath) near the worst cases.
"""

import math
import warnings

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from course_utils import _engine


def _reference_sums(signed, w1, w2, group=None, exact=False) -> np.ndarray:
    """``sum log1p(exp(-m))`` over each group at every grid point, one element at a time.

    Shape (groups, len(w2), len(w1)); one group of all samples by default. Each loss is
    ``math.log1p(math.exp(-|m|)) + max(-m, 0)`` (relative error a few eps plus m's rounding,
    |m|·eps), summed exactly (``math.fsum``); ``exact``: margins and losses at 30 digits
    (mpmath), for the tests whose tolerance is below the float reference's own error.
    """
    group = group or signed.shape[0]
    out = np.empty((signed.shape[0] // group, w2.size, w1.size))
    for i, v2 in enumerate(w2):
        for j, v1 in enumerate(w1):
            if exact:
                with mp.workdps(30):
                    m = [
                        mp.mpf(float(p)) * float(v1) + mp.mpf(float(q)) * float(v2)
                        for p, q in signed
                    ]
                    losses = [float(mp.log1p(mp.exp(-t))) for t in m]
            else:
                m = [float(p) * float(v1) + float(q) * float(v2) for p, q in signed]
                losses = [math.log1p(math.exp(-abs(t))) + max(-t, 0.0) for t in m]
            for g in range(out.shape[0]):
                out[g, i, j] = math.fsum(losses[g * group : (g + 1) * group])
    return out


def _quietly(function, *args):
    """Run ``function``: any warning, overflow, invalid value or division by zero fails."""
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        return function(*args)


# e^-m carries m's rounding (relative |m|·eps <= 700·eps ~ 2e-13 on the fast path); the
# product trick adds at most 2^-42 ~ 2.3e-13 (see the engine's docstring)
RTOL = 1e-12

# positive weights with shifted points give large margins: tiny losses, summed again exactly
axis_value = st.one_of(
    st.floats(-3, 3), st.floats(0.5, 5.0), st.floats(-40, 40), st.floats(-1e3, 1e3)
)


@st.composite
def signed_sets(draw, max_n=300):
    """Signed points: a scaled cloud, often shifted so that every margin is large (tiny losses)."""
    n = draw(st.integers(1, max_n))
    scale = draw(st.sampled_from([1e-3, 0.5, 2.0, 10.0]))
    seed = draw(st.integers(0, 2**32 - 1))
    shift = draw(st.sampled_from([0.0, 3.0, 10.0]))
    points = np.random.default_rng(seed).normal(size=(n, 2)) * scale + shift
    return points


@given(
    signed=signed_sets(),
    w1=arrays(float, st.integers(1, 4), elements=axis_value),
    w2=arrays(float, st.integers(1, 3), elements=axis_value),
)
def test_summed_losses_match_the_reference(signed, w1, w2):
    got = _quietly(_engine.summed_losses, signed, w1, w2)
    # atol: losses that underflow into subnormals have no relative precision anywhere
    np.testing.assert_allclose(got, _reference_sums(signed, w1, w2)[0], rtol=RTOL, atol=1e-300)


@given(
    signed=signed_sets(max_n=120),
    group=st.integers(1, 40),
    w1=arrays(float, st.integers(1, 3), elements=axis_value),
    w2=arrays(float, st.integers(1, 3), elements=axis_value),
)
def test_group_means_match_the_reference(signed, group, w1, w2):
    signed = signed[: signed.shape[0] // group * group]
    if signed.shape[0] == 0:
        signed = np.ones((group, 2))
    got = _quietly(_engine.group_means, signed, w1, w2, group)
    expected = _reference_sums(signed, w1, w2, group) / group
    np.testing.assert_allclose(got, expected, rtol=RTOL, atol=1e-300)


def _kernel(signed, w1, w2):
    return _engine._SumKernel(signed, w1, w2, signed.shape[0])


@pytest.mark.parametrize("margin", [0.0, 2.0, 6.9, 7.5, 10.0, 30.0, 400.0])
def test_each_path_near_its_worst_case(margin):
    """Margins about ``margin`` on a small grid, 400 samples; the path is checked, then the sums.

    Margin 6.9: mean loss ~0.0010, just above 2^-10, the largest relative error the products
    may make (<= 2^-42); 7.5 and more: below it, where the sums are taken again; 400:
    products would not fit (k = 1, log1p); the general path beyond reach 700.
    """
    rng = np.random.default_rng(7)
    signed = np.column_stack([margin + rng.normal(0, 0.05, 400), rng.normal(0, 0.05, 400)])
    w1, w2 = np.array([0.999, 1.001]), np.array([-0.01, 0.01])
    kernel = _kernel(signed, w1, w2)
    sums = _quietly(_engine.summed_losses, signed, w1, w2)
    mean = sums / signed.shape[0]
    if margin <= 6.9:
        assert kernel.factors > 1
        assert np.all(mean > _engine._TINY_MEAN)  # every sum taken from products
    elif margin < 100:
        assert kernel.factors > 1
        assert np.all(mean < _engine._TINY_MEAN)  # every sum taken again, exactly
    else:
        assert kernel.rows is None
        assert kernel.factors == 1  # reach ~400: two factors could reach e^800
    exact = _reference_sums(signed, w1, w2, exact=True)[0]
    np.testing.assert_allclose(sums, exact, rtol=3e-13)  # 2^-42 and m's rounding
    wide = np.array([-1e4, 1e4])  # reach > 700: the general path
    assert _kernel(signed, wide, w2).rows is not None
    got = _quietly(_engine.summed_losses, signed, wide, w2)
    np.testing.assert_allclose(got, _reference_sums(signed, wide, w2)[0], rtol=RTOL, atol=1e-300)


def test_mixed_groups_and_padding():
    """Groups of 50 taken as 3 products of 17 factors (one of x = 0): tiny and large together."""
    rng = np.random.default_rng(3)
    far = np.column_stack([rng.normal(9, 0.1, 100), rng.normal(0, 0.1, 100)])  # tiny losses
    near = rng.normal(0, 1, (100, 2))
    signed = np.concatenate([far, near, far[:50]])
    w1, w2 = np.linspace(0.5, 3.0, 4), np.linspace(-1, 1, 3)
    kernel = _engine._SumKernel(signed, w1, w2, 50)
    assert (kernel.products, kernel.factors) == (3, 17)
    got = _quietly(_engine.group_means, signed, w1, w2, 50)
    expected = _reference_sums(signed, w1, w2, 50, exact=True) / 50
    assert np.any(expected < _engine._TINY_MEAN) and np.any(expected > _engine._TINY_MEAN)
    np.testing.assert_allclose(got, expected, rtol=3e-13)


def test_both_cores_give_the_same_sums(monkeypatch):
    """Rows banded over the cores or not: the same numbers, bit for bit (same path per band)."""
    rng = np.random.default_rng(5)
    signed = rng.normal(0, 2, (3000, 2))
    # alone, the lower band of rows would make products of 3 factors; the whole grid cannot
    w1, w2 = np.linspace(-2, 2, 40), np.linspace(0, 60, 30)
    monkeypatch.setattr(_engine, "_PARALLEL_MIN_SUMMED", 0)
    assert len(_engine._row_bands(w2.size, 1)) == _engine._N_WORKERS
    banded = _engine.summed_losses(signed, w1, w2)
    means = _engine.group_means(signed, w1, w2, 30)
    monkeypatch.setattr(_engine, "_PARALLEL_MIN_SUMMED", 1 << 60)
    assert len(_engine._row_bands(w2.size, 1)) == 1
    np.testing.assert_array_equal(_engine.summed_losses(signed, w1, w2), banded)
    np.testing.assert_array_equal(_engine.group_means(signed, w1, w2, 30), means)


def test_many_tiny_sums_in_several_passes():
    """A separable set on a wide grid: hundreds of tiny sums, re-summed in several passes."""
    rng = np.random.default_rng(11)
    signed = np.column_stack([rng.normal(4, 0.5, 400), rng.normal(4, 0.5, 400)])
    w1 = w2 = np.linspace(0.5, 3.0, 30)
    kernel = _kernel(signed, w1, w2)
    per_pass = _engine._ROWS_ELEMENTS // (kernel.factors * kernel.products)
    got = _quietly(_engine.summed_losses, signed, w1, w2)
    assert np.sum(got / signed.shape[0] < _engine._TINY_MEAN) > 2 * per_pass
    np.testing.assert_allclose(got, _reference_sums(signed, w1, w2)[0], rtol=RTOL, atol=1e-300)
