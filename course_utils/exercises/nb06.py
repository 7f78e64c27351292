"""Exercises of notebook 06 (SGD): the linear scaling rule."""

import math

from ._framework import Exercise, Mistake, finite_number_form, near

# ---- 1. the learning rate that keeps the noise ball when B doubles --------------------------

q1 = Exercise(
    number=1,
    topic="the learning rate for twice the batch",
    variable="lr_at_16",
    is_correct=lambda lr: near(lr, 0.2),
    solution_code="lr_at_16 = 0.1 * 16 / 8  # keep lr / B: 0.2",
    explanation=(
        "the noise ball is set by lr / B (its radius grows with lr / B, whether the batches "
        "are fresh or epochs): doubling B from 8 to 16 needs lr 0.1 → 0.2, the linear "
        "scaling rule."
    ),
    hints=(
        "How does the size of the noise ball depend on the learning rate and the batch size?",
        "The noise ball depends on lr and B only through lr / B. Keep it constant.",
    ),
    mistakes=(
        Mistake(
            "the same learning rate",
            lambda lr: near(lr, 0.1),
            "with the same learning rate, twice the batch halves lr / B: the noise ball shrinks.",
            0.1,
        ),
        Mistake(
            "square-root scaling",
            lambda lr: near(lr, 0.1 * math.sqrt(2)),
            "that is square-root scaling (keeping lr / sqrt(B)); the noise ball is set by "
            "lr / B, so scale the learning rate linearly.",
            0.1 * math.sqrt(2),
        ),
        Mistake(
            "halved",
            lambda lr: near(lr, 0.05),
            "the other way round: a bigger batch is less noisy, so it can take a larger step.",
            0.05,
        ),
        Mistake(
            "quadrupled",
            lambda lr: near(lr, 0.4),
            "too far: lr / B stays the same when lr doubles with B, not when it quadruples.",
            0.4,
        ),
        Mistake(
            "not positive",
            lambda lr: float(lr) <= 0,
            "a learning rate is positive.",
            -0.2,
        ),
    ),
    form=finite_number_form,
)

# ---- 2. the steps needed at twice the batch -------------------------------------------------

q2 = Exercise(
    number=2,
    topic="the steps at twice the batch",
    variable="steps_at_8",
    is_correct=lambda steps: near(steps, 30),
    solution_code="steps_at_8 = 60 * 4 / 8  # 1/B regime: 30",
    explanation=(
        "far below the noise scale, each step with twice the batch (and twice the learning "
        "rate) does the work of two: the steps fall like 1/B, 60 → 30."
    ),
    hints=(
        "Below the noise scale, how does the number of steps depend on the batch size?",
        "Below the noise scale the steps fall like 1/B.",
    ),
    mistakes=(
        Mistake(
            "unchanged: the regime above the noise scale",
            lambda s: near(s, 60),
            "60 steps would be the regime far above the noise scale; below it a bigger batch "
            "saves steps like 1/B.",
            60,
        ),
        Mistake(
            "a quarter: four times the batch",
            lambda s: near(s, 15),
            "15 is for four times the batch; 8 is twice 4.",
            15,
        ),
        Mistake(
            "1/sqrt(B)",
            lambda s: near(s, 60 / math.sqrt(2)),
            "the noise per step goes like lr/B; with lr scaled too, the steps fall like 1/B, "
            "not 1/sqrt(B).",
            60 / math.sqrt(2),
        ),
        Mistake(
            "more steps",
            lambda s: float(s) > 60,
            "a bigger batch never needs more steps for the same target: its gradient is "
            "less noisy.",
            120,
        ),
    ),
    form=finite_number_form,
)
