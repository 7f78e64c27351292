# %% [markdown] slideshow={"slide_type": "slide"}
# # 4. The full-batch loss landscape
#
# **What you will learn**
#
# - to read the loss as a surface over the $(w_1, w_2)$ plane: contours, a 3-D view and the
#   directions of steepest descent;
# - where its minimum is, and how it compares with the Bayes-optimal weights $w^*$;
# - the *population* landscape — the loss averaged over all possible data — and how the
#   landscape of a sample approaches it as the sample grows;
# - why separable data have no minimum at all.

# %% slideshow={"slide_type": "skip"}
import matplotlib.pyplot as plt
import numpy as np

import course_utils as cu
from course_utils import plots, widgets

# The figures are laid out in fixed places: shown whole rather than cropped to what they
# draw (cropping draws each figure twice: a third or more of its time).
# %config InlineBackend.print_figure_kwargs = {"bbox_inches": None}

data = cu.make_two_gaussians(distance=3.0, sigma=1.0, n0=200, n1=200, seed=0)
w_star = cu.bayes_optimal_weights(data.distance, data.sigma)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The landscape
#
# Each point of the plane is a weight vector $w = (w_1, w_2)$; its height is the mean
# cross-entropy $L(w)$ over the whole data set. The grid window is chosen to contain the
# minimum with room to spare. The colour scale is logarithmic: the loss near the minimum and
# at the corners differ by orders of magnitude.

# %% slideshow={"slide_type": "fragment"}
w1, w2 = cu.grid_window(data.X, data.y, n=61)
full = cu.loss_landscape(data.X, data.y, w1, w2)
minimum = cu.find_minimum(data.X, data.y)
grid_minimum = cu.grid_argmin(full, w1, w2)
print(f"window: w1, w2 in [{w1[0]:.1f}, {w1[-1]:.1f}], {w1.size} x {w2.size} grid")
print(f"grid minimum:    ({grid_minimum[0]:.3f}, {grid_minimum[1]:.3f})")
print(f"refined minimum: ({minimum.w[0]:.3f}, {minimum.w[1]:.3f}), loss {minimum.loss:.4f}")
print(f"Bayes-optimal:   ({w_star[0]:.3f}, {w_star[1]:.3f})")

# %% tags=["slides-hide-input"] slideshow={"slide_type": "slide"}
marks = {"grid minimum": grid_minimum, "refined minimum": minimum.w, "Bayes-optimal $w^*$": w_star}
zoom1 = minimum.w[0] + np.linspace(-0.6, 0.6, 49)  # the three points lie within 0.3 of
zoom2 = minimum.w[1] + np.linspace(-0.6, 0.6, 49)  # each other: zoom in to tell them apart
fig, axes, bar = plots.map_panels(2, figsize=(8.5, 4.2))
plots.landscape_map(full, w1, w2, ax=axes[0], colorbar=False)
plots.gradient_arrows(data.X, data.y, w1, w2, ax=axes[0], color="white")
plots.mark_weights(marks, ax=axes[0], legend=False)
zoomed = cu.loss_landscape(data.X, data.y, zoom1, zoom2)
excess = cu.loss_at(data.X, data.y, w_star) - minimum.loss
title = f"Zoom: $w^*$ costs {excess:.4f} more"
plots.landscape_map(zoomed, zoom1, zoom2, ax=axes[1], title=title, cax=bar)
plots.mark_weights(marks, ax=axes[1])
axes[0].add_patch(plt.Rectangle(minimum.w - 0.6, 1.2, 1.2, fill=False, ec="white", lw=1.5))
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# The arrows point downhill, $-\nabla L(w)$, and meet at the minimum. Where does the gradient
# come from? For one sample with $p = \operatorname{sigmoid}(w \cdot x)$ the loss is
# $\ell = -y \log p - (1-y)\log(1-p)$, and since $\operatorname{sigmoid}' = p(1-p)$ the chain
# rule gives $\nabla \ell = (p - y)\,x$: the prediction's error times the input. Averaging
# over the $n$ samples (rows of $X$),
#
# $$\nabla L(w) = \tfrac{1}{n} X^\top\big(\operatorname{sigmoid}(Xw) - y\big).$$
#
# The grid minimum is only as precise as the grid. *Newton's method* refines it: at the
# current point it fits the parabola with the loss's slope and curvature and jumps to that
# parabola's lowest point; near the minimum each jump doubles the number of correct digits.

# %% [markdown] slideshow={"slide_type": "slide"}
# The same surface in 3-D (height: $\log_{10}$ of the loss):

# %% slideshow={"slide_type": "-"}
plots.landscape_surface(full, w1, w2)
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Exercises
#
# Each exercise has a cell for your answer: replace the `...`, run it, then run the check
# below it. `q1.hint()` gives a hint, `q1.hint(2)` a more explicit one, and `q1.solution()`
# shows a solution.

# %% slideshow={"slide_type": "skip"}
from course_utils.exercises.nb04 import q1, q2, q3

# %% [markdown] slideshow={"slide_type": "slide"}
# **Exercise 1.** What is the loss at $w = (0, 0)$, the centre of every landscape, for any
# data set?

# %% slideshow={"slide_type": "-"}
loss_at_origin = ...  # a number

# %% slideshow={"slide_type": "-"}
q1.check()

# %% [markdown] slideshow={"slide_type": "slide"}
# **Exercise 2.** Write gradient descent: a function `gradient_descent(X, y, lr, n_steps)` that
# starts at $w = 0$, takes `n_steps` steps $w \leftarrow w - \eta\,\nabla L(w)$ (with
# `cu.loss_gradient(X, y, w)` and $\eta$ = `lr`) and returns the whole path: an array of
# shape `(n_steps + 1, 2)`, its first row $(0, 0)$. The check runs it on other data. Then see
# where `gradient_descent(data.X, data.y, 2.0, 500)` ends.


# %% slideshow={"slide_type": "-"}
def gradient_descent(X, y, lr, n_steps):
    """The path of gradient descent from w = 0: an array of shape (n_steps + 1, 2)."""
    ...  # your code, ending with: return the path


# %% slideshow={"slide_type": "-"}
q2.check()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The population landscape
#
# A sample is one draw of many possible ones. Averaging the loss over the two Gaussians
# themselves gives the *population* landscape $\mathbb{E}[\ell(w)]$. It is exact here. The
# class centres are $\mu_0 = +c\,(1, 1)$ (class 0) and $\mu_1 = -c\,(1, 1)$ (class 1), $c$ set
# by the distance (notebook 1), and each coordinate has spread $\sigma$. For a random sample
# the margin $m = (2y-1)\,w \cdot x$ is then Gaussian with mean $w \cdot \mu_1$ and standard
# deviation $\sigma \lVert w \rVert$, so the expectation is a one-dimensional integral,
# computed by quadrature. The model is well specified — the true probability of class 1 is
# $\operatorname{sigmoid}(w^* \cdot x)$ — so the population minimum is exactly $w^*$.

# %% tags=["slides-hide-input"] slideshow={"slide_type": "fragment"}
population = cu.population_landscape(data.distance, data.sigma, w1, w2)
population_minimum = cu.grid_argmin(population, w1, w2)
print(f"population grid minimum: ({population_minimum[0]:.3f}, {population_minimum[1]:.3f})")
print("median over 3 samples of each size:")
for n_per_class in [25, 200, 2500]:
    gaps, misses = [], []
    for seed in range(1, 4):
        sample = cu.make_two_gaussians(data.distance, data.sigma, n_per_class, n_per_class, seed)
        gaps.append(np.abs(cu.loss_landscape(sample.X, sample.y, w1, w2) - population).max())
        misses.append(np.hypot(*(cu.find_minimum(sample.X, sample.y).w - w_star)))
    print(
        f"  N = {2 * n_per_class:>4}: largest |sample - population| {np.median(gaps):.3f}, "
        f"minimum {np.median(misses):.3f} from w*"
    )

# %% tags=["slides-hide-input"] slideshow={"slide_type": "slide"}
fig, axes, bar = plots.map_panels(2, figsize=(8.5, 3.9))
norm = plots.loss_norm(population)
plots.landscape_map(full, w1, w2, ax=axes[0], norm=norm, title="Sample of N = 400", colorbar=False)
plots.landscape_map(population, w1, w2, ax=axes[1], norm=norm, title="Population", cax=bar)
plots.mark_weights({"Bayes-optimal $w^*$": w_star}, ax=axes[1])
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Try it: distance and sigma
#
# Closer or wider classes make a shallower, wider basin with its minimum near the origin;
# far-apart, tight classes push the minimum out — and at some point there is none.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
widgets.landscape_explorer(distance=3.0, sigma=1.0)

# %% [markdown] slideshow={"slide_type": "notes"}
# Move distance up at sigma 1: the star (minimum) and the ring (w*) move out together. At
# distance 5, sigma 0.5 the data become separable: the star disappears, and w* lies outside
# the window (the note in the corner says where).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Separable data: no minimum
#
# If a line through the origin puts every point on its own side, every margin along that
# direction $u$ is positive, and stretching $w = t\,u$ makes all of them larger: the loss
# keeps falling towards 0 as $t \to \infty$ and never reaches a minimum. Gradient descent on
# such data runs off to infinity along the ray.

# %% slideshow={"slide_type": "fragment"}
separable = cu.make_two_gaussians(distance=8.0, sigma=0.5, n0=20, n1=20, seed=0)
print(f"separable: {cu.is_separable(separable.X, separable.y)}")
print(f"find_minimum reports separable: {cu.find_minimum(separable.X, separable.y).separable}")
u = w_star / np.hypot(*w_star)
ts = np.linspace(0, 20, 81)
along_ray = np.array([cu.loss_at(separable.X, separable.y, t * u) for t in ts])
for t in [1, 5, 10, 20]:
    print(f"  loss at t = {t:>2}: {cu.loss_at(separable.X, separable.y, t * u):.3e}")

# %% slideshow={"slide_type": "slide"}
fig, ax = plt.subplots(figsize=(6.5, 4))
fig.subplots_adjust(left=0.13, right=0.97, bottom=0.12, top=0.93)
plots.loss_along_ray(ts, along_ray, ax=ax)
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# **Exercise 3.** Why does the loss of separable data have no minimum? Answer with a letter:
#
# - (a) the learning rate is too large for the loss to settle;
# - (b) along some direction every margin is positive, so stretching $w$ lowers the loss
#   forever;
# - (c) the loss is not convex when the classes are far apart.

# %% slideshow={"slide_type": "-"}
why_no_minimum = ...  # "a", "b" or "c"

# %% slideshow={"slide_type": "-"}
q3.check()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - The full-batch loss is a smooth bowl over the weight plane (convex: no other valleys).
# - Its minimum lies near $w^* = (\mu_1 - \mu_0)/\sigma^2$, and closer the larger the sample;
#   the population landscape has its minimum exactly at $w^*$.
# - Distance and sigma reshape the bowl; separable data have no minimum, the loss falls
#   forever along a ray.
