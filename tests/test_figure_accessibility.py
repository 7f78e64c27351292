"""Every figure says what it shows (labelled axes, a title) in the course's one palette."""

import colorsys

import matplotlib.colors as mcolors
import numpy as np
import pytest
from figure_cases import CASES
from matplotlib.cm import ScalarMappable
from matplotlib.collections import Collection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text

from course_utils.plots import style

PALETTE = {c.lower() for c in (*style.CLASS_COLOURS, *style.BATCH_COLOURS, style.FULL_BATCH_COLOUR)}
# Colour maps that stay readable under colour-vision deficiencies: perceptually uniform ones,
# and the red-blue diverging map that echoes the two class colours.
COLOUR_MAPS = {style.LOSS_CMAP, "magma", "cividis", "RdBu_r"}


def _plot_axes(fig):
    """The axes that show data (colour bars are checked separately)."""
    return [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]


def _colour_bars(fig):
    return [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_axes_are_labelled_and_titled(name):
    fig = CASES[name]()
    suptitle = fig.get_suptitle()
    assert _plot_axes(fig), f"{name}: no axes"
    for ax in _plot_axes(fig):
        assert ax.get_xlabel().strip(), f"{name}: x axis without a label"
        assert ax.get_ylabel().strip(), f"{name}: y axis without a label"
        if hasattr(ax, "get_zlabel"):
            assert ax.get_zlabel().strip(), f"{name}: z axis without a label"
        assert ax.get_title().strip() or suptitle.strip(), f"{name}: no title or caption"
    for bar in _colour_bars(fig):
        assert (bar.get_ylabel() or bar.get_xlabel()).strip(), f"{name}: colour bar unlabelled"


def test_weight_axes_name_their_symbols():
    fig = CASES["landscape_map"]()
    ax = _plot_axes(fig)[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == (style.W1_LABEL, style.W2_LABEL)
    assert "$w_1$" in style.W1_LABEL and "$w_2$" in style.W2_LABEL
    assert "loss" in _colour_bars(fig)[0].get_ylabel()


@pytest.mark.parametrize("name", sorted(CASES))
def test_text_is_readable_on_a_projector(name):
    fig = CASES[name]()
    for ax in _plot_axes(fig):
        texts = [ax.xaxis.label, ax.yaxis.label, ax.title]
        texts += ax.get_xticklabels() + ax.get_yticklabels()
        for text in texts:
            if text.get_text():
                assert text.get_fontsize() >= 10, f"{name}: {text.get_text()!r} is too small"


def _colours(artist) -> list:
    """The plain (not colour-mapped) colours an artist is drawn with."""
    if isinstance(artist, Line2D):
        return [artist.get_color(), artist.get_markerfacecolor(), artist.get_markeredgecolor()]
    if isinstance(artist, Collection):
        if artist.get_array() is not None:  # colour-mapped: checked by its colour map
            return []
        return [*artist.get_facecolor(), *artist.get_edgecolor()]
    if isinstance(artist, Patch):
        return [artist.get_facecolor(), artist.get_edgecolor()]
    if isinstance(artist, Text) and artist.get_text():
        return [artist.get_color()]
    return []


def _is_neutral(rgba) -> bool:
    """Black, white or grey (frames, ticks, grid lines, contour lines)."""
    return colorsys.rgb_to_hls(*rgba[:3])[2] < 0.05 or np.ptp(rgba[:3]) < 0.02


def _colour_map_is_safe(cmap) -> bool:
    """A safe colour map, or a few fixed colours (contours drawn with ``colors=``) that are."""
    if cmap.name in COLOUR_MAPS:
        return True
    fixed = getattr(cmap, "colors", None)
    return fixed is not None and all(_in_palette(c) for c in fixed)


def _in_palette(colour) -> bool:
    rgba = mcolors.to_rgba(colour)
    return rgba[3] == 0 or _is_neutral(rgba) or mcolors.to_hex(rgba, keep_alpha=False) in PALETTE


@pytest.mark.parametrize("name", sorted(CASES))
def test_colours_come_from_the_palette(name):
    fig = CASES[name]()
    for ax in _plot_axes(fig):
        for artist in ax.findobj():
            for colour in _colours(artist):
                assert _in_palette(colour), f"{name}: {artist} drawn in {mcolors.to_hex(colour)}"
            if isinstance(artist, ScalarMappable) and artist.get_array() is not None:
                cmap = artist.get_cmap()
                assert _colour_map_is_safe(cmap), f"{name}: {artist} uses colour map {cmap.name}"


@pytest.mark.parametrize("name", ["scatter_classes", "loss_vs_margin"])
def test_classes_use_the_class_colours(name):
    fig = CASES[name]()
    ax = _plot_axes(fig)[0]
    artists = [*ax.collections, *ax.get_lines()]
    drawn = {mcolors.to_hex(_colours(a)[0], keep_alpha=False) for a in artists if _colours(a)}
    assert {c.lower() for c in style.CLASS_COLOURS} <= drawn


def test_class_colours_are_told_apart_in_greyscale_too():
    # a colour-blind-safe pair differs in lightness as well as in hue
    lightness = [np.dot(mcolors.to_rgb(c), [0.299, 0.587, 0.114]) for c in style.CLASS_COLOURS]
    assert abs(lightness[0] - lightness[1]) > 0.1
