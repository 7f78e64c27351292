"""Sliders for the notebooks. Each function returns an ipywidgets container.

Slider descriptions are plain words (``batch size``, ``w1``, ``sigma``). Each widget redraws
its figure by updating the artists it already has, so a slider move stays fast.
"""

from ._base import SliderFigure
from .common import batch_size_options
from .data import data_explorer
from .landscape import landscape_explorer
from .minibatch import batch_size_explorer
from .model import model_explorer
from .sgd import sgd_explorer
