# %% [markdown] slideshow={"slide_type": "slide"}
# # 5. Minibatch noise
#
# **What you will learn**
#
# - a minibatch of $B$ samples has its own loss landscape, and it differs from the full one;
# - how the spread of the minibatch landscapes and of their minima shrinks as $B$ grows;
# - the exact law for that spread when batches are drawn without replacement;
# - that a small batch can be separable and have no minimum at all;
# - the *gradient noise scale*: the batch size at which the noise stops dominating.

# %% slideshow={"slide_type": "skip"}
import matplotlib.pyplot as plt
import numpy as np

import course_utils as cu
from course_utils import plots, widgets

# The figures are laid out in fixed places: shown whole rather than cropped to what they
# draw (cropping draws each figure twice: a third or more of its time).
# %config InlineBackend.print_figure_kwargs = {"bbox_inches": None}

data = cu.make_two_gaussians(distance=2.0, sigma=1.0, n0=200, n1=200, seed=0)
N = data.n
w1, w2 = cu.grid_window(data.X, data.y, n=61)
full = cu.loss_landscape(data.X, data.y, w1, w2)
minimum = cu.find_minimum(data.X, data.y)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## One epoch of minibatches
#
# Training shuffles the $N$ samples and cuts them into $N / B$ disjoint batches; each step
# sees the loss of one batch only,
#
# $$L_B(w) = \frac{1}{B} \sum_{i \in \text{batch}} \ell_i(w).$$
#
# Each batch's landscape is a noisy copy of the full one. Their average over the epoch is
# the full landscape (when $B$ divides $N$), and the one batch of size $B = N$ *is* the data.

# %% slideshow={"slide_type": "fragment"}
epoch = cu.minibatch_landscapes(data.X, data.y, w1, w2, batch_size=40, seed=0)
whole = cu.minibatch_landscapes(data.X, data.y, w1, w2, batch_size=N, seed=0)
print(f"B = 40: {epoch.shape[0]} batches of landscapes {epoch.shape[1]} x {epoch.shape[2]}")
print(f"mean of the epoch = full landscape: {np.allclose(epoch.mean(axis=0), full, atol=1e-12)}")
print(f"B = N landscape = full landscape:   {np.allclose(whole[0], full, atol=1e-12)}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Try it: the batch size
#
# Drag the slider. Small batches give landscapes that hardly resemble the full one, with
# minima scattered far from the full minimum (the star) — or no minimum at all. As $B$ grows
# the batch landscapes close in on the full one; at $B = N$ they coincide. Below, the minima
# of every batch of the epoch: coloured for the four batches above, grey for the others,
# triangles on the edge for minima outside the window (the title counts them).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
widgets.batch_size_explorer(data.X, data.y, batch_size=16)

# %% [markdown] slideshow={"slide_type": "notes"}
# Start at B = 16, go down to B = 1 (most batches separable: few minima, many on the window's
# edge), then up to B = 400 (the one batch is the data: its landscape and minimum are the
# full ones). The grey dots are the minima of the batches not shown in a panel.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## How fast the noise shrinks: the variance law
#
# At a fixed $w$ the per-sample losses $\ell_i(w)$ have mean $L(w)$ and variance
# $S^2(w) = \frac{1}{N}\sum_i (\ell_i(w) - L(w))^2$. A batch of $B$ drawn *without
# replacement* has
#
# $$\operatorname{Var}[L_B(w)] = \frac{S^2(w)}{B} \cdot \frac{N - B}{N - 1}.$$
#
# For $B \ll N$ this is the familiar $S^2/B$ (slope $-1$ on a log-log plot); the second
# factor bends it down to exactly 0 at $B = N$. Below: the variance measured over 3000
# batches at the full minimum against the law.

# %% tags=["slides-hide-input"] slideshow={"slide_type": "fragment"}
at = minimum.w
batch_sizes = np.array([1, 2, 4, 8, 16, 32, 64, 128, 256, 320, 400])
empirical = np.array(
    [cu.minibatch_losses_at(data.X, data.y, at, b, 3000, seed=1).var() for b in batch_sizes]
)
theory = np.array([cu.minibatch_loss_variance_at(data.X, data.y, at, b) for b in batch_sizes])
for b, e, t in zip(batch_sizes, empirical, theory, strict=True):
    if t > 0:
        print(f"B = {b:>3}: measured {e:.2e}, law {t:.2e}, ratio {e / t:.3f}")
    else:  # B = N: every batch is the whole data set
        print(f"B = {b:>3}: measured {e:.0f} (up to rounding), law {t:.0f}")

# %% slideshow={"slide_type": "slide"}
fig, ax = plt.subplots(figsize=(6.5, 4.2))
fig.subplots_adjust(left=0.115, right=0.99, bottom=0.115, top=0.935)
plots.variance_law(batch_sizes, empirical, theory, N, ax=ax)
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Exercises
#
# Each exercise has a cell for your answer: replace the `...`, run it, then run the check
# below it. `q1.hint()` gives a hint, `q1.hint(2)` a more explicit one, and `q1.solution()`
# shows a solution.

# %% slideshow={"slide_type": "skip"}
from course_utils.exercises.nb05 import q1, q2

# %% [markdown] slideshow={"slide_type": "slide"}
# **Exercise 1.** A data set has $N = 400$ samples. At some $w$, the loss of a batch of
# $B = 16$ (drawn without replacement) has variance $0.02$. Predict the variance for
# $B = 64$.

# %% slideshow={"slide_type": "-"}
variance_at_64 = ...  # a number

# %% slideshow={"slide_type": "-"}
q1.check()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Small batches without a minimum
#
# A batch whose points a line through the origin separates has no finite minimum (notebook 4):
# its loss falls forever along a ray. With overlapping classes a large batch is almost never
# separable, but a small one often is — a batch of 1 always is.

# %% slideshow={"slide_type": "fragment"}
sizes = np.array([1, 2, 4, 8, 16, 32, 64, 128])
fractions = np.array(
    [cu.separable_batches(data.X, data.y, b, n_batches=2000, seed=2).mean() for b in sizes]
)
for b, f in zip(sizes, fractions, strict=True):
    print(f"B = {b:>3}: {f:.3f} of batches separable")

# %% slideshow={"slide_type": "slide"}
fig, ax = plt.subplots(figsize=(6.5, 4))
fig.subplots_adjust(left=0.09, right=0.99, bottom=0.12, top=0.935)
plots.separable_fraction(sizes, fractions, ax=ax)
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# **Exercise 2.** The table above is for classes 2 apart. Move them further apart:
# `distance = 3`, `sigma = 1`, 200 points per class, `seed=0`. At which batch size $B$ are
# about half of the batches separable now? Simulate it.

# %% slideshow={"slide_type": "-"}
half_separable_batch_size = ...  # a whole number

# %% slideshow={"slide_type": "-"}
q2.check()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The gradient noise scale
#
# Training follows the minibatch *gradient*: the mean of the per-sample gradients $g_i(w)$
# over the batch. Two numbers describe them at a point $w$:
#
# - the **signal** $G(w) = \frac1N \sum_i g_i(w)$, the full gradient;
# - the **noise** $\Sigma(w)$, the covariance of the $g_i$ around $G$ (how much they scatter);
#   its trace $\operatorname{tr}\Sigma$ is their mean squared distance from $G$.
#
# A batch of $B$ gives $G$ plus an error whose mean squared size is $\operatorname{tr}\Sigma / B$
# (for $B \ll N$; the same law as the loss's variance above). The noise equals the signal,
# $\operatorname{tr}\Sigma / B = \lVert G \rVert^2$, at
#
# $$B_\text{simple}(w) = \frac{\operatorname{tr}\Sigma(w)}{\lVert G(w) \rVert^2},$$
#
# the *simple noise scale* (McCandlish et al., 2018). A batch much smaller than $B_\text{simple}$
# mostly follows noise; one much larger wastes samples on a direction already known. Far from
# the minimum the gradient is strong and small batches suffice; near the minimum $G \to 0$ and
# $B_\text{simple}$ grows without bound.

# %% slideshow={"slide_type": "fragment"}
noise = cu.noise_scale_landscape(data.X, data.y, w1, w2)
for label, w in [("the origin", np.zeros(2)), ("halfway to the minimum", minimum.w / 2)]:
    print(f"B_simple at {label}: {cu.gradient_noise_scale(data.X, data.y, w):.1f}")

# %% tags=["slides-hide-input"] slideshow={"slide_type": "slide"}
fig, ax = plt.subplots(figsize=(5.8, 4.2))
fig.subplots_adjust(left=0.035, right=0.95, bottom=0.115, top=0.93)
plots.noise_scale_map(noise, w1, w2, ax=ax)
plots.mark_weights({"refined minimum": minimum.w}, ax=ax)
plt.show()

# %% [markdown] slideshow={"slide_type": "notes"}
# Dark (small B_simple) far from the minimum: there a batch of a few samples already points
# downhill. Bright near the star: at the minimum any batch is mostly noise. Notebook 6 shows
# what this means for the number of steps.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - Each minibatch optimises its own landscape: a noisy copy of the full one whose minimum
#   (if any) is scattered around the full minimum.
# - The noise falls like $1/B$ and vanishes at $B = N$:
#   $\operatorname{Var}[L_B] = \frac{S^2}{B}\frac{N-B}{N-1}$.
# - Small batches are often separable: their landscape has no minimum at all.
# - The gradient noise scale says which batch sizes are noise-dominated, and it grows near
#   the minimum.
