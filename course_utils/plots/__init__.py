"""Figures of the course. Each function takes an optional ``ax`` and returns what it drew.

One palette for every figure (:mod:`course_utils.plots.style`): colour-blind safe, the same
colour for a class or a minibatch wherever it appears.
"""

from .data import decision_boundary, loss_vs_margin, probability_map, scatter_classes
from .style import BATCH_COLOURS, CLASS_COLOURS, FULL_BATCH_COLOUR, course_style
