# %% [markdown] slideshow={"slide_type": "slide"}
# # 1. Two Gaussian classes
#
# **What you will learn**
#
# - how the data of this course are made: two clouds of points in the plane, one per class;
# - what the two knobs mean: the `distance` between the class centres and the spread `sigma`;
# - the *Bayes error*: the lowest error rate that any classifier at all can reach on these data.
#
# Everything later in the course — the model, the loss, the landscape and the minibatch — is
# built on these points.

# %% slideshow={"slide_type": "skip"}
import matplotlib.pyplot as plt

import course_utils as cu
from course_utils import plots, widgets

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The data
#
# Class 0 is centred at $+c\,(1, 1)$ and class 1 at $-c\,(1, 1)$. Both centres lie on the
# diagonal, symmetric about the origin; they are
#
# $$\lVert c\,(1,1) - (-c\,(1,1)) \rVert = 2\sqrt{2}\,c = \text{distance}$$
#
# apart, so $c = \text{distance} / (2\sqrt{2})$. Each coordinate of a point scatters around
# its centre with standard deviation `sigma`. The random generator is seeded: the same
# arguments always give the same points.

# %% slideshow={"slide_type": "fragment"}
data = cu.make_two_gaussians(distance=5.0, sigma=1.0, n0=200, n1=200, seed=0)
centre0, centre1 = data.centres
print(f"{data.n} points, {int((data.y == 0).sum())} of class 0 and {int(data.y.sum())} of class 1")
print(f"centre of class 0: ({centre0[0]:.3f}, {centre0[1]:.3f})")
print(f"centre of class 1: ({centre1[0]:.3f}, {centre1[1]:.3f})")
print(f"distance between the centres: {((centre0 - centre1) ** 2).sum() ** 0.5:.3f}")

# %% slideshow={"slide_type": "subslide"}
fig, ax = plt.subplots(figsize=(6, 5.5))
plots.scatter_classes(data.X, data.y, distance=data.distance, ax=ax)
plt.show()

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
    print(f"distance {distance:.1f}, sigma {sigma:.1f}: Bayes error {error:.4f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Try it
#
# Move the sliders. Only the ratio $\text{distance}/\sigma$ decides the Bayes error; the class
# counts change how many points you see, not where the classes are.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
widgets.data_explorer()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - Two Gaussian clouds, centres $\pm c\,(1,1)$ exactly `distance` apart, spread `sigma` per axis.
# - The Bayes error $\Phi(-\text{distance}/(2\sigma))$ is the floor for every classifier;
#   it depends only on $\text{distance}/\sigma$.
# - Seeded data: the same call gives the same points, so every figure can be reproduced.
#
# ## Exercises

# %% [markdown] slideshow={"slide_type": "subslide"}
# Each exercise has a cell for your answer: replace the `...`, run it, then run the check
# below it. `q1.hint()` gives a hint, `q1.hint(2)` a more explicit one, and `q1.solution()`
# shows a solution.

# %% slideshow={"slide_type": "skip"}
import numpy as np  # noqa: F401 (for your answers)

from course_utils.exercises.nb01 import q1, q2, q3

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 1.** Class 0 is centred at $+c\,(1, 1)$ and class 1 at $-c\,(1, 1)$. Where must
# the centres be so that they are exactly $\text{distance} = 3$ apart? Give a $(2, 2)$ array:
# row 0 the centre of class 0, row 1 the centre of class 1.

# %% slideshow={"slide_type": "-"}
centres_for_3 = ...  # e.g. np.array([[x0, y0], [x1, y1]])

# %% slideshow={"slide_type": "-"}
q1.check()

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 2.** Estimate the Bayes error for $\text{distance} = 2$, $\sigma = 1$ *by
# simulation*: draw at least 10,000 points per class with `cu.make_two_gaussians`, assign
# each point to the nearer centre, and count the mistakes. Does your estimate agree with
# $\Phi(-\text{distance} / (2\sigma))$?

# %% slideshow={"slide_type": "-"}
simulated_bayes_error = ...  # the fraction of points assigned to the wrong class

# %% slideshow={"slide_type": "-"}
q2.check()

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 3.** Which $\sigma$ gives a Bayes error of exactly 1 % when
# $\text{distance} = 4$?

# %% slideshow={"slide_type": "-"}
sigma_for_1_percent = ...  # a number

# %% slideshow={"slide_type": "-"}
q3.check()
