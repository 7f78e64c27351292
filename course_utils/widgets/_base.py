"""One mechanism behind every slider figure: sliders, an update function, a PNG image."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from PIL import Image


def figure_png(fig: Figure) -> bytes:
    """The figure rendered by Agg as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi, metadata={"Software": None})
    return buffer.getvalue()


def _canvas_png(canvas: FigureCanvasAgg) -> bytes:
    buffer = io.BytesIO()
    Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).save(
        buffer, format="png", compress_level=1
    )
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
        If it returns the list of artists it changes, only those are redrawn over a cached
        picture of the rest (blitting); otherwise the whole figure is rendered again.
    """

    def __init__(self, fig: Figure, sliders: Mapping[str, widgets.ValueWidget], update: Callable):
        self.figure = fig
        self.sliders = dict(sliders)
        self._update = update
        self._background = None
        self._changing = None
        self.image = widgets.Image(format="png")
        super().__init__([widgets.HBox(list(self.sliders.values())), self.image])
        for slider in self.sliders.values():
            slider.observe(self._on_change, names="value")
        self.redraw()
        # The layout is solved once; re-solving it at every slider move would double the
        # cost of a redraw, and a fixed layout keeps the picture from jumping.
        fig.set_layout_engine("none")

    @property
    def values(self) -> dict:
        """The sliders' current values, by keyword name."""
        return {name: slider.value for name, slider in self.sliders.items()}

    def redraw(self, **overrides) -> None:
        """Update the figure for the current slider values (or ``overrides``) and re-render."""
        changing = self._update(**{**self.values, **overrides})
        if changing is None:
            self.image.value = figure_png(self.figure)
        else:
            self.image.value = self._blit(list(changing))

    def _blit(self, changing: list) -> bytes:
        canvas = FigureCanvasAgg(self.figure) if self._background is None else self.figure.canvas
        if self._background is None or changing != self._changing:
            for artist in changing:
                artist.set_animated(True)
            canvas.draw()  # everything that does not change, once
            self._background = canvas.copy_from_bbox(self.figure.bbox)
            self._changing = changing
        canvas.restore_region(self._background)
        for artist in sorted(changing, key=lambda a: a.get_zorder()):  # stable: list order
            if artist.get_visible():
                self.figure.draw_artist(artist)
        # A redrawn image would cover its axes' frame, which belongs on top.
        for axes in {a.axes for a in changing if isinstance(a, AxesImage)}:
            for spine in axes.spines.values():
                self.figure.draw_artist(spine)
        return _canvas_png(canvas)

    def _on_change(self, _change) -> None:
        self.redraw()
