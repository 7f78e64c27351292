"""The course's colours and figure style, shared by every plot.

Colours are from Paul Tol's colour-blind-safe "bright" scheme: the two classes are blue and
red-purple (told apart under every common colour-vision deficiency), minibatches take the
remaining colours, the full-batch landscape is drawn in black.
"""

from __future__ import annotations

CLASS_COLOURS = ("#4477AA", "#EE6677")  # class 0, class 1
BATCH_COLOURS = ("#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB", "#4477AA", "#EE6677")
FULL_BATCH_COLOUR = "#000000"
LOSS_CMAP = "viridis"

W1_LABEL = "weight $w_1$"
W2_LABEL = "weight $w_2$"
X1_LABEL = "feature $x_1$"
X2_LABEL = "feature $x_2$"
LOSS_LABEL = "cross-entropy loss"
