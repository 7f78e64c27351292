# %% [markdown] slideshow={"slide_type": "slide"}
# # 6. What the noise does to training
#
# **What you will learn**
#
# - how stochastic gradient descent (SGD) walks on the noisy minibatch landscapes;
# - two numbers that describe a minimum: its *curvature* $H$ and the *gradient noise* $\Sigma$;
# - the *noise ball*: SGD does not settle at the minimum but jitters around it, and how its
#   size depends on the learning rate $\eta$ and the batch size $B$;
# - why bigger batches save steps only up to the gradient noise scale, and what they cost in
#   samples;
# - the linear scaling rule: double $B$, double $\eta$.

# %% slideshow={"slide_type": "skip"}
import matplotlib.pyplot as plt
import numpy as np

import course_utils as cu
from course_utils import plots, training, widgets

# The figures are laid out in fixed places: shown whole rather than cropped to what they
# draw (cropping draws each figure twice: a third or more of its time).
# %config InlineBackend.print_figure_kwargs = {"bbox_inches": None}

data = cu.make_two_gaussians(distance=2.0, sigma=1.0, n0=200, n1=200, seed=0)
X, y, N = data.X, data.y, data.n
minimum = cu.find_minimum(X, y)
w0 = np.array([2.0, 2.0])

# %% [markdown] slideshow={"slide_type": "slide"}
# ## SGD on the landscape
#
# Each step takes the next batch of the epoch and moves against *its* gradient:
#
# $$w_{t+1} = w_t - \eta\, \nabla L_{B,t}(w_t).$$
#
# With $B = N$ every step sees the whole data set: plain gradient descent, which lands on the
# minimum.

# %% slideshow={"slide_type": "fragment"}
gd = cu.sgd(X, y, w0, lr=1.0, batch_size=N, n_steps=200)
print(f"start ({w0[0]:.1f}, {w0[1]:.1f}), loss {cu.loss_at(X, y, w0):.4f}")
print(f"gradient descent after 200 steps: ({gd[-1, 0]:.4f}, {gd[-1, 1]:.4f})")
print(f"the minimum:                      ({minimum.w[0]:.4f}, {minimum.w[1]:.4f})")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Try it: batch size and learning rate
#
# Five runs from the same start. Small batches and large learning rates make the paths wander
# around the minimum (the star) instead of settling on it.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
widgets.sgd_explorer(X, y, w0=w0, batch_size=8, lr=0.5)

# %% [markdown] slideshow={"slide_type": "notes"}
# Try B = 400 (gradient descent: one straight path), then B = 8 at lr 0.5 (a cloud at the
# star), then B = 1 at lr 4 (chaos; runs leave the window). Ask: why does the cloud not
# shrink with more steps?

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Two numbers that describe a minimum
#
# **Curvature $H$.** Near its minimum a smooth loss is a parabola. In one dimension,
# $L(w) \approx L_\min + \tfrac12 H (w - w_\min)^2$: $H$ is the second derivative, large for a
# narrow valley. Its gradient is $H(w - w_\min)$, so a gradient step does
#
# $$w - w_\min \;\leftarrow\; (1 - \eta H)\,(w - w_\min):$$
#
# each step removes the fraction $\eta H$ of the distance. With $H = 0.1$ and $\eta = 0.5$,
# 5 % per step; after $1/(\eta H) = 20$ steps $0.95^{20} \approx 0.36$ of it is left. So
# **SGD forgets where it was after about $1/(\eta H)$ steps.**

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The second number: gradient noise
#
# **Gradient noise $\Sigma$.** Each sample $i$ has its own gradient $g_i(w)$; the full
# gradient $G$ is their mean. In one dimension $\Sigma$ is their variance,
# $\frac1N \sum_i (g_i - G)^2$. A batch averages $B$ of them, so its gradient misses $G$ by an
# error of variance $\Sigma / B$ (times $\frac{N-B}{N-1}$, drawn without replacement: notebook 5).
# At the minimum $G = 0$, but the $g_i$ are not: the batches keep pushing.
#
# In two dimensions $H$ is a $2 \times 2$ matrix (its eigenvalues are the curvatures along the
# valley's two axes) and $\Sigma$ the $2 \times 2$ covariance of the $g_i$ (its trace
# $\operatorname{tr} \Sigma$ is the total variance).

# %% slideshow={"slide_type": "fragment"}
H = training.loss_hessian(X, y, minimum.w)
Sigma = training.gradient_covariance(X, y, minimum.w)
curvatures = np.linalg.eigvalsh(H)
print(f"curvatures at the minimum (eigenvalues of H): {curvatures[0]:.3f} and {curvatures[1]:.3f}")
print(f"gradient noise at the minimum: tr Σ = {np.trace(Sigma):.3f}")
fastest, slowest = 1 / (0.02 * curvatures[1]), 1 / (0.02 * curvatures[0])
print(f"with η = 0.02, SGD forgets in {fastest:.0f} to {slowest:.0f} steps")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The noise ball
#
# Near the minimum the pull back (a fraction $\eta H$ of the distance per step) balances the
# kicks (an error $\eta \times$ batch gradient error per step). Where they balance depends on
# how the batches are drawn.
#
# **Fresh batches** (each a new random draw): in one dimension the spread $v$ of $w$ stays
# put when $v = (1 - \eta H)^2 v + \eta^2 \Sigma / B$, so $v \approx \eta \Sigma / (2 H B)$:
# a ball of radius $\propto \sqrt{\eta / B}$. In two dimensions
# $r^2 = \frac{\eta}{2B} \operatorname{tr}(H^{-1}\Sigma) \frac{N-B}{N-1}$.
#
# **Epochs** (the data shuffled and shared out): the batch errors of one epoch add up to
# exactly zero — together the batches *are* the data. If an epoch ($N/B$ steps) is short
# compared with the forgetting time $1/(\eta H)$, SGD comes back to where it started at every
# epoch's end and in between is off by $\eta$ times the errors so far. Averaged over an epoch
# that gives $r \approx \frac{\eta}{B}\sqrt{N \operatorname{tr}\Sigma / 6}$: a ball
# $\propto \eta / B$, much smaller.

# %% [markdown] slideshow={"slide_type": "notes"}
# The 1/6: after a fraction x of the epoch, the summed error is a sample of xN points drawn
# without replacement, of variance ∝ x(1 − x); its mean over the epoch is 1/6. Both laws
# depend on η and B only through η/B — the linear scaling rule of the last section.

# %% tags=["slides-hide-input"] slideshow={"slide_type": "slide"}
rates = np.array([0.01, 0.02, 0.04, 0.08])
sizes = np.array([2, 4, 8, 16, 32, 40])
divides = N % sizes == 0  # all but 32: then every epoch uses every sample


def radii(lr, batch_size, sampling):
    """RMS distance from the minimum over the last 800 of 1600 steps, 8 runs from it."""
    return training.noise_ball_radii(X, y, minimum.w, lr, batch_size, 1600, range(8), sampling)


def predicted(lr, batch_size, sampling):
    """The two laws above."""
    if sampling == "independent":
        spread = np.trace(np.linalg.solve(H, Sigma)) * (N - batch_size) / (N - 1)
        return np.sqrt(lr / (2 * batch_size) * spread)
    return lr / batch_size * np.sqrt(N * np.trace(Sigma) / 6)


measured = {}
for sampling in ["independent", "epochs"]:
    by_rate, by_size = radii(rates, 8, sampling), radii(0.02, sizes, sampling)
    measured[sampling] = (by_rate, by_size)
    slope_rate = np.polyfit(np.log(rates), np.log(by_rate), 1)[0]
    slope_size = np.polyfit(np.log(sizes[divides]), np.log(by_size[divides]), 1)[0]
    name = "fresh batches" if sampling == "independent" else "epochs"
    print(f"{name:>13}: radius ~ lr^{slope_rate:.2f} · B^{slope_size:.2f}")
for b in [16, 32, 40]:
    print(f"epochs, η = 0.02, B = {b}: radius {measured['epochs'][1][sizes == b][0]:.4f}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# The fits agree with the laws: about $\eta^{1/2} B^{-1/2}$ for fresh batches, $\eta^1 B^{-1}$
# for epochs (here an epoch of $N/B \le 200$ steps is shorter than the forgetting time of
# 470–870 steps). **But only when $B$ divides $N$.** At $B = 32$ an epoch is 12 batches and
# $400 - 12 \cdot 32 = 16$ samples are left out, different ones each epoch; their errors do
# not cancel, and they make the ball at $B = 32$ *larger* than at $B = 16$ or $40$. Fitted
# over $B = 2, 4, 8, 16, 32$, that one point bends the slope from $-1$ to about $-0.7$.

# %% tags=["slides-hide-input"] slideshow={"slide_type": "slide"}
fig, axes = plt.subplots(1, 2, figsize=(8.5, 3.9))
fig.subplots_adjust(left=0.09, right=0.99, bottom=0.12, top=0.93, wspace=0.23)
for colour, sampling in [(0, "independent"), (3, "epochs")]:
    by_rate, by_size = measured[sampling]
    name = "fresh" if sampling == "independent" else "epochs"
    plots.scaling_plot(
        rates, by_rate, predicted(rates, 8, sampling), ax=axes[0], label=name,
        prediction_label=f"{name}: law", colour=colour, title="Radius against $\\eta$ (B = 8)",
    )  # fmt: skip
    plots.scaling_plot(
        sizes, by_size, predicted(0.02, sizes, sampling), ax=axes[1], xlabel="batch size $B$",
        label=name, prediction_label=f"{name}: law", colour=colour,
        title="Radius against B ($\\eta$ = 0.02)",
        apart=~divides if sampling == "epochs" else None,
        apart_label="epochs, B = 32 (16 left out)",
    )  # fmt: skip
plt.show()

# %% [markdown] slideshow={"slide_type": "notes"}
# Dots: measured (8 runs, second half of 1600 steps from the minimum). Dashed: the laws,
# computed from H and Σ at the minimum — no fitted constant. Epochs: the ball is 3–12×
# smaller than with fresh batches. The open circle is B = 32, which does not divide N: it
# sits above the epochs law, the leftover samples at work.

# %% [markdown] slideshow={"slide_type": "slide"}
# ### Exercises
#
# Each exercise has a cell for your answer: replace the `...`, run it, then run the check
# below it. `q1.hint()` gives a hint, `q1.hint(2)` a more explicit one, and `q1.solution()`
# shows a solution.

# %% slideshow={"slide_type": "skip"}
from course_utils.exercises.nb06 import q1, q2

# %% [markdown] slideshow={"slide_type": "slide"}
# **Exercise 1.** SGD with batch size 8 and learning rate 0.1 jitters in a noise ball around
# the minimum. Which learning rate keeps the noise ball the same at batch size 16 (with $B$
# dividing $N$, fresh batches or epochs)?

# %% slideshow={"slide_type": "-"}
lr_at_16 = ...  # a number

# %% slideshow={"slide_type": "-"}
q1.check()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Steps to a target loss
#
# How many steps does SGD need from $w_0 = (2, 2)$ to bring the full loss within $0.01$ of its
# minimum *and keep it there*? (A noisy run touches a low loss by luck long before it
# settles, so arriving means staying, up to the end of the 500 steps each run takes.) For
# each batch size the learning rate is tuned — the best power of two — over 8 runs; the cost
# in samples is $B \times$ steps.

# %% tags=["slides-hide-input"] slideshow={"slide_type": "fragment"}
target = minimum.loss + 0.01
batch_sizes = np.array([1, 2, 4, 8, 16, 25, 50, 100, 200, 400])
results = training.steps_with_tuned_rate(
    X, y, w0, target, batch_sizes, 2.0 ** np.arange(-5, 4), n_steps=500, seeds=range(8)
)
for r in results:
    samples = r.batch_size * r.median
    rate = f"{r.learning_rate:g}"
    print(
        f"B = {r.batch_size:>3}: {r.median:>5.1f} steps at lr {rate:<6} = {samples:>4.0f} samples"
    )

# Gradient flow (gradient descent with small steps) to the target, and B_simple where it arrives
flow = cu.sgd(X, y, w0, lr=0.1, batch_size=N, n_steps=500)  # arrives after 154
arrival = int(cu.steps_to_target(cu.losses_along(X, y, flow[None]), target)[0])
noise_scale = cu.gradient_noise_scale(X, y, flow[arrival])
print(f"B_simple where the loss reaches the target: {noise_scale:.0f}")

# %% tags=["slides-hide-input"] slideshow={"slide_type": "slide"}
steps = np.array([r.median for r in results])
fig, axes = plt.subplots(1, 2, figsize=(8.5, 3.9))
fig.subplots_adjust(left=0.07, right=0.99, bottom=0.12, top=0.93, wspace=0.21)
plots.steps_vs_batch_size(
    batch_sizes, steps, np.array([r.low for r in results]), np.array([r.high for r in results]),
    noise_scale=noise_scale, ax=axes[0],
)  # fmt: skip
plots.samples_vs_batch_size(batch_sizes, batch_sizes * steps, noise_scale=noise_scale, ax=axes[1])
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Reading the two curves
#
# **Small batches** (left of $B_\text{simple}$): the noise ball must fit inside the target, so
# the learning rate can only grow in proportion to $B$ (the best rate doubles with $B$ in the
# table); with it the steps fall like $1/B$ and the samples stay flat, 250–500 (about one
# epoch). Every sample does the same work, however they are grouped.
#
# **Large batches** (right of it): the gradient is nearly exact, and the learning rate is
# limited by the curvature instead — a step larger than about $2/H$ along the steepest
# direction overshoots. The steps stop falling at 2–3, and the samples grow like $B$: the
# extra samples per step buy nothing.

# %% [markdown] slideshow={"slide_type": "fragment"}
# Between $B = 8$ and $100$ the steps fall even faster than $1/B$ (63 → 3). Two reasons. The
# grid of learning rates: $B = 8$ must keep the rate of $B = 4$ (twice it is too noisy), so
# it sits at the bottom of a stair, $B = 100$ at the top. And gradient descent itself needs
# *fewer* than $\propto 1/\eta$ steps once $\eta H$ is no longer small, as exact gradient
# descent ($B = N$) shows:

# %% tags=["slides-hide-input"] slideshow={"slide_type": "fragment"}
for lr in [0.25, 0.5, 1.0, 2.0, 4.0, 8.0]:
    path = cu.sgd(X, y, w0, lr, N, 100)
    needed = cu.steps_to_target(cu.losses_along(X, y, path[None]), target)[0]
    print(f"gradient descent, lr {lr:>4g}: {needed:>3.0f} steps, lr × steps = {lr * needed:.0f}")

# %% [markdown] slideshow={"slide_type": "notes"}
# lr × steps would be constant if steps ∝ 1/lr. It falls from 15 to 12 up to lr 4 (each step
# removes a larger share of the distance), then lr 8 overshoots: that is the floor of 2–3
# steps, set by the curvature, not by the noise.

# %% [markdown] slideshow={"slide_type": "slide"}
# **Exercise 2.** Far below the gradient noise scale, SGD needs 90 steps to reach a target
# loss at batch size 4, with the learning rate scaled linearly with $B$. About how many steps
# does it need at batch size 8?

# %% slideshow={"slide_type": "-"}
steps_at_8 = ...  # a number

# %% slideshow={"slide_type": "-"}
q2.check()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The linear scaling rule
#
# Both noise-ball laws depend on $\eta$ and $B$ only through $\eta / B$. So doubling both
# keeps the noise the same while each step moves twice as far: half the steps, the same
# samples (Goyal et al., 2017). The tuned rates above follow it, $\eta$ between $B/32$ and
# $B/16$ (the nearest power of two), from $B = 1$ to $B = 100$. It breaks where the step
# becomes too large for the curvature ($\eta H$ near 1: the rate stops at 4) — which is where
# $B$ passes the noise scale.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - The curvature $H$ pulls SGD back (it forgets in about $1/(\eta H)$ steps); the gradient
#   noise $\Sigma / B$ kicks it: it jitters in a noise ball around the minimum.
# - Fresh batches: radius $\propto \sqrt{\eta / B}$. Epochs of disjoint batches: errors cancel
#   within each epoch and the radius is $\propto \eta / B$, much smaller — when $B$ divides $N$.
# - Below the noise scale, bigger batches (with $\eta \propto B$) cut the steps like $1/B$ at
#   the same cost in samples; above it the steps stop falling and the samples grow like $B$.
