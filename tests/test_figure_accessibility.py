"""Every figure says what it shows: labelled axes, a title, the course's palette."""

import matplotlib.colors as mcolors
import numpy as np
import pytest
from figure_cases import CASES

from course_utils.plots import style


def _plot_axes(fig):
    """The axes that show data (colour bars are labelled separately)."""
    return [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_axes_are_labelled_and_titled(name):
    fig = CASES[name]()
    suptitle = fig._suptitle.get_text() if fig._suptitle is not None else ""
    for ax in _plot_axes(fig):
        assert ax.get_xlabel().strip(), f"{name}: x axis without a label"
        assert ax.get_ylabel().strip(), f"{name}: y axis without a label"
        if hasattr(ax, "get_zlabel"):
            assert ax.get_zlabel().strip(), f"{name}: z axis without a label"
        assert ax.get_title().strip() or suptitle.strip(), f"{name}: no title"
    for bar in (ax for ax in fig.axes if ax.get_label() == "<colorbar>"):
        assert bar.get_ylabel().strip(), f"{name}: colour bar without a label"


@pytest.mark.parametrize("name", sorted(CASES))
def test_text_is_readable_on_a_projector(name):
    fig = CASES[name]()
    for ax in _plot_axes(fig):
        for text in (ax.xaxis.label, ax.yaxis.label, ax.title):
            assert text.get_fontsize() >= 10, f"{name}: {text.get_text()!r} is too small"


def test_classes_use_the_palette():
    fig = CASES["scatter_classes"]()
    collections = fig.axes[0].collections[:2]
    for k, points in enumerate(collections):
        colour = mcolors.to_hex(points.get_facecolor()[0], keep_alpha=False)
        assert colour.lower() == style.CLASS_COLOURS[k].lower()


def test_palette_classes_are_distinguishable_in_greyscale_too():
    # colour-blind safe pairs differ in lightness as well as hue
    lightness = [np.dot(mcolors.to_rgb(c), [0.299, 0.587, 0.114]) for c in style.CLASS_COLOURS]
    assert abs(lightness[0] - lightness[1]) > 0.1
