"""Independent references the tests compare the course's fast code with."""

import math


def brute_force_loss(X, y, w) -> float:
    """Mean cross-entropy at one w, one sample at a time, from the definition."""
    total = 0.0
    for x, label in zip(X, y, strict=True):
        z = float(x[0] * w[0] + x[1] * w[1])
        m = z if label == 1 else -z
        # -log σ(m) = log(1 + e^{-m}), written so that neither branch overflows
        total += math.log1p(math.exp(-m)) if m > 0 else -m + math.log1p(math.exp(m))
    return total / len(y)


def gaussian_expected_loss(mean, sd, dps=20) -> float:
    """``E[log(1 + exp(-m))]`` for ``m ~ N(mean, sd²)``, by mpmath quadrature (needs mpmath).

    ``softplus(-m) = max(-m, 0) + log1p(exp(-|m|))``. The hinge has the closed form
    ``sd·(φ(r) - r·Φ(-r))``, r = mean/sd, evaluated at ``dps`` digits. The rest is two
    integrals over t >= 0 of ``log1p(exp(-t))·N(t; a, sd²)``, a = ±mean; since
    ``log1p(exp(-t)) = exp(-t)·ρ(t)`` with ρ smooth and between log 2 and 1, each equals
    ``exp(-a + sd²/2)·∫ ρ(t)·N(t; a - sd², sd²) dt``, integrated over [0, ∞) by mpmath's
    Gauss-Legendre rule (raising the degree until it agrees with itself), with breakpoints
    across the bulk of the integrand (every few sd, or decay lengths where the Gaussian's
    mean is below 0) and where ρ bends (t = 1/8 … 64).
    """
    import mpmath as mp

    def rho(t):
        return mp.log1p(mp.exp(-t)) * mp.exp(t)

    def half_line(a, sd):
        tilted = a - sd**2
        step = sd if tilted >= 0 else min(sd, sd**2 / -tilted)
        centre = max(tilted, mp.mpf(0))
        points = {mp.mpf(0), *(mp.mpf(2) ** k for k in range(-3, 7))}
        points |= {centre + k * step for k in _STEPS if centre + k * step > 0}
        integrand = lambda t: rho(t) * mp.npdf(t, tilted, sd)  # noqa: E731
        integral = mp.quad(integrand, [*sorted(points), mp.inf], method="gauss-legendre")
        return mp.exp(-a + sd**2 / 2) * integral

    with mp.workdps(dps):
        mean, sd = mp.mpf(mean), mp.mpf(sd)
        r = mean / sd
        hinge = sd * (mp.npdf(r) - r * mp.ncdf(-r))
        return float(hinge + half_line(mean, sd) + half_line(-mean, sd))


_STEPS = (-40, -20, -12, -8, -6, -4, -3, -2, -1, 0, 1, 2, 3, 4, 6, 8, 12, 20, 40)
