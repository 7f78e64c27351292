# %% [markdown] slideshow={"slide_type": "slide"}
# # 6. What the noise does to training
#
# **What you will learn**
#
# - how stochastic gradient descent (SGD) walks on the noisy minibatch landscapes;
# - the *noise ball*: SGD does not settle at the minimum but jitters around it, and how its
#   size depends on the learning rate $\eta$ and the batch size $B$;
# - why bigger batches save steps only up to the gradient noise scale;
# - the linear scaling rule: double $B$, double $\eta$.

# %% slideshow={"slide_type": "skip"}
import matplotlib.pyplot as plt
import numpy as np

import course_utils as cu
from course_utils import plots, widgets

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
# With $B = N$ every step sees the whole data set: plain gradient descent. Move the sliders:
# small batches and large learning rates make the paths wander.

# %% slideshow={"slide_type": "fragment"}
gd = cu.sgd(X, y, w0, lr=1.0, batch_size=N, n_steps=200)
print(f"start ({w0[0]:.1f}, {w0[1]:.1f}), loss {cu.loss_at(X, y, w0):.4f}")
print(f"gradient descent after 200 steps: ({gd[-1, 0]:.4f}, {gd[-1, 1]:.4f})")
print(f"the minimum:                      ({minimum.w[0]:.4f}, {minimum.w[1]:.4f})")

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
widgets.sgd_explorer(X, y, w0=w0, batch_size=8, lr=0.5)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The noise ball
#
# Near the minimum the full gradient vanishes but the batch gradients do not, so SGD keeps
# moving. If every batch were a *fresh random draw*, the jitter would settle where the pull
# back ($\eta H$) balances the kicks ($\eta^2 \Sigma / B$): a ball of radius
# $\propto \sqrt{\eta / B}$. Training with *epochs* is gentler: within an epoch the batches
# share out the data, so their errors cancel by the end of each epoch, and the ball shrinks
# faster, about $\propto \eta / B$ while an epoch is short compared with the time SGD takes to
# forget ($1 / \eta H$ steps). Both are measured below: 12 runs, 2000 steps each, started at
# the minimum; the radius is the RMS distance from it over the second half of the steps.

# %% slideshow={"slide_type": "fragment"}
rates = np.array([0.01, 0.02, 0.04, 0.08])
sizes = np.array([2, 4, 8, 16, 32])


def radius(lr, batch_size, sampling):
    paths = cu.sgd_paths(X, y, minimum.w, lr, batch_size, 2000, range(12), sampling=sampling)
    return cu.noise_ball_radius(paths, minimum.w)


exponents = {}
for sampling in ["independent", "epochs"]:
    by_rate = np.array([radius(lr, 8, sampling) for lr in rates])
    by_size = np.array([radius(0.02, b, sampling) for b in sizes])
    exponents[sampling] = (by_rate, by_size)
    slope_rate = np.polyfit(np.log(rates), np.log(by_rate), 1)[0]
    slope_size = np.polyfit(np.log(sizes), np.log(by_size), 1)[0]
    print(f"{sampling:>11} batches: radius ~ lr^{slope_rate:.2f} · B^{slope_size:.2f}")

# %% slideshow={"slide_type": "subslide"}
fig, axes = plt.subplots(1, 2, figsize=(12, 4.8), layout="constrained")
by_rate, by_size = exponents["independent"]
plots.scaling_plot(
    rates,
    by_rate,
    by_rate[0] * np.sqrt(rates / rates[0]),
    ax=axes[0],
    title="Fresh batches: radius against $\\eta$ (B = 8)",
)
axes[0].lines[1].set_label("$\\propto \\sqrt{\\eta}$")
axes[0].legend()
plots.scaling_plot(
    sizes,
    by_size,
    by_size[0] * np.sqrt(sizes[0] / sizes),
    ax=axes[1],
    xlabel="batch size $B$",
    title="Fresh batches: radius against B ($\\eta$ = 0.02)",
)
axes[1].lines[1].set_label("$\\propto 1/\\sqrt{B}$")
axes[1].legend()
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Steps to a target loss
#
# How many steps does SGD need to bring the full loss within $0.01$ of its minimum *and keep
# it there*? (A noisy run touches a low loss by luck long before it settles, so arriving
# means staying.) For each batch size the learning rate is tuned — the best of a grid of
# powers of two — over 12 runs.
#
# Small batches: the noise ball must fit inside the target, so the learning rate has to
# shrink with $B$ (the noise goes like $\eta / B$), and the steps grow like $1/B$. Large
# batches: the gradient is nearly exact, the learning rate is limited by the curvature
# instead, and more samples per step stop helping. The gradient noise scale
# $B_\text{simple}$ of notebook 5 (McCandlish et al., 2018), measured where the loss reaches
# the target, predicts where one regime gives way to the other.

# %% slideshow={"slide_type": "fragment"}
target = minimum.loss + 0.01
batch_sizes = np.array([1, 2, 4, 8, 16, 32, 64, 128, 400])
learning_rates = 2.0 ** np.arange(-5, 4)
median, low, high = [], [], []
for b in batch_sizes:
    runs = [cu.sgd_paths(X, y, w0, lr, b, 600, range(12)) for lr in learning_rates]
    steps = [cu.steps_to_target(cu.losses_along(X, y, paths), target) for paths in runs]
    best = int(np.argmin([np.median(s) for s in steps]))
    median.append(np.median(steps[best]))
    low.append(np.percentile(steps[best], 25))
    high.append(np.percentile(steps[best], 75))
    print(f"B = {b:>3}: {median[-1]:>5.1f} steps (best lr {learning_rates[best]:g})")

# Gradient flow (gradient descent with small steps) to the target, and B_simple where it arrives
flow = cu.sgd(X, y, w0, lr=0.1, batch_size=N, n_steps=2000)
arrival = int(cu.steps_to_target(cu.losses_along(X, y, flow[None]), target)[0])
noise_scale = cu.gradient_noise_scale(X, y, flow[arrival])
print(f"B_simple where the loss reaches the target: {noise_scale:.0f}")

# %% slideshow={"slide_type": "subslide"}
fig, ax = plt.subplots(figsize=(7.5, 5))
plots.steps_vs_batch_size(
    batch_sizes, np.array(median), np.array(low), np.array(high), noise_scale=noise_scale, ax=ax
)
plt.show()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## The linear scaling rule
#
# The noise of a step is set by $\eta / B$ (the kick $\eta$ times a gradient error
# $\propto 1/\sqrt{B}$, squared and summed over $1/\eta$ steps). So doubling both keeps the
# noise the same while each step moves twice as far: half the steps (Goyal et al., 2017).
# It holds while the step is small compared with the curvature ($\eta H \ll 1$) and $B$ is
# below the noise scale; then it breaks.

# %% slideshow={"slide_type": "fragment"}
for b in [1, 2, 4, 8, 16, 32, 64, 128, 256]:
    lr = b / 32
    paths = cu.sgd_paths(X, y, w0, lr, b, 800, range(12))
    steps = np.median(cu.steps_to_target(cu.losses_along(X, y, paths), target))
    print(f"B = {b:>3}, lr = {lr:>6.4g}: {steps:>6.1f} steps to the target")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - SGD follows the minibatch landscapes, so it jitters around the minimum in a noise ball.
# - With fresh batches the ball's radius grows like $\sqrt{\eta / B}$; epochs of disjoint
#   batches make it smaller still.
# - Bigger batches cut the number of steps like $1/B$ up to about the gradient noise scale,
#   then stop helping.
# - Linear scaling: double $B$ and $\eta$ together for the same noise in half the steps —
#   until the step becomes too large.
#
# ## Exercises

# %% [markdown] slideshow={"slide_type": "subslide"}
# Each exercise has a cell for your answer: replace the `...`, run it, then run the check
# below it. `q1.hint()` gives a hint, `q1.hint(2)` a more explicit one, and `q1.solution()`
# shows a solution.

# %% slideshow={"slide_type": "skip"}
from course_utils.exercises.nb06 import q1, q2

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 1.** SGD with batch size 8 and learning rate 0.1 jitters in a noise ball around
# the minimum. Which learning rate keeps the noise ball the same at batch size 16?

# %% slideshow={"slide_type": "-"}
lr_at_16 = ...  # a number

# %% slideshow={"slide_type": "-"}
q1.check()

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 2.** Far below the gradient noise scale, SGD needs 60 steps to reach a target
# loss at batch size 4, with the learning rate scaled linearly with $B$. About how many steps
# does it need at batch size 8?

# %% slideshow={"slide_type": "-"}
steps_at_8 = ...  # a number

# %% slideshow={"slide_type": "-"}
q2.check()
