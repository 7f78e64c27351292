"""One mechanism behind every slider figure: sliders, an update function, a PNG image."""

from __future__ import annotations

import base64
import io
import os
import re
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

import ipywidgets as widgets
import numpy as np
from matplotlib.animation import HTMLWriter
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


# The animation's control icons come from a CDN; plain characters need nothing.
_ICONS = {
    "fa fa-minus": "&minus;",
    "fa fa-plus": "+",
    "fa fa-fast-backward": "&#x21E4;",
    "fa fa-step-backward": "&#x25C1;",
    "fa fa-play fa-flip-horizontal": "&#x25C0;",
    "fa fa-pause": "||",
    "fa fa-play": "&#x25B6;",
    "fa fa-step-forward": "&#x25B7;",
    "fa fa-fast-forward": "&#x21E5;",
}


def _offline(html: str) -> str:
    """``to_jshtml`` output without its one outside request (the Font Awesome stylesheet)."""
    html = re.sub(r'<link rel="stylesheet"\s+href="https?://[^"]*font-awesome[^"]*">', "", html)
    for icon, text in _ICONS.items():
        html = html.replace(f'<i class="{icon}"></i>', text)
    return html


def slider_values(slider) -> list:
    """Every value a slider can take, in order (what a static animation steps through)."""
    if hasattr(slider, "options") and slider.options:
        return [v[1] if isinstance(v, tuple) else v for v in slider.options]
    count = int(round((slider.max - slider.min) / slider.step)) + 1
    values = slider.min + slider.step * np.arange(count)
    return [int(v) for v in values] if isinstance(slider.value, int) else [float(v) for v in values]


def static_mode() -> bool:
    """True while the static site is built (``COURSE_STATIC=1``): sliders become animations."""
    return os.environ.get("COURSE_STATIC", "") not in ("", "0")


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

    def __init__(
        self,
        fig: Figure,
        sliders: Mapping[str, widgets.ValueWidget],
        update: Callable,
        static_slider: str | None = None,
    ):
        self.figure = fig
        self.static_slider = static_slider or next(iter(sliders))
        self.sliders = dict(sliders)
        self._update = update
        self._background = None
        self._changing = None
        # Shown at its own size (a stretched PNG blurs its text), never wider than the page.
        self.image = widgets.Image(
            format="png", layout=widgets.Layout(align_self="flex-start", max_width="100%")
        )
        for slider in self.sliders.values():
            slider.style.description_width = "initial"  # "learning rate", not "learning r…"
        super().__init__([widgets.HBox(list(self.sliders.values())), self.image])
        for slider in self.sliders.values():
            slider.observe(self._on_change, names="value")
        self.redraw()
        if self._changing is not None:
            # Blitting: the layout is solved once (re-solving it at every move would double
            # the cost of a redraw) and stays fixed, as the cached background needs.
            fig.set_layout_engine("none")

    def animation_html(self, slider: str | None = None, fps: float = 2.0) -> str:
        """A self-contained, offline HTML animation stepping one slider through its values.

        Each frame is drawn by the same ``update`` as the live widget; the other sliders keep
        their values, and the figure is left as it was.
        """
        name = slider or self.static_slider
        values = slider_values(self.sliders[name])
        for artist in self._changing or []:
            artist.set_animated(False)  # a full draw skips animated artists
        try:
            # What FuncAnimation.to_jshtml does, without the timers a live animation needs.
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "animation.html"
                writer = HTMLWriter(fps=fps, embed_frames=True, default_mode="once")
                with writer.saving(self.figure, path, dpi=self.figure.dpi):
                    for value in values:
                        self._update(**{**self.values, name: value})
                        writer.grab_frame()
                html = path.read_text()
        finally:
            for artist in self._changing or []:
                artist.set_animated(True)
            self._background = None  # re-cache the background at the next redraw
            self.redraw()
        label = self.sliders[name].description
        caption = (
            f"<p><em>Animation over the <b>{label}</b> slider ({len(values)} values).</em></p>"
        )
        return f'<div class="slider-animation">{caption}{_offline(html)}</div>'

    def _repr_mimebundle_(self, **kwargs):
        if static_mode():
            return {
                "text/plain": f"Animation over the {self.sliders[self.static_slider].description}",
                "text/html": self.animation_html(),
            }
        # The widget view, plus what a front end without a widget manager shows instead (RISE,
        # GitHub, nbviewer): the current figure and one line, not the widget's long repr.
        # Front ends with ipywidgets render the view and ignore both.
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = self._summary()
        bundle["image/png"] = base64.b64encode(bytes(self.image.value)).decode("ascii")
        return bundle

    def _summary(self) -> str:
        names = [slider.description for slider in self.sliders.values()]
        if len(names) == 1:
            return f"{names[0]} slider — run the notebook to move it"
        listed = ", ".join(names[:-1]) + f" and {names[-1]}"
        return f"{listed} sliders — run the notebook to move them"

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
