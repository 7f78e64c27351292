# %% [markdown] slideshow={"slide_type": "slide"}
# # 2. A linear classifier with two weights
#
# **What you will learn**
#
# - the model $p(y=1 \mid x) = \operatorname{sigmoid}(w_1 x_1 + w_2 x_2)$ and its decision
#   boundary $w \cdot x = 0$;
# - why this problem needs no bias term — and what that costs when the classes are unequal;
# - what the *direction* and the *length* of $w$ each do;
# - the Bayes-optimal weights $w^*$, which turn the model into the true posterior.

# %% slideshow={"slide_type": "skip"}
import matplotlib.pyplot as plt
import numpy as np

import course_utils as cu
from course_utils import plots, widgets
from course_utils.exercises.nb02 import q1, q2, q3

data = cu.make_two_gaussians(distance=5.0, sigma=1.0, n0=200, n1=200, seed=0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The model
#
# The logistic function $\operatorname{sigmoid}(z) = 1 / (1 + e^{-z})$ turns the score
# $z = w \cdot x$ into a probability between 0 and 1. The model predicts class 1 where
# $w \cdot x > 0$: the boundary is the line $w \cdot x = 0$ through the origin, perpendicular
# to $w$, and $w$ points towards class 1.
#
# **No bias.** The centres $\mu_0 = +c\,(1,1)$ and $\mu_1 = -c\,(1,1)$ are symmetric about the
# origin, so for equal classes the best boundary passes through the origin; a bias would only
# learn to be 0.

# %% slideshow={"slide_type": "slide"} tags=["slides-hide-input"]
w = np.array([-1.0, 0.5])
fig, ax = plt.subplots(figsize=(6.0, 4.2), layout="constrained")
plots.probability_map(w, ax=ax)
plots.scatter_classes(data.X, data.y, ax=ax)
plots.decision_boundary(w, ax=ax)
plt.show()
print(f"w = (-1.0, 0.5): accuracy {cu.accuracy(data.X, data.y, w):.1%}")

# %% [markdown] slideshow={"slide_type": "notes"}
# Read the picture: red where the model says class 1, blue where it says class 0, white on the
# boundary. The arrow is w; it points into the red side. This w turns the boundary across the
# clouds, so a quarter of the points land on the wrong side.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Try it
#
# Turn the weights. Watch the boundary rotate with the direction of $w$ and the colour band
# sharpen with its length. The title gives the accuracy on these 400 points and on *new*
# points from the same two classes (computed exactly from the Gaussians).

# %% tags=["nbval-ignore-output", "slides-hide-input"] slideshow={"slide_type": "-"}
widgets.model_explorer(data.X, data.y, w1=-1.0, w2=0.5, distance=5.0, sigma=1.0)

# %% [markdown] slideshow={"slide_type": "slide"}
# **Exercise 1.** With the sliders above, find weights that classify at least 98 % of this
# notebook's points correctly (`distance = 5`, `sigma = 1`, 200 points per class, `seed=0`),
# and write them down.
#
# *How exercises work:* replace the `...`, run the cell, then run the check below it.
# `q1.hint()` gives a hint, `q1.hint(2)` a more explicit one, `q1.solution()` a solution.

# %% slideshow={"slide_type": "-"}
my_weights = ...  # np.array([w1, w2])

# %% slideshow={"slide_type": "-"}
q1.check()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Direction and length
#
# - The **direction** of $w$ sets the boundary, and so the accuracy.
# - The **length** $\lVert w \rVert$ sets how fast the probability changes across the
#   boundary: a long $w$ makes confident predictions, a short one hedges near $1/2$.
#   Scaling $w$ never changes a single predicted label.

# %% slideshow={"slide_type": "fragment"}
for scale in [0.1, 1.0, 10.0]:
    w_scaled = scale * np.array([-1.0, 0.5])
    p = cu.predict_proba(data.X, w_scaled)
    print(
        f"w = {scale:>4} * (-1.0, 0.5): accuracy {cu.accuracy(data.X, data.y, w_scaled):.1%}, "
        f"mean confidence {np.mean(np.maximum(p, 1 - p)):.1%}"
    )

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The Bayes-optimal weights
#
# With equal classes, Bayes' rule gives $p(y=1 \mid x)/p(y=0 \mid x) = p(x \mid 1)/p(x \mid 0)$,
# a ratio of two Gaussian densities $\propto e^{-\lVert x - \mu_k \rVert^2/(2\sigma^2)}$ with
# the same $\sigma$. In its logarithm the $\lVert x \rVert^2$ terms cancel, and what is left is
# linear in $x$:
#
# $$\log \frac{p(y=1 \mid x)}{p(y=0 \mid x)}
# = \frac{\lVert x - \mu_0 \rVert^2 - \lVert x - \mu_1 \rVert^2}{2\sigma^2}
# = \frac{(\mu_1 - \mu_0) \cdot x}{\sigma^2}
# - \frac{\lVert\mu_1\rVert^2 - \lVert\mu_0\rVert^2}{2\sigma^2}.$$
#
# The last term is 0 because $\lVert\mu_1\rVert = \lVert\mu_0\rVert$. And
# $\operatorname{sigmoid}$ of the log-odds is the probability, so with
# $w^* = (\mu_1 - \mu_0)/\sigma^2$ the model *is* the true posterior.

# %% slideshow={"slide_type": "fragment"}
w_star = cu.bayes_optimal_weights(data.distance, data.sigma)
print(f"w* = ({w_star[0]:.3f}, {w_star[1]:.3f}), length {np.hypot(*w_star):.3f}")
print(f"accuracy at w* on this sample: {cu.accuracy(data.X, data.y, w_star):.1%}")
print(f"Bayes error: {cu.bayes_error(data.distance, data.sigma):.1%}")

# %% [markdown] slideshow={"slide_type": "slide"}
# **Exercise 2.** Give the unit vector in the direction of $w^*$ for `distance = 5`,
# `sigma = 1`.

# %% slideshow={"slide_type": "-"}
w_star_direction = ...  # a vector of length 1, np.array([u1, u2])

# %% slideshow={"slide_type": "-"}
q2.check()

# %% [markdown] slideshow={"slide_type": "slide"}
# **Exercise 3.** The distance stays 5 and `sigma` doubles from 1 to 2. By what factor does
# the length $\lVert w^* \rVert$ change? Give the ratio new length / old length.

# %% slideshow={"slide_type": "-"}
length_ratio = ...  # a number

# %% slideshow={"slide_type": "-"}
q3.check()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Can you beat $w^*$?
#
# Set the sliders to $(-1.5, -1.0)$: 99.5 % of this sample is right, more than the 99.2 % of
# $w^*$. Two reasons why $w^*$ is still the best:
#
# - **A sample is not the population.** These 400 points are one draw; a boundary can be
#   tuned to their few hard points. On new data from the same classes $w^*$ wins.
# - **Accuracy is not the loss.** Accuracy only counts sides. Notebook 03 scores how sure the
#   model is, too, and on that score no slider position beats $w^*$ even on this sample.

# %% slideshow={"slide_type": "fragment"}
for name, weights in [("w*", w_star), ("(-1.5, -1.0)", np.array([-1.5, -1.0]))]:
    on_sample = cu.accuracy(data.X, data.y, weights)
    on_new_data = cu.population_accuracy(weights, data.distance, data.sigma)
    print(f"{name:>12}: accuracy {on_sample:.1%} on this sample, {on_new_data:.1%} on new data")

# %% [markdown] slideshow={"slide_type": "notes"}
# With 400 points one point is 0.25 %: (-1.5, -1.0) wins one more point of this sample, and
# loses on average over new samples (99.3 % against 99.4 %).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## What the missing bias costs
#
# With unequal classes the best boundary moves off the origin, towards the rarer class
# (notebook 01); a model without a bias cannot follow it. Its best line through the origin
# errs $\Phi(-\text{distance}/(2\sigma))$ whatever the counts.

# %% slideshow={"slide_type": "fragment"}
for n0, n1 in [(200, 200), (300, 60), (400, 20)]:
    best = cu.bayes_error(2.0, 1.0, prior1=n1 / (n0 + n1))
    print(
        f"{n0} : {n1} points, distance 2, sigma 1: best error {best:.1%}, "
        f"best through the origin {cu.bayes_error(2.0, 1.0):.1%}"
    )

# %% [markdown] slideshow={"slide_type": "notes"}
# This is why the course keeps the classes equal: then the model without a bias loses nothing.
# A bias b would give the boundary w·x + b = 0, which can sit anywhere.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - $p(y=1 \mid x) = \operatorname{sigmoid}(w \cdot x)$; the boundary $w \cdot x = 0$ is
#   perpendicular to $w$.
# - Symmetric centres and equal classes make a bias unnecessary; with unequal classes a
#   boundary through the origin cannot reach the Bayes error.
# - Direction of $w$: which points are called class 1. Length: how confident the model is.
# - $w^* = (\mu_1 - \mu_0)/\sigma^2$ gives the true posterior; its error on new data is the
#   Bayes error. A sample can favour other weights by a point or two.
