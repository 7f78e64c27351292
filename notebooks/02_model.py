# %% [markdown] slideshow={"slide_type": "slide"}
# # 2. A linear classifier with two weights
#
# **What you will learn**
#
# - the model $p(y=1 \mid x) = \sigma(w_1 x_1 + w_2 x_2)$ and its decision boundary $w \cdot x = 0$;
# - why this problem needs no bias term;
# - what the *direction* and the *length* of $w$ each do;
# - the Bayes-optimal weights $w^*$, which turn the model into the true posterior.

# %% slideshow={"slide_type": "skip"}
import matplotlib.pyplot as plt
import numpy as np

import course_utils as cu
from course_utils import plots, widgets

data = cu.make_two_gaussians(distance=5.0, sigma=1.0, n0=200, n1=200, seed=0)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The model
#
# The logistic function $\sigma(z) = 1 / (1 + e^{-z})$ turns the score $z = w \cdot x$ into a
# probability. The model predicts class 1 where $w \cdot x > 0$: the boundary is the line
# $w \cdot x = 0$ through the origin, perpendicular to $w$, and $w$ points towards class 1.
#
# **No bias.** The centres $\pm c\,(1,1)$ are symmetric about the origin, so (for equal
# classes) the best boundary passes through the origin; a bias would only learn to be 0.

# %% slideshow={"slide_type": "subslide"}
w = np.array([-1.0, 0.5])
fig, ax = plt.subplots(figsize=(7, 6))
plots.probability_map(w, ax=ax)
plots.scatter_classes(data.X, data.y, ax=ax)
plots.decision_boundary(w, ax=ax)
plt.show()
print(f"w = (-1.0, 0.5): accuracy {cu.accuracy(data.X, data.y, w):.3f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Direction and length
#
# - The **direction** of $w$ sets the boundary, and so the accuracy.
# - The **length** $\lVert w \rVert$ sets how fast the probability changes across the
#   boundary: a long $w$ makes confident predictions, a short one hedges near $1/2$.
#   Scaling $w$ never changes a single predicted label.

# %% slideshow={"slide_type": "fragment"}
for scale in [0.1, 1.0, 10.0]:
    w_scaled = scale * np.array([-1.0, -1.0])
    p = cu.predict_proba(data.X, w_scaled)
    print(
        f"w = {scale:>4} * (-1, -1): accuracy {cu.accuracy(data.X, data.y, w_scaled):.3f}, "
        f"mean confidence {np.mean(np.maximum(p, 1 - p)):.3f}"
    )

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The Bayes-optimal weights
#
# For two Gaussians with equal weight and the same spread, the log-odds of the true posterior
# is linear in $x$:
#
# $$\log \frac{p(y=1 \mid x)}{p(y=0 \mid x)} = \frac{(\mu_1 - \mu_0) \cdot x}{\sigma^2}
# - \frac{\lVert\mu_1\rVert^2 - \lVert\mu_0\rVert^2}{2\sigma^2}.$$
#
# The last term is 0 because $\lVert\mu_1\rVert = \lVert\mu_0\rVert$, so with
# $w^* = (\mu_1 - \mu_0)/\sigma^2$ the model *is* the true posterior.

# %% slideshow={"slide_type": "fragment"}
w_star = cu.bayes_optimal_weights(data.distance, data.sigma)
print(f"w* = ({w_star[0]:.3f}, {w_star[1]:.3f}), length {np.hypot(*w_star):.3f}")
print(f"accuracy at w*: {cu.accuracy(data.X, data.y, w_star):.3f}")
print(f"loss at w*: {cu.cross_entropy_from_logits(data.y, data.X @ w_star):.4f}")
print(f"Bayes error: {cu.bayes_error(data.distance, data.sigma):.4f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Try it
#
# Turn the weights. Watch the boundary rotate with the direction of $w$ and the colour
# band sharpen with its length. Can you find weights better than $w^*$ on *this* sample?

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
widgets.model_explorer(data.X, data.y, w1=-1.0, w2=0.5)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - $p(y=1 \mid x) = \sigma(w \cdot x)$; the boundary $w \cdot x = 0$ is perpendicular to $w$.
# - Symmetric centres make a bias unnecessary.
# - Direction of $w$: which points are called class 1. Length: how confident the model is.
# - $w^* = (\mu_1 - \mu_0)/\sigma^2$ gives the true posterior; its error is the Bayes error.
#
# ## Exercises

# %% [markdown] slideshow={"slide_type": "subslide"}
# Each exercise has a cell for your answer: replace the `...`, run it, then run the check
# below it. `q1.hint()` gives a hint, `q1.hint(2)` a more explicit one, and `q1.solution()`
# shows a solution.

# %% slideshow={"slide_type": "skip"}
from course_utils.exercises.nb02 import q1, q2, q3

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 1.** With the sliders above, find weights that classify at least 98 % of this
# notebook's points correctly (`distance = 5`, `sigma = 1`, 200 points per class, `seed=0`),
# and write them down.

# %% slideshow={"slide_type": "-"}
my_weights = ...  # np.array([w1, w2])

# %% slideshow={"slide_type": "-"}
q1.check()

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 2.** Give the unit vector in the direction of $w^*$ for `distance = 5`,
# `sigma = 1`.

# %% slideshow={"slide_type": "-"}
w_star_direction = ...  # a vector of length 1, np.array([u1, u2])

# %% slideshow={"slide_type": "-"}
q2.check()

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 3.** The distance stays 5 and `sigma` doubles from 1 to 2. By what factor does
# the length $\lVert w^* \rVert$ change? Give the ratio new length / old length.

# %% slideshow={"slide_type": "-"}
length_ratio = ...  # a number

# %% slideshow={"slide_type": "-"}
q3.check()
