# %% [markdown] slideshow={"slide_type": "slide"}
# # 3. Cross-entropy, and how to compute it
#
# **What you will learn**
#
# - the cross-entropy loss is the *negative* mean log-likelihood of the labels;
# - the loss of one sample as a function of its margin;
# - why computing the loss from probabilities breaks for confident mistakes, and the stable
#   form from logits;
# - why the loss, not the accuracy, is what we optimise.

# %% slideshow={"slide_type": "skip"}
import matplotlib.pyplot as plt
import numpy as np

import course_utils as cu
from course_utils import plots
from course_utils.exercises.nb03 import q1, q2, q3

data = cu.make_two_gaussians(distance=5.0, sigma=1.0, n0=200, n1=200, seed=0)
w_star = cu.bayes_optimal_weights(data.distance, data.sigma)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The loss
#
# The model gives each label a probability. The likelihood of the data is the product of the
# probabilities of the true labels; its logarithm is a sum, and we *minimise* its negative mean:
#
# $$L(w) = -\frac{1}{n} \sum_{i=1}^{n} \big[ y_i \log p_i + (1 - y_i) \log(1 - p_i) \big],
# \qquad p_i = \operatorname{sigmoid}(w \cdot x_i).$$
#
# Every term is $-\log$ of a probability, so $L \ge 0$, and $L = 0$ only if every label gets
# probability 1. (Without the minus sign you get the log-likelihood, which is $\le 0$ and is
# *maximised*.)

# %% slideshow={"slide_type": "fragment"}
p = cu.predict_proba(data.X, w_star)
print(f"cross-entropy at w*: {cu.cross_entropy(data.y, p):.4f}")
print(
    f"mean log-likelihood at w*: {np.mean(data.y * np.log(p) + (1 - data.y) * np.log(1 - p)):.4f}"
)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## One sample's loss and its margin
#
# With the margin $m = (2y - 1)\, w \cdot x$ (positive when the sample is on its own side of
# the boundary), one sample's loss is
#
# $$\ell = \log(1 + e^{-m}) = \operatorname{softplus}(-m).$$
#
# A confident right answer costs almost nothing; a confident mistake costs about $|m|$: the
# loss grows linearly with how wrong the model is, where the 0–1 error only ever says 1.

# %% slideshow={"slide_type": "fragment"} tags=["slides-hide-input"]
fig, ax = plt.subplots(figsize=(7, 3.3), layout="constrained")
plots.loss_vs_margin(ax=ax)
plt.show()

# %% [markdown] slideshow={"slide_type": "notes"}
# Walk along the curve: at m = 0 (a point on the boundary) the loss is log 2 = 0.69; to the
# right it fades towards 0, to the left it becomes the straight line -m. The dashed step is
# what accuracy sees.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## When the probability formula breaks
#
# In floating point, $\operatorname{sigmoid}(z)$ rounds to exactly 1 once $z > 37$. A
# misclassified point with such a score gets $1 - p = 0$, and $\log 0 = -\infty$: the loss
# becomes infinite although its true value is simply about $z$. Scale $w^*$ up and watch
# (the direction, and so every prediction, stays the same).

# %% slideshow={"slide_type": "fragment"}
print(f"{'scale':>6} {'from probabilities':>20} {'from logits':>12}")
for scale in [1, 10, 100, 1000]:
    w = scale * w_star
    from_probabilities = cu.cross_entropy(data.y, cu.predict_proba(data.X, w))
    from_logits = cu.cross_entropy_from_logits(data.y, data.X @ w)
    print(f"{scale:>6} {from_probabilities:>20.4f} {from_logits:>12.4f}")

# %% [markdown] slideshow={"slide_type": "notes"}
# At scale 100 the probability form already says inf although the true loss is below 1: one
# misclassified point with a score beyond 37 is enough.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The stable form: from logits
#
# Work with $z = w \cdot x$ directly. Since $-\log \operatorname{sigmoid}(z) = \log(1 + e^{-z})$
# and $-\log(1 - \operatorname{sigmoid}(z)) = \log(1 + e^{z})$,
#
# $$\ell = \operatorname{softplus}(-m) = \max(-m, 0) + \log\!\big(1 + e^{-|m|}\big),$$
#
# which never takes the log of 0 and never overflows (`np.logaddexp(0, -m)` computes it).
# `course_utils.cross_entropy_from_logits` uses this form, and so does every landscape in the
# course.

# %% slideshow={"slide_type": "fragment"}
z = np.array([-1000.0, -30.0, 0.0, 30.0, 1000.0])
for label in (0, 1):
    losses = cu.per_sample_loss_from_logits(np.full(z.size, label), z)
    print(
        f"y = {label}: "
        + ", ".join(f"z={zi:g} -> {li:.4g}" for zi, li in zip(z, losses, strict=True))
    )

# %% [markdown] slideshow={"slide_type": "slide"}
# **Exercise 1.** Write `stable_loss(y, z)`: the mean cross-entropy of the labels `y` (0 or 1)
# given the logits `z`, finite for every finite logit, even $\pm 10^6$. Use NumPy only
# (`np.maximum`, `np.abs`, `np.exp`, `np.log1p` are enough). The check compares it with
# `cu.cross_entropy_from_logits` on many inputs, huge logits included.
#
# *How exercises work:* replace the `...`, run the cell, then run the check below it.
# `q1.hint()` gives a hint, `q1.hint(2)` a more explicit one, `q1.solution()` a solution.


# %% slideshow={"slide_type": "-"}
def stable_loss(y, z):
    """Mean cross-entropy of labels y (0 or 1) and logits z; finite for any finite z."""
    ...  # your code, ending with: return the mean loss


# %% slideshow={"slide_type": "-"}
q1.check()

# %% [markdown] slideshow={"slide_type": "slide"}
# **Exercise 2.** A sample with label $y = 0$ gets the logit $z = 40$: the model is confidently
# wrong. What is its loss?

# %% slideshow={"slide_type": "-"}
loss_of_confident_mistake = ...  # a number

# %% slideshow={"slide_type": "-"}
q2.check()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Loss versus accuracy
#
# Accuracy only counts which side of the boundary a point is on; it is flat almost everywhere
# and has no useful gradient. The loss also measures *how* right or wrong the model is.
# Below, every weight vector points the same way — same predictions, same accuracy — but the
# loss changes a lot with the length.

# %% slideshow={"slide_type": "fragment"}
direction = w_star / np.hypot(*w_star)
for length in [0.5, 2.0, 20.0, 100.0]:
    w = length * direction
    print(
        f"|w| = {length:>5}: accuracy {cu.accuracy(data.X, data.y, w):.1%}, "
        f"loss {cu.cross_entropy_from_logits(data.y, data.X @ w):.4f}"
    )

# %% [markdown] slideshow={"slide_type": "slide"}
# **Exercise 3.** Keep the direction of $w^*$ and change only the length:
# $w = t\,u$ with $u = w^* / \lVert w^* \rVert$. Which length $t$ gives the smallest loss on
# this notebook's data (`distance = 5`, `sigma = 1`, 200 points per class, `seed=0`)? Why is
# the best $w$ not infinitely long?

# %% slideshow={"slide_type": "-"}
best_length = ...  # a number

# %% slideshow={"slide_type": "-"}
q3.check()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Back to notebook 02: can you beat $w^*$?
#
# On this sample the weights $(-1.5, -1.0)$ classify one point more than $w^*$. Their loss is
# three times higher: they are less sure of the points they get right. No setting of 02's
# sliders has a lower loss than $w^*$ on this sample.

# %% slideshow={"slide_type": "fragment"}
for name, weights in [("w*", w_star), ("(-1.5, -1.0)", np.array([-1.5, -1.0]))]:
    print(
        f"{name:>12}: accuracy {cu.accuracy(data.X, data.y, weights):.1%}, "
        f"loss {cu.cross_entropy_from_logits(data.y, data.X @ weights):.4f}"
    )

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - Cross-entropy is the *negative* mean log-likelihood: non-negative, minimised.
# - One sample's loss is $\operatorname{softplus}(-m)$ of its margin: about $|m|$ for a
#   confident mistake, near 0 for a confident right answer.
# - From probabilities, confident mistakes overflow to $\infty$; from logits the loss is
#   finite for every finite weight.
# - Equal accuracy can hide very different losses; the loss is what gradients can follow.
