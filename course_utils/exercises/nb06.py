"""Exercises of notebook 06 (SGD).

The noise ball under the linear scaling rule, and the steps it saves.
"""

import math

from ._framework import Exercise, Mistake, finite_number_form, near, near_value

# ---- 1. the learning rate that keeps the noise ball when B doubles --------------------------

q1 = Exercise(
    number=1,
    topic="the learning rate for twice the batch",
    variable="lr_at_16",
    is_correct=lambda lr: near(lr, 0.2),
    solution_code="lr_at_16 = 0.1 * 16 / 8  # keep lr / B: 0.2",
    explanation=(
        "both laws of the noise ball depend on lr and B only through lr / B: the radius is "
        "∝ sqrt(lr / B) for fresh batches and ∝ lr / B for epochs (B dividing N). Either way, "
        "doubling B from 8 to 16 needs lr 0.1 → 0.2: the linear scaling rule."
    ),
    hints=(
        "How does the size of the noise ball depend on the learning rate and the batch size?",
        "Both laws, sqrt(lr / B) and lr / B, depend on lr and B only through lr / B. Keep it "
        "constant.",
    ),
    mistakes=(
        near_value(
            0.1,
            "the same learning rate",
            "with the same learning rate, twice the batch halves lr / B: the noise ball shrinks.",
        ),
        near_value(
            0.1 * math.sqrt(2),
            "square-root scaling",
            "that is square-root scaling (keeping lr / sqrt(B)); the noise ball is set by "
            "lr / B, so scale the learning rate linearly.",
        ),
        near_value(
            0.05,
            "halved",
            "the other way round: a bigger batch is less noisy, so it can take a larger step.",
        ),
        near_value(
            0.4,
            "quadrupled",
            "too far: lr / B stays the same when lr doubles with B, not when it quadruples.",
        ),
        Mistake(
            "not positive",
            lambda lr: float(lr) <= 0,
            "a learning rate is positive.",
            -0.2,
        ),
    ),
    form=finite_number_form,
    target=0.2,
)

# ---- 2. the steps needed at twice the batch -------------------------------------------------

# "About how many steps": the 1/B law gives 45; a count within 10 % of it (41..49) is what
# "about" means for a number of noisy steps.
_ABOUT = 0.1

q2 = Exercise(
    number=2,
    topic="the steps at twice the batch",
    variable="steps_at_8",
    is_correct=lambda steps: near(steps, 45, rtol=_ABOUT),
    solution_code="steps_at_8 = 90 * 4 / 8  # 1/B regime: 45",
    explanation=(
        "far below the noise scale, each step with twice the batch (and twice the learning "
        "rate) does the work of two: the steps fall like 1/B, 90 → about 45 (any count "
        "from 41 to 49 is right)."
    ),
    hints=(
        "Below the noise scale, how does the number of steps depend on the batch size?",
        "Below the noise scale the steps fall like 1/B.",
    ),
    mistakes=(
        near_value(
            90,
            "unchanged: the regime above the noise scale",
            "90 steps would be the regime far above the noise scale; below it a bigger batch "
            "saves steps like 1/B.",
            rtol=_ABOUT,
        ),
        near_value(
            22.5,
            "a quarter: four times the batch",
            "22.5 is for four times the batch; 8 is twice 4.",
        ),
        near_value(
            90 / math.sqrt(2),
            "1/sqrt(B)",
            "the noise per step goes like lr/B; with lr scaled too, the steps fall like 1/B, "
            "not 1/sqrt(B).",
            rtol=0.05,
        ),
        Mistake(
            "more steps",
            lambda s: float(s) > 90,
            "a bigger batch never needs more steps for the same target: its gradient is "
            "less noisy.",
            180,
        ),
    ),
    form=finite_number_form,
)
