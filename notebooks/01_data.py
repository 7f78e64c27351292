# %% [markdown] slideshow={"slide_type": "slide"}
# # 1. Two Gaussian classes
#
# **What you will learn**
#
# - how the data of this course are made: two clouds of points in the plane, one per class;
# - what the two knobs mean: the `distance` between the class centres and the spread `sigma`;
# - the *Bayes error*: the lowest error rate that any classifier at all can reach on these data;
# - what unequal class sizes change: the best boundary moves off the origin.
#
# Everything later in the course — the model, the loss, the landscape and the minibatch — is
# built on these points. Each section ends with a short exercise.

# %% slideshow={"slide_type": "skip"}
import matplotlib.pyplot as plt
import numpy as np  # noqa: F401 (for your answers)

import course_utils as cu
from course_utils import plots, widgets
from course_utils.exercises.nb01 import q1, q2, q3

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The data
#
# Class 0 is centred at $\mu_0 = +c\,(1, 1)$ and class 1 at $\mu_1 = -c\,(1, 1)$. Both centres
# lie on the diagonal, symmetric about the origin; they are
#
# $$\lVert \mu_0 - \mu_1 \rVert = \lVert 2c\,(1,1) \rVert = 2\sqrt{2}\,c = \text{distance}$$
#
# apart, so $c = \text{distance} / (2\sqrt{2})$. Each coordinate of a point scatters around
# its centre with standard deviation $\sigma$ (the argument `sigma`; in this course $\sigma$
# always means this spread). The random generator is seeded: the same arguments always give
# the same points.

# %% slideshow={"slide_type": "fragment"}
data = cu.make_two_gaussians(distance=5.0, sigma=1.0, n0=200, n1=200, seed=0)
mu0, mu1 = data.centres
print(f"{data.n} points, {int((data.y == 0).sum())} of class 0 and {int(data.y.sum())} of class 1")
print(f"mu0, the centre of class 0: ({mu0[0]:.3f}, {mu0[1]:.3f})")
print(f"mu1, the centre of class 1: ({mu1[0]:.3f}, {mu1[1]:.3f})")
print(f"distance between the centres: {((mu0 - mu1) ** 2).sum() ** 0.5:.3f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The two clouds
#
# `distance = 5`, `sigma = 1`: the clouds barely touch. The crosses mark $\mu_0$ and $\mu_1$.

# %% slideshow={"slide_type": "-"} tags=["slides-hide-input"]
fig, ax = plt.subplots(figsize=(5.4, 4.2), layout="constrained")
plots.scatter_classes(data.X, data.y, distance=data.distance, ax=ax)
plt.show()

# %% [markdown] slideshow={"slide_type": "notes"}
# Point at the two crosses and at the diagonal: everything is symmetric about the origin, which
# is why the model of notebook 02 needs no bias when the classes are equally large.

# %% [markdown] slideshow={"slide_type": "slide"}
# **Exercise 1.** Where must the centres $\mu_0 = +c\,(1, 1)$ and $\mu_1 = -c\,(1, 1)$ be so
# that they are exactly $\text{distance} = 3$ apart? Give a $(2, 2)$ array: row 0 is $\mu_0$,
# row 1 is $\mu_1$.
#
# *How exercises work:* replace the `...`, run the cell, then run the check below it.
# `q1.hint()` gives a hint, `q1.hint(2)` a more explicit one, `q1.solution()` a solution.

# %% slideshow={"slide_type": "-"}
centres_for_3 = ...  # e.g. np.array([[x0, y0], [x1, y1]])

# %% slideshow={"slide_type": "-"}
q1.check()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The best any classifier can do
#
# Project a point onto the line through the two centres. With equal classes, the best rule
# assigns the point to the nearer centre, so it errs exactly when the noise along that line
# carries the point past the midpoint, a distance $\text{distance}/2$ away. The noise along
# any direction is Gaussian with standard deviation $\sigma$, so
#
# $$\text{Bayes error} = \Phi\!\left(-\frac{\text{distance}}{2\sigma}\right),$$
#
# with $\Phi$ the standard normal distribution function. No model, however flexible, can do
# better on average: the two clouds overlap.

# %% slideshow={"slide_type": "fragment"}
for distance, sigma in [(5.0, 1.0), (2.0, 1.0), (5.0, 2.5), (0.5, 1.0)]:
    error = cu.bayes_error(distance, sigma)
    print(f"distance {distance:.1f}, sigma {sigma:.1f}: Bayes error {error:.1%}")

# %% [markdown] slideshow={"slide_type": "notes"}
# Only the ratio distance/σ matters: (5, 1) and (5, 2.5) differ because the ratio does.
# Ask: what error does a coin flip get? (50 %, the limit as the distance goes to 0.)

# %% [markdown] slideshow={"slide_type": "slide"}
# **Exercise 2.** Estimate the Bayes error for $\text{distance} = 2$, $\sigma = 1$ *by
# simulation*. Write `simulate_bayes_error(n_per_class, seed)`: draw `n_per_class` points of
# each class with `cu.make_two_gaussians(2.0, 1.0, n_per_class, n_per_class, seed=seed)`,
# assign each point to the nearer centre, and return the fraction of mistakes. The check
# runs it with 10,000 points per class and several seeds. Does your estimate agree with
# $\Phi(-\text{distance} / (2\sigma))$?


# %% slideshow={"slide_type": "-"}
def simulate_bayes_error(n_per_class, seed):
    """Fraction of points nearer the other class's centre (distance 2, sigma 1)."""
    ...  # your code, ending with: return the fraction of mistakes


# %% slideshow={"slide_type": "-"}
q2.check()

# %% [markdown] slideshow={"slide_type": "slide"}
# **Exercise 3.** Which $\sigma$ gives a Bayes error of exactly 1 % when
# $\text{distance} = 4$? You need $\Phi^{-1}$, the inverse of $\Phi$: Python's
# `statistics.NormalDist().inv_cdf(p)` computes it.

# %% slideshow={"slide_type": "-"}
sigma_for_1_percent = ...  # a number

# %% slideshow={"slide_type": "-"}
q3.check()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Unequal classes
#
# With class probabilities $\pi_0 = P(y = 0)$ and $\pi_1 = P(y = 1)$ the best rule picks the
# class with the larger $\pi_k\, p(x \mid k)$. Along the line from $\mu_0$ to $\mu_1$, at a
# position $s$ from the midpoint, the log of their ratio is
# $\ln(\pi_1/\pi_0) + s\,\text{distance}/\sigma^2$: a straight line in $s$. It crosses 0 at
#
# $$t = \frac{\sigma^2}{\text{distance}} \ln\frac{\pi_0}{\pi_1},$$
#
# so the best boundary moves *towards the rarer class* (the common class gets more room).
# A boundary that must pass through the origin — the model of notebook 02 has no bias — stays
# at $s = 0$ and errs $\Phi(-\text{distance}/(2\sigma))$, whatever the counts.

# %% [markdown] slideshow={"slide_type": "notes"}
# The Bayes error with priors is $\pi_0\,\Phi(-a - b) + \pi_1\,\Phi(-a + b)$ with
# $a = \text{distance}/(2\sigma)$ and $b = t/\sigma$: each class errs when its noise along the
# line carries a point past t. `cu.bayes_error(distance, sigma, prior1)` computes it.

# %% slideshow={"slide_type": "fragment"}
for n0, n1, distance, sigma in [(300, 60, 2.0, 1.0), (400, 20, 2.0, 3.0)]:
    prior1 = n1 / (n0 + n1)
    print(
        f"{n0} : {n1} points, distance {distance:.0f}, sigma {sigma:.0f}: "
        f"Bayes error {cu.bayes_error(distance, sigma, prior1):.1%}, "
        f"line through the origin {cu.bayes_error(distance, sigma):.1%}, "
        f"always class 0 {prior1:.1%}"
    )

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The gap, drawn
#
# 300 points of class 0 and 60 of class 1: the best boundary (solid) sits
# $t = 0.5 \ln 5 = 0.80$ towards class 1; the best line through the origin (dashed) cannot
# move there.

# %% slideshow={"slide_type": "-"} tags=["slides-hide-input"]
unequal = cu.make_two_gaussians(distance=2.0, sigma=1.0, n0=300, n1=60, seed=0)
fig, ax = plt.subplots(figsize=(7.4, 4.2), layout="constrained")
plots.scatter_classes(unequal.X, unequal.y, distance=2.0, ax=ax, title="300 : 60 points")
plots.bayes_boundaries(2.0, 1.0, prior1=60 / 360, ax=ax, limits=4.5)
ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0))
plt.show()

# %% [markdown] slideshow={"slide_type": "notes"}
# The 300 : 60 case: the Bayes rule errs 10.0 % of the time, a line through the origin 15.9 %,
# always answering "class 0" 16.7 %.
# At 400 : 20 with sigma 3 the line through the origin (36.9 %) is far worse than always
# answering "class 0" (4.8 %). The course keeps equal classes from here on, where the origin is
# the right place for the boundary.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Try it
#
# Move the sliders. With equal counts only the ratio $\text{distance}/\sigma$ decides the
# Bayes error; make one class rare and watch the best boundary (solid) leave the origin while
# the line through the origin (dashed) stays.

# %% tags=["nbval-ignore-output", "slides-hide-input"] slideshow={"slide_type": "-"}
widgets.data_explorer()

# %% [markdown] slideshow={"slide_type": "notes"}
# Try distance 2, sigma 3, counts 400 : 20: the title compares the Bayes error (4.8 %) with the
# line through the origin (36.9 %). The window grows with sigma, so no point is ever cut off.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - Two Gaussian clouds, centres $\mu_0 = +c\,(1,1)$ and $\mu_1 = -c\,(1,1)$ exactly
#   `distance` apart, spread $\sigma$ per axis.
# - With equal classes the Bayes error $\Phi(-\text{distance}/(2\sigma))$ is the floor for
#   every classifier; it depends only on $\text{distance}/\sigma$.
# - With unequal classes the best boundary moves by $(\sigma^2/\text{distance})
#   \ln(\pi_0/\pi_1)$ towards the rarer class; a boundary through the origin cannot follow.
# - Seeded data: the same call gives the same points, so every figure can be reproduced.
