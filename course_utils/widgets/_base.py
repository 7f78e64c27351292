"""One mechanism behind every slider figure: sliders, an update function, a PNG image."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping

import ipywidgets as widgets
from matplotlib.figure import Figure


def figure_png(fig: Figure) -> bytes:
    """The figure rendered by Agg as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi, metadata={"Software": None})
    return buffer.getvalue()


class SliderFigure(widgets.VBox):
    """Sliders above a figure; moving a slider updates the figure's artists and re-renders it.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        Made with ``Figure(...)``, not pyplot, so the notebook does not show it a second time.
    sliders : mapping of keyword name -> ipywidgets slider
        The slider's ``description`` is what the student reads (``batch size``); the key is the
        keyword passed to ``update`` (``batch_size``).
    update : callable
        ``update(**values)`` changes the artists of ``fig`` for the sliders' current values.
    """

    def __init__(self, fig: Figure, sliders: Mapping[str, widgets.ValueWidget], update: Callable):
        self.figure = fig
        self.sliders = dict(sliders)
        self._update = update
        self.image = widgets.Image(format="png")
        super().__init__([widgets.HBox(list(self.sliders.values())), self.image])
        for slider in self.sliders.values():
            slider.observe(self._on_change, names="value")
        self.redraw()

    @property
    def values(self) -> dict:
        """The sliders' current values, by keyword name."""
        return {name: slider.value for name, slider in self.sliders.items()}

    def redraw(self, **overrides) -> None:
        """Update the figure for the current slider values (or ``overrides``) and re-render."""
        self._update(**{**self.values, **overrides})
        self.image.value = figure_png(self.figure)

    def _on_change(self, _change) -> None:
        self.redraw()
