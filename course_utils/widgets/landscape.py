"""Notebook 04: sliders for distance and sigma reshaping the full-batch landscape."""

from __future__ import annotations

import contourpy
import ipywidgets as widgets
import matplotlib as mpl
import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.ticker import FixedLocator, NullLocator
from matplotlib.transforms import Bbox, TransformedBbox

from .._docs import shared_parameters
from ..data import bayes_optimal_weights, make_two_gaussians
from ..landscape import grid_window, loss_landscape
from ..optimum import find_minimum
from ..plots.common import extent, inside_limits, legend_in_view, log_ticks, loss_norm
from ..plots.landscape import mark_weights
from ..plots.style import LOSS_CMAP, LOSS_LABEL, W1_LABEL, W2_LABEL
from ._base import SliderFigure
from .common import corner_note

_GRID = 61
_CONTOUR_LEVELS = 10


class _GridImage(AxesImage):
    """An RGBA grid shown with nearest-neighbour pixels: Matplotlib's picture, made faster.

    Matplotlib resamples the grid to the screen at every draw (several passes over the
    output in floating point). For a grid of fixed size in a fixed place, which output
    pixel shows which grid cell never changes: it is worked out once, by letting Matplotlib
    draw a grid of cell indices, and every later draw only gathers the cells' colours. The
    pixels are the same as Matplotlib's own.
    """

    def __init__(self, ax, **kwargs):
        super().__init__(ax, interpolation="nearest", **kwargs)
        self._cells = None  # (layout, rows, columns, left, bottom, transform)

    def make_image(self, renderer, magnification=1.0, unsampled=False):
        rgba = self.get_array()
        if unsampled or rgba.dtype != np.uint8 or rgba.ndim != 3 or max(rgba.shape[:2]) > 256:
            return super().make_image(renderer, magnification, unsampled)
        box = TransformedBbox(Bbox.from_extents(*np.take(self.get_extent(), [0, 2, 1, 3])),
                              self.get_transform())  # fmt: skip
        clip = (self.get_clip_box() or self.axes.bbox) if self.get_clip_on() else None
        layout = (rgba.shape[:2], box.bounds, clip and clip.bounds, magnification, self.origin)
        if self._cells is None or self._cells[0] != layout:
            self._cells = (layout, *self._probe(renderer, magnification, rgba.shape[:2]))
        _layout, rows, columns, left, bottom, transform = self._cells
        if rows is None:  # not a plain grid of pixels (a rotated transform): Matplotlib's way
            return super().make_image(renderer, magnification, unsampled)
        # One 32-bit word per pixel: a gather of words, not of bytes.
        words = np.ascontiguousarray(rgba).view(np.uint32)[..., 0]
        pixels = words.take(rows, axis=0).take(columns, axis=1)
        return pixels.view(np.uint8).reshape(*pixels.shape, 4), left, bottom, transform

    def _probe(self, renderer, magnification, shape):
        """Which grid row and column each output pixel shows (None, None: not separable)."""
        probe = AxesImage(self.axes, interpolation="nearest", origin=self.origin,
                          extent=self.get_extent())  # fmt: skip
        probe.set_transform(self.get_transform())
        probe.set_clip_on(self.get_clip_on())
        probe.set_clip_box(self.get_clip_box())
        cells = np.zeros((*shape, 4), np.uint8)
        cells[..., 0] = np.arange(shape[0])[:, None]
        cells[..., 1] = np.arange(shape[1])[None, :]
        cells[..., 3] = 255
        probe.set_data(cells)
        image, left, bottom, transform = probe.make_image(renderer, magnification)
        if image is None:
            return None, None, left, bottom, transform
        rows, columns = image[:, 0, 0].astype(np.intp), image[0, :, 1].astype(np.intp)
        plain = (
            (image[..., 3] == 255).all()
            and (image[..., 0] == rows[:, None]).all()
            and (image[..., 1] == columns[None, :]).all()
        )
        return (rows, columns, left, bottom, transform) if plain else (None,) * 5


_SCRATCH = {}  # the transparent canvas pictures are drawn on, and its size


class _Pictured(Artist):
    """Draws other artists from a picture of them, made once for each look they take.

    Some parts of a slider figure take one of a few looks again and again: the legend
    (what it lists), the axes' ticks (one set for each window). Drawing them is most of the
    cost of a move; laying a picture of them over the figure costs almost nothing. The
    picture is drawn on a transparent canvas of the figure's size and cropped to what is
    drawn: the same pixels as drawing the artists in place. ``key()`` names the look; a
    few pictures are kept, the oldest dropped first.

    Mark the artists animated (``set_animated(True)``), so that a figure's draw leaves them
    to this artist. A saved figure (``savefig``) draws animated artists itself: this artist
    then draws nothing.

    Parameters
    ----------
    artists : callable returning a list of artists (None entries are skipped)
    key : callable returning a hashable value, the same for the same look
    zorder : float
        Where the pictures go in the drawing order.
    """

    def __init__(self, artists, key, zorder, keep=6):
        super().__init__()
        self._artists, self._key, self._keep = artists, key, keep
        self._pictures = {}  # key -> (image, left, bottom)
        self.set_zorder(zorder)

    def draw(self, renderer):
        if not self.get_visible() or self.get_figure(root=True).canvas.is_saving():
            return
        artists = [artist for artist in self._artists() if artist is not None]
        if not artists:
            return
        if not isinstance(renderer, RendererAgg):
            for artist in artists:
                artist.draw(renderer)
            return
        key = (self._key(), renderer.width, renderer.height, renderer.dpi)
        if key not in self._pictures:
            if len(self._pictures) >= self._keep:
                self._pictures.pop(next(iter(self._pictures)))
            self._pictures[key] = self._picture(artists, renderer)
        image, left, bottom = self._pictures[key]
        if image.size:
            gc = renderer.new_gc()
            renderer.draw_image(gc, left, bottom, image)
            gc.restore()

    @staticmethod
    def _picture(artists, renderer):
        width, height = int(renderer.width), int(renderer.height)
        # One transparent canvas for every picture: a renderer keeps its text layouts and
        # parsed math (a new one would parse "$w_1$" again, ~10 ms).
        key = (width, height, renderer.dpi)
        if _SCRATCH.get("key") != key:
            _SCRATCH.update(key=key, canvas=RendererAgg(width, height, renderer.dpi))
        canvas = _SCRATCH["canvas"]
        canvas.clear()
        for artist in artists:
            artist.draw(canvas)
        pixels = np.asarray(canvas.buffer_rgba())
        drawn = pixels[..., 3] > 0
        rows, columns = np.flatnonzero(drawn.any(axis=1)), np.flatnonzero(drawn.any(axis=0))
        if not rows.size:
            return np.zeros((0, 0, 4), np.uint8), 0, 0
        top, bottom = rows[0], rows[-1] + 1
        # Rows from the bottom up, as draw_image takes them.
        image = pixels[top:bottom, columns[0] : columns[-1] + 1][::-1].copy()
        return image, int(columns[0]), height - int(bottom)


class _TicksOnly(Artist):
    """Draws an axis's ticks and tick labels without its label (drawn with the still parts).

    Mark the axis animated, so that a figure's draw leaves it to this artist; a saved figure
    draws the whole axis itself, and this artist then draws nothing.
    """

    def __init__(self, axis):
        super().__init__()
        self._axis = axis
        self.set_zorder(axis.get_zorder())

    def draw(self, renderer):
        if not self.get_visible() or self.get_figure(root=True).canvas.is_saving():
            return
        label = self._axis.label
        shown = label.get_visible()
        label.set_visible(False)
        try:
            self._axis.draw(renderer)
        finally:
            label.set_visible(shown)


def _position(distance, sigma, n_per_class, seed):
    """Everything a slider position shows that does not depend on the drawing."""
    data = make_two_gaussians(distance, sigma, n_per_class, n_per_class, seed=seed)
    minimum = find_minimum(data.X, data.y)  # once per position
    w1, w2 = grid_window(data.X, data.y, _GRID, minimum=minimum)
    surface = loss_landscape(data.X, data.y, w1, w2)
    norm = loss_norm(surface)
    # The colours once, on the 61 x 61 grid: the image then only scales them up.
    rgba = mpl.colormaps[LOSS_CMAP](norm(surface), bytes=True)
    lines = contourpy.contour_generator(w1, w2, surface, name="mpl2014", line_type="SeparateCode")
    levels = np.geomspace(norm.vmin, norm.vmax, _CONTOUR_LEVELS)
    segments = [points for level in levels for points in lines.lines(level)[0]]
    half = float(w1[-1])  # the window is square around the origin (grid_window)
    step = next(s for s in (0.5, 1, 2, 4, 5, 10, 20, 50) if half / s <= 3.5)
    return {
        "minimum": minimum,
        "ticks": step * np.arange(-(half // step), half // step + 1),  # 3 to 7 round values
        "limits": extent(w1, w2),
        "rgba": rgba,
        "norm": norm,
        "bar_ticks": log_ticks(norm.vmin, norm.vmax),
        "segments": segments,
        "w_star": bayes_optimal_weights(distance, sigma),
    }


@shared_parameters
def landscape_explorer(distance=5.0, sigma=1.0, n_per_class=200, seed=0) -> SliderFigure:
    """Sliders ``distance`` and ``sigma`` over the full-batch landscape of fresh data.

    The window follows the minimum (as :func:`course_utils.grid_window`); the refined minimum
    and ``w*`` are marked, visible wherever they land; the legend lists only what is inside
    the window, and a note says where ``w*`` is when it is outside; the title says when the
    data are separable (no minimum).

    Each slider position is computed once (data, minimum, landscape, its colours and contour
    lines) and kept, so returning to it costs only the drawing. The layout is fixed and the
    colour bar's strip is the same at every position (the whole colour map; only its tick
    values change), so a move redraws the map, the markers, the texts and the ticks over a
    cached picture of the rest.

    Parameters
    ----------
    n_per_class : int >= 1
        Points of each class.

    Returns
    -------
    SliderFigure
        Sliders ``distance`` and ``sigma``.
    """
    sliders = {
        "distance": widgets.FloatSlider(
            value=distance,
            min=1.0,
            max=8.0,
            step=1.0,
            description="distance",
            continuous_update=False,
        ),
        "sigma": widgets.FloatSlider(
            value=sigma, min=0.5, max=2.5, step=0.25, description="sigma", continuous_update=False
        ),
    }
    cache = {}

    def solved(distance, sigma):
        key = (round(float(distance), 6), round(float(sigma), 6))
        if key not in cache:
            cache[key] = _position(distance, sigma, n_per_class, seed)
        return cache[key]

    # A fixed layout with room for the widest tick labels ("-10", "-0.5") and the colour
    # bar's labels: nothing is cut at any slider position, and no layout is solved at a move.
    fig = Figure(figsize=(6.5, 5.5), layout="none")
    ax = fig.add_axes((0.13, 0.1, 0.64, 0.8))
    cax = fig.add_axes((0.8, 0.1, 0.035, 0.8), label="<colorbar>")
    first = solved(distance, sigma)
    image = _GridImage(ax, origin="lower", extent=first["limits"])
    image.set_data(first["rgba"])
    ax.add_image(image)
    ax.set_aspect("equal")
    contours = LineCollection(first["segments"], colors="white", linewidths=0.6, alpha=0.7)
    ax.add_collection(contours, autolim=False)
    ax.set_xlabel(W1_LABEL)
    ax.set_ylabel(W2_LABEL)
    # In place whatever the tick labels' widths (and not placed anew at every draw).
    ax.xaxis.set_label_coords(0.5, -0.08)
    ax.yaxis.set_label_coords(-0.125, 0.5)

    # The colour bar: the whole colour map from bottom to top on a log axis from the
    # landscape's minimum to its maximum, as Matplotlib's for a LogNorm. The strip never
    # changes; a move sets the axis limits and ticks.
    cax.imshow(
        np.linspace(0, 1, 256)[:, None], cmap=LOSS_CMAP, origin="lower", aspect="auto",
        extent=(0, 1, 0, 1), transform=cax.transAxes, interpolation="nearest",
    )  # fmt: skip
    cax.set_yscale("log")
    cax.set_autoscale_on(False)
    cax.xaxis.set_major_locator(NullLocator())
    cax.yaxis.tick_right()
    cax.yaxis.set_label_position("right")
    cax.yaxis.set_minor_locator(NullLocator())
    cax.yaxis.set_major_formatter(lambda x, _pos: f"{x:.3g}")
    cax.set_ylabel(f"{LOSS_LABEL} (log scale)")
    # The label stays in one place, clear of the widest tick labels ("1e-11"), and is drawn
    # with the still parts; a move redraws the bar's ticks only.
    cax.yaxis.set_label_coords(3.85, 0.5)
    bar_ticks = _TicksOnly(cax.yaxis)
    cax.add_artist(bar_ticks)
    cax.add_artist(_Pictured(lambda: [cax.yaxis.label], lambda: cax.get_ylabel(), zorder=1.5))
    cax.yaxis.set_animated(True)  # drawn by these two

    star, ring = mark_weights(
        {"refined minimum": np.zeros(2), "Bayes-optimal $w^*$": np.zeros(2)}, ax=ax, legend=False
    )
    note = corner_note(ax)
    legend = _Pictured(
        lambda: [ax.get_legend()],
        lambda: tuple(text.get_text() for text in ax.get_legend().get_texts()),
        zorder=5,  # a legend's own
    )
    # The ticks and tick labels of each window (its limits and tick values).
    xticks, yticks = (
        _Pictured(lambda axis=axis: [axis], lambda axis=axis: (axis.get_view_interval().tobytes(),
                  axis.get_majorticklocs().tobytes()), zorder=axis.get_zorder())
        for axis in (ax.xaxis, ax.yaxis)
    )  # fmt: skip
    for artist in (legend, xticks, yticks):
        ax.add_artist(artist)
    ax.xaxis.set_animated(True)  # drawn by xticks and yticks
    ax.yaxis.set_animated(True)
    listed = [None]  # what the legend lists now

    def update(distance, sigma):
        position = solved(distance, sigma)
        minimum, limits, w_star = position["minimum"], position["limits"], position["w_star"]
        image.set_data(position["rgba"])
        image.set_extent(limits)
        contours.set_segments(position["segments"])
        ax.set_xlim(*limits[:2])
        ax.set_ylim(*limits[2:])
        ax.xaxis.set_major_locator(FixedLocator(position["ticks"]))
        ax.yaxis.set_major_locator(FixedLocator(position["ticks"]))
        norm = position["norm"]
        cax.set_ylim(norm.vmin, norm.vmax)
        cax.yaxis.set_major_locator(FixedLocator(position["bar_ticks"]))
        star.set_offsets([minimum.w] if not minimum.separable else np.empty((0, 2)))
        ring.set_offsets([w_star])
        outside = not inside_limits(ax, w_star)
        note.set_text(
            f"$w^*$ = ({w_star[0]:.1f}, {w_star[1]:.1f}) is outside the window" if outside else ""
        )
        note.set_visible(outside)
        in_view = (not minimum.separable and inside_limits(ax, minimum.w), not outside)
        if in_view != listed[0]:  # rebuilt only when what it lists changes
            shown = legend_in_view(ax, loc="upper right", framealpha=0.85)
            if shown is not None:
                shown.set_animated(True)  # drawn by ``legend``
            listed[0] = in_view
        found = (
            "separable: no minimum"
            if minimum.separable
            else f"minimum ({minimum.w[0]:.2f}, {minimum.w[1]:.2f})"
        )
        ax.set_title(f"distance {distance:.0f}, sigma {sigma:.2f}: {found}")
        # Everything else (frames, axis labels, the colour strip) stays as it is.
        return [image, contours, xticks, yticks, bar_ticks, ax.title, legend, star,
                ring, note]  # fmt: skip

    return SliderFigure(fig, sliders, update)
