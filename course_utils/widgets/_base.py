"""One mechanism behind every slider figure: sliders, an update function, a PNG image."""

from __future__ import annotations

import asyncio
import base64
import html
import io
import json
import math
import os
import re
import weakref
from collections import OrderedDict
from collections.abc import Callable, Mapping

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from PIL import Image

from ._canvas import SliderCanvasAgg, canvas_png


def figure_png(fig: Figure) -> bytes:
    """Return the figure rendered by Agg as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi, metadata={"Software": None})
    return buffer.getvalue()


# The static player (``SliderFigure.animation_html``): one picture, one scrubber per slider.
# Plain HTML and a few lines of script, no library and no network; the picture scales down
# with the page (390-px phones) and sits beside the controls where there is room.
_PLAYER_CSS = (
    ".slider-animation{display:flex;flex-wrap:wrap;align-items:flex-start;gap:.4em 1.2em;"
    "margin:.4em 0}"
    ".slider-animation>img{display:block;max-width:100%;height:auto}"
    ".slider-animation-controls{flex:1 1 14em;max-width:26em;display:flex;flex-direction:column;"
    "gap:.35em;font-family:sans-serif;font-size:.95em}"
    ".slider-animation-row{display:flex;align-items:center;gap:.5em}"
    ".slider-animation-row label{flex:1 1 auto;display:flex;align-items:center;gap:.5em}"
    ".slider-animation-row label span{min-width:7.5em}"
    ".slider-animation-row input{flex:1 1 6em;min-width:5em}"
    ".slider-animation-row output{min-width:3.2em;font-variant-numeric:tabular-nums;"
    "font-weight:bold}"
    ".slider-animation-row button{min-width:2.2em}"
    ".slider-animation-note{margin:.2em 0 0;font-size:.85em;color:#555}"
)
_PLAYER_JS = """(function (root) {
  var data = JSON.parse(root.querySelector("script.slider-animation-data").textContent);
  var img = root.querySelector("img"), first = img.src, timer = null, playing = null;
  var rows = root.querySelectorAll(".slider-animation-row");
  function show(k, i) {
    rows.forEach(function (row, j) {
      var r = data.rows[j], at = j === k ? i : r.start;
      row.querySelector("input").value = at;
      row.querySelector("output").textContent = r.labels[at];
    });
    var f = data.rows[k].frames[i];
    var src = data.frames[f];  // base64, or the file the site build moved the frame to
    img.src = f === 0 ? first : src.slice(-4) === ".png" ? src : "data:image/png;base64," + src;
    img.alt = data.alts[f];
  }
  function stop() {
    if (timer) { clearInterval(timer); timer = null; }
    if (playing) {
      playing.textContent = "\u25b6";
      playing.setAttribute("aria-label", playing.dataset.play);
      playing = null;
    }
  }
  rows.forEach(function (row, k) {
    var input = row.querySelector("input"), button = row.querySelector("button");
    input.addEventListener("input", function () { stop(); show(k, +input.value); });
    button.addEventListener("click", function () {
      if (playing === button) { stop(); return; }
      stop();
      playing = button;
      button.textContent = "\u275a\u275a";
      button.setAttribute("aria-label", "pause");
      timer = setInterval(function () {
        input.value = (+input.value + 1) % (+input.max + 1);
        show(k, +input.value);
      }, INTERVAL_MS);
    });
  });
})(document.currentScript.parentElement);"""


def palette_png(picture: bytes | Image.Image) -> bytes:
    """Return a picture for the static site as a palette PNG, lossless when it has <= 256 colours.

    Richer pictures (colour maps, antialiased curves) are reduced to an adaptive 256-colour
    palette without dithering: about a third of the bytes of full-colour PNG, and no visible
    change at the picture's own size.
    """
    if isinstance(picture, bytes):
        picture = Image.open(io.BytesIO(picture))
    image = picture.convert("RGB")
    if image.getcolors(256) is not None:
        image = image.convert("P", palette=Image.Palette.ADAPTIVE, colors=256)
    else:
        image = image.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    # optimize=True would spend ~50 % more CPU (30 ms for 05's picture) to save ~3 % of bytes.
    image.save(buffer, format="png")
    return buffer.getvalue()


def figure_alt_text(fig: Figure) -> str:
    """Alt text for a frame: what the figure shows, from its titles and axis labels."""

    def plain(text: str) -> str:
        return re.sub(r"\$([^$]*)\$", lambda m: re.sub(r"[\\{}^_]|mathrm|text", "", m[1]), text)

    parts = []
    if fig._suptitle is not None and fig._suptitle.get_text().strip():
        parts.append(plain(fig._suptitle.get_text().strip()))
    for ax in fig.axes:
        if not ax.get_visible() or ax.get_label() == "<colorbar>":
            continue
        title = plain(ax.get_title().strip())
        axes = " against ".join(
            plain(label) for label in (ax.get_ylabel(), ax.get_xlabel()) if label.strip()
        )
        panel = "; ".join(part for part in (title, axes) if part)
        if panel:
            parts.append(panel)
    return "Figure: " + (". ".join(parts) if parts else "a plot") + "."


def _strided(count: int, at: int, cap: int) -> list[int]:
    """Return indices of at most about ``cap`` of ``count`` values: equal strides through ``at``."""
    stride = -(-count // cap)  # ceil
    return sorted({0, count - 1, *range(at % stride, count, stride)})


def _value_label(slider, value) -> str:
    if hasattr(slider, "options") and slider.options:
        for option in slider.options:
            label, option_value = option if isinstance(option, tuple) else (str(option), option)
            if option_value == value:
                return str(label)
    return format(value, getattr(slider, "readout_format", "") or "")


def _kernel_loop() -> asyncio.AbstractEventLoop | None:
    """Return the running event loop of the Jupyter kernel this runs in (None outside one).

    A kernel's loop waits for the front end's messages between cells; a script, a test or a
    library with a loop of its own (Playwright's) is not a kernel.
    """
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return None
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _cells_run() -> int:
    """Return how many cells the kernel has run (IPython's execution count; 0 outside it)."""
    from IPython import get_ipython

    return getattr(get_ipython(), "execution_count", 0)


def _index_of(values: list, value) -> int:
    """Return the index of ``value`` in ``values``: the nearest number, or the same option."""
    if isinstance(value, int | float):
        return int(np.argmin([abs(v - value) for v in values]))
    return values.index(value)


def _frame_key(values: Mapping) -> tuple:
    """Return the picture cache's key for slider values (floats rounded: 0.1 + 0.2 is 0.3 here)."""
    return tuple((k, round(v, 9) if isinstance(v, float) else v) for k, v in values.items())


def slider_values(slider) -> list:
    """Every value a slider can take, in order (what a static animation steps through)."""
    if hasattr(slider, "options") and slider.options:
        return [v[1] if isinstance(v, tuple) else v for v in slider.options]
    count = int(round((slider.max - slider.min) / slider.step)) + 1
    values = slider.min + slider.step * np.arange(count)
    return [int(v) for v in values] if isinstance(slider.value, int) else [float(v) for v in values]


# The newest slider figure of each kind (the function that built it, named by its ``update``):
# building another closes it. Re-running a slider cell then does not pile up figures, although
# IPython's ``Out[n]`` keeps each closed shell.
_NEWEST: dict[str, weakref.ref] = {}
# The rendered pictures a slider figure keeps, by slider values: returning to a value costs no
# drawing. Bounded in bytes, oldest first out.
_FRAME_CACHE_BYTES = 2 * 2**20  # 05: all 15 batch sizes; at most +10 MiB a kernel
# After a move, the pictures one step away on each slider are drawn while the kernel waits:
# the first after this delay (the kernel sends its reply first), then one per turn of its
# event loop, so that a new move waits for one picture at most.
_DRAW_AHEAD_DELAY_S = 0.03
# When the figure is shown, once no cell has run for this long, twice in a row: while cells
# go on running (Run All, nbval) the pictures would only hold them up.
_SHOWN_QUIET_S = 0.25


def static_mode() -> bool:
    """Return True while the static site is built (``COURSE_STATIC=1``): sliders animate."""
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
    ):
        self._figure = fig
        self.sliders = dict(sliders)
        self._update = update
        self._background = None
        self._stale = None  # (artists, region) to draw again over the background
        self._changing = None
        self._frames: OrderedDict[tuple, bytes] = OrderedDict()
        self._drawn = None  # the values the figure's artists show (None: up to date)
        kind = f"{update.__module__}.{update.__qualname__}"
        previous = _NEWEST.get(kind)
        if previous is not None and previous() is not None:
            previous().close()
        _NEWEST[kind] = weakref.ref(self)
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

    def animation_html(self, fps: float = 2.0, max_frames: int = 24) -> str:
        """Return a self-contained, offline HTML player of the figure: one scrubber per slider.

        Each slider's scrubber steps through the values of that slider while the others hold
        their current values (the notebook's defaults when the cell runs); the player opens
        on the current values and shows each slider's name and value beside its scrubber.
        A slider with more than ``max_frames / len(sliders)`` values (at least 6) steps in
        equal strides through its current value, plus both ends, which keeps the page light.
        Frames are the live widget's own pictures, drawn as a slider move draws them
        (identical frames stored once), and each carries alt text from the figure's titles;
        the figure is left as it was.
        """
        cap = max(6, max_frames // len(self.sliders))
        start = self.values
        frames: list[bytes] = []
        alts: list[str] = []
        seen: dict[bytes, int] = {}

        def frame(values) -> int:
            png = palette_png(self._picture(values))
            if png not in seen:
                seen[png] = len(frames)
                frames.append(png)
                alts.append(figure_alt_text(self.figure))
            return seen[png]

        try:
            frame(start)  # frame 0: the picture the page opens on
            rows = []
            for name, slider in self.sliders.items():
                values = slider_values(slider)
                at = _index_of(values, start[name])
                kept = _strided(len(values), at, cap)
                values, at = [values[k] for k in kept], kept.index(at)
                rows.append(
                    {
                        "name": slider.description,
                        "labels": [_value_label(slider, v) for v in values],
                        "frames": [
                            0 if k == at else frame({**start, name: v})
                            for k, v in enumerate(values)
                        ],
                        "start": at,
                    }
                )
        finally:
            self.redraw()
        data = {
            "frames": [""] + [base64.b64encode(png).decode("ascii") for png in frames[1:]],
            "alts": alts,
            "rows": [{key: row[key] for key in ("labels", "frames", "start")} for row in rows],
        }
        width, height = Image.open(io.BytesIO(frames[0])).size
        controls = "".join(
            '<div class="slider-animation-row">'
            f"<label><span>{html.escape(row['name'])}</span>"
            f'<input type="range" min="0" max="{len(row["labels"]) - 1}" step="1" '
            f'value="{row["start"]}" aria-label="{html.escape(row["name"])}"></label>'
            f"<output>{html.escape(row['labels'][row['start']])}</output>"
            f'<button type="button" aria-label="play {html.escape(row["name"])}" '
            f'data-play="play {html.escape(row["name"])}">&#x25B6;</button></div>'
            for row in rows
        )
        note = (
            "Drag a slider or press &#x25B6;: the picture follows; the other sliders stay at "
            "the values shown."
            if len(rows) > 1
            else "Drag the slider or press &#x25B6;: the picture follows."
        )
        # "</" never occurs in base64 or in the escaped alt texts: the JSON cannot end the tag.
        payload = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
        return (
            f'<figure class="slider-animation"><style>{_PLAYER_CSS}</style>'
            f'<img src="data:image/png;base64,{base64.b64encode(frames[0]).decode("ascii")}" '
            f'width="{width}" height="{height}" alt="{html.escape(alts[0])}">'
            f'<div class="slider-animation-controls">{controls}'
            f'<p class="slider-animation-note">{note}</p></div>'
            f'<script type="application/json" class="slider-animation-data">{payload}</script>'
            f"<script>{_PLAYER_JS.replace('INTERVAL_MS', str(round(1000 / fps)))}</script></figure>"
        )

    def _repr_mimebundle_(self, **kwargs):
        if static_mode():
            return {"text/plain": self._summary(), "text/html": self.animation_html()}
        # The widget view, plus what a front end without a widget manager shows instead (RISE,
        # GitHub, nbviewer): the current figure and one line, not the widget's long repr.
        # Front ends with ipywidgets render the view and ignore both. The picture is stored in
        # the notebook: a palette PNG, a third of the bytes of the widget's fast-encoded one.
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = self._summary()
        bundle["image/png"] = base64.b64encode(palette_png(bytes(self.image.value))).decode("ascii")
        self._draw_ahead(quiet=_SHOWN_QUIET_S)  # the first step on a slider is drawn already
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

    def invalidate_background(self, *artists, region=None) -> None:
        """Forget the cached background: the next redraw renders the still parts again.

        Call it from an update that changes what is not returned as changing (axis limits,
        ticks, a title).

        Parameters
        ----------
        *artists : matplotlib artists, optional
            What changed (an Axes whose limits moved). With ``region``, only these are drawn
            again, over the cached background, once ``region`` is cleared to the figure's
            colour: cheaper than rendering the whole figure (its legend, labels and other
            axes), and the same picture when every still artist drawn in ``region`` is
            among ``artists`` or inside one of them.
        region : matplotlib.transforms.Bbox, optional
            In display pixels: where ``artists`` draw, before and after the change.
        """
        opaque = self._figure is not None and self._figure.get_facecolor()[3] == 1
        if self._background is None or not artists or region is None or not opaque:
            self._background = None
            self._stale = None
        elif self._stale is None:
            self._stale = (list(artists), region)
        else:  # a second partial change before a redraw: everything
            self._background = None
            self._stale = None

    @property
    def figure(self) -> Figure | None:
        """The figure, its artists showing the sliders' values (None once closed)."""
        if self._drawn is not None:  # the picture came from the cache: bring the artists along
            drawn, self._drawn = self._drawn, None
            self._update(**drawn)
        return self._figure

    def close(self) -> None:
        """Close the widget and its sliders and picture, and let go of the figure.

        What is left (IPython's ``Out[n]`` keeps it) is an empty shell: no figure, no
        cached background or pictures, no update function.
        """
        if getattr(self, "_update", None) is not None:  # once (``__del__`` closes too)
            for slider in self.sliders.values():
                slider.unobserve(self._on_change, names="value")
                slider.close()
            for child in (*self.children, self.image):
                child.close()
            for artist in self._changing or []:
                artist.set_animated(False)
            # The renderer's pixel buffer is freed at once, not at the next garbage collection
            # that breaks the figure's reference cycles (a later draw would make a new one).
            canvas = self._figure.canvas
            canvas.__dict__.pop("renderer", None)
            canvas._lastKey = None
            self._figure = self._update = self._background = self._changing = self._drawn = None
            self._frames.clear()
            self.image.value = b""  # closed: the picture is no longer sent anywhere
        super().close()

    def redraw(self, **overrides) -> None:
        """Update the figure for the current slider values (or ``overrides``) and re-render.

        A picture already rendered for these values is shown again as it was, without
        drawing (the figure's artists catch up when :attr:`figure` is next read).
        """
        self.image.value = self._picture({**self.values, **overrides})

    def _picture(self, values: dict) -> bytes:
        """Return the PNG for slider ``values``: kept from before, or drawn now (and kept)."""
        key = _frame_key(values)
        if key in self._frames:
            self._frames.move_to_end(key)
            self._drawn = values
            return self._frames[key]
        self._drawn = None
        changing = self._update(**values)
        png = figure_png(self._figure) if changing is None else self._blit(list(changing))
        self._frames[key] = png
        while sum(map(len, self._frames.values())) > _FRAME_CACHE_BYTES and len(self._frames) > 1:
            self._frames.popitem(last=False)
        return png

    def _draw_ahead(self, quiet: float | None = None) -> None:
        """Draw the pictures one step away on each slider while the kernel is idle.

        Called after each move, and when the figure is shown with ``quiet`` (seconds): then
        the drawing waits until no cell has run for that long, twice in a row. A student
        stepping a slider (arrow keys, a click beside the handle) then gets a picture made
        ahead, the first step too: the move costs the round trip to the kernel, not the
        drawing. Only in a running kernel (its event loop draws them between messages),
        never in a script or a test; it stops as soon as a slider moves again.
        ``COURSE_DRAW_AHEAD=0`` in the kernel's environment turns it off: on a server shared
        by a class, the pictures drawn ahead would take the CPU other students' moves need.
        """
        loop = _kernel_loop()
        if loop is None or os.environ.get("COURSE_DRAW_AHEAD", "1") == "0":
            return
        shown = self.values
        pending = []
        for name, slider in self.sliders.items():
            options = slider_values(slider)
            at = _index_of(options, shown[name])
            for step in (1, -1):
                if 0 <= at + step < len(options):
                    neighbour = {**shown, name: options[at + step]}
                    if _frame_key(neighbour) not in self._frames:
                        pending.append(neighbour)

        def draw_next():
            if self._figure is None or self.values != shown or not pending:
                return
            self._picture(pending.pop(0))
            self._drawn = shown  # the artists show the neighbour: back to these when read
            loop.call_soon(draw_next)

        def when_quiet(ran):
            if self._figure is None:
                return
            if _cells_run() == ran:
                draw_next()
            else:  # a cell ran meanwhile (the one that showed the figure counts once)
                loop.call_later(quiet, when_quiet, _cells_run())

        if quiet is None:
            loop.call_later(_DRAW_AHEAD_DELAY_S, draw_next)
        else:
            loop.call_later(quiet, when_quiet, _cells_run())

    def _blit(self, changing: list) -> bytes:
        canvas = self.figure.canvas
        if not isinstance(canvas, SliderCanvasAgg):
            canvas = SliderCanvasAgg(self.figure)
        if self._background is None or changing != self._changing:
            for artist in changing:
                artist.set_animated(True)
            canvas.draw()  # everything that does not change, once
            self._background = canvas.copy_from_bbox(self.figure.bbox)
            self._changing = changing
        elif self._stale is not None:  # some still artists changed: only they are drawn
            artists, region = self._stale
            canvas.restore_region(self._background)
            pixels = np.asarray(canvas.buffer_rgba())
            height = pixels.shape[0]
            x0, x1 = max(math.floor(region.x0), 0), math.ceil(region.x1)
            y0, y1 = max(math.floor(height - region.y1), 0), math.ceil(height - region.y0)
            pixels[y0:y1, x0:x1] = np.round(np.multiply(self.figure.patch.get_facecolor(), 255))
            for artist in artists:
                self.figure.draw_artist(artist)
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        self._stale = None
        canvas.restore_region(self._background)
        for artist in sorted(changing, key=lambda a: a.get_zorder()):  # stable: list order
            if artist.get_visible():
                self.figure.draw_artist(artist)
        # A redrawn image would cover its axes' frame, which belongs on top.
        for axes in {a.axes for a in changing if isinstance(a, AxesImage)}:
            for spine in axes.spines.values():
                self.figure.draw_artist(spine)
        return canvas_png(canvas)

    def _on_change(self, _change) -> None:
        self.redraw()
        self._draw_ahead()
