"""Every slider figure: plain slider names, a slider move redraws the picture, B = N is exact."""

import itertools
from pathlib import Path

import numpy as np
import pytest

import course_utils as cu
from course_utils import widgets

ROOT = Path(__file__).resolve().parents[1]
DATA = cu.make_two_gaussians(2.0, 1.0, 40, 40, seed=0)


BUILD = {
    "data": lambda: widgets.data_explorer(n0=40, n1=40),
    "model": lambda: widgets.model_explorer(DATA.X, DATA.y),
    "landscape": lambda: widgets.landscape_explorer(n_per_class=40),
    "minibatch": lambda: widgets.batch_size_explorer(DATA.X, DATA.y, batch_size=8),
    "sgd": lambda: widgets.sgd_explorer(DATA.X, DATA.y, n_steps=20, batch_size=8),
}


def _all_widgets():
    return {name: build() for name, build in BUILD.items()}


# Each test builds the explorers it looks at (BUILD), when it runs: building another explorer
# of a kind closes the previous one, and explorers built at import would cost every pytest
# process that collects this file (each xdist worker) ~1.5 s.
@pytest.mark.parametrize("name", BUILD)
def test_sliders_have_plain_descriptions(name):
    for slider in BUILD[name]().sliders.values():
        assert slider.description and "_" not in slider.description


def _other_value(slider):
    if hasattr(slider, "options") and slider.options:
        values = [v[1] if isinstance(v, tuple) else v for v in slider.options]
        return next(v for v in reversed(values) if v != slider.value)
    return slider.max if slider.value != slider.max else slider.min


@pytest.mark.parametrize("name", BUILD)
def test_every_slider_move_changes_the_picture(name):
    widget = BUILD[name]()
    assert bytes(widget.image.value).startswith(b"\x89PNG")
    for slider in widget.sliders.values():
        before = bytes(widget.image.value)
        slider.value = _other_value(slider)
        assert bytes(widget.image.value) != before, f"{slider.description} did not redraw"


def test_blitted_frame_equals_a_full_render():
    """The cached background plus redrawn artists is the same picture as a full render."""
    from PIL import Image

    from course_utils.widgets._base import figure_png

    widget = widgets.batch_size_explorer(DATA.X, DATA.y, batch_size=8)
    widget.sliders["batch_size"].value = 16
    blitted = np.asarray(Image.open(__import__("io").BytesIO(widget.image.value)).convert("RGBA"))
    for artist in widget._changing:
        artist.set_animated(False)
    full = np.asarray(Image.open(__import__("io").BytesIO(figure_png(widget.figure))))
    assert blitted.shape == full.shape
    differ = np.abs(blitted.astype(int) - full.astype(int)).max(axis=-1) > 8
    # Only anti-aliased frame edges, drawn twice over a redrawn image, may differ: < 0.5 %.
    assert differ.mean() < 0.005


def test_cell_image_draws_the_pixels_of_matplotlibs_own_image():
    """05's panels look their pixels up (geometry found once): the same picture as imshow's."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from course_utils.widgets.minibatch import _cell_image

    cells = np.random.default_rng(0).integers(0, 256, (61, 61, 4), dtype=np.uint8)
    cells[..., 3] = 255  # random colours: a cell drawn one pixel off shows

    def render(fast):
        fig = Figure(figsize=(3, 2.5))
        ax = fig.add_subplot()
        image = ax.imshow(cells, origin="lower", extent=(-3, 3, -2, 2), interpolation="nearest")
        image = _cell_image(image) if fast else image
        canvas = FigureCanvasAgg(fig)
        pictures = []
        for data in (cells, cells[::-1].copy()):  # a second draw: new data, same geometry
            image.set_data(data)
            canvas.draw()
            pictures.append(np.asarray(canvas.buffer_rgba()).astype(int))
        return pictures

    for ours, matplotlibs in zip(render(True), render(False), strict=True):
        assert np.abs(ours - matplotlibs).max() <= 1  # Matplotlib truncates its floats


@pytest.mark.parametrize(
    ("distance", "n_per_class"),
    # windows of +-3 (05's data), +-4 (04's), +-6, and +-8 around separable data
    [(2.0, 40), (2.0, 200), (3.0, 200), (5.0, 200), (8.0, 200)],
)
def test_batch_size_explorer_parts_keep_apart_in_their_fixed_places(distance, n_per_class):
    """05's layout is fixed, not solved: no panel, label or title runs into another or out,
    and the tick labels of neighbouring panels stay apart (not "4-4" across the gap)."""
    data = cu.make_two_gaussians(distance, 1.0, n_per_class, n_per_class, seed=0)
    fig = widgets.batch_size_explorer(data.X, data.y, batch_size=data.n // 4).figure
    renderer = fig.canvas.get_renderer()
    boxes = [ax.get_tightbbox(renderer) for ax in fig.axes]
    boxes += [legend.get_window_extent(renderer) for legend in fig.legends]
    boxes.append(fig._suptitle.get_window_extent(renderer))
    for i, box in enumerate(boxes):
        assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1, i
        assert fig.bbox.y0 <= box.y0 and box.y1 <= fig.bbox.y1, i
        for other in boxes[i + 1 :]:
            assert not box.overlaps(other), (box, other)
    labels = []
    for ax in fig.axes[:4]:  # the top row (ticks outside the view are not drawn)
        low, high = sorted(ax.get_xlim())
        for at, label in zip(ax.get_xticks(), ax.get_xticklabels(), strict=True):
            if low <= at <= high and label.get_text():
                labels.append(label.get_window_extent(renderer))
    labels.sort(key=lambda box: box.x0)
    assert len(labels) >= 8, "at least two labelled ticks per panel"
    gaps = [right.x0 - left.x1 for left, right in itertools.pairwise(labels)]
    assert min(gaps) >= 6, f"tick labels {min(gaps):.1f} px apart"


@pytest.mark.parametrize("distance", [2.0, 5.0, 8.0])  # 05's data, then nearly separable ones
@pytest.mark.parametrize("flipped", [False, True], ids=["as drawn", "labels swapped"])
def test_batch_size_explorer_slice_legend_keeps_clear_of_the_full_curve(distance, flipped):
    """The full-batch curve climbs to the top of the slice at one end for separable data: the
    legend sits in the other upper corner, at every batch size."""
    data = cu.make_two_gaussians(distance, 1.0, 200, 200, seed=0)
    y = 1 - data.y if flipped else data.y
    widget = widgets.batch_size_explorer(data.X, y, batch_size=16)
    slice_ax = next(ax for ax in widget.figure.axes if ax.get_title().startswith("Slice"))
    full_line = slice_ax.lines[-1]
    for batch_size in (16, 2, data.n):
        widget.sliders["batch_size"].value = batch_size
        renderer = widget.figure.canvas.get_renderer()
        box = slice_ax.get_legend().get_window_extent(renderer)
        points = full_line.get_transform().transform(full_line.get_xydata())
        assert box.count_contains(points) == 0, f"B = {batch_size}: the legend covers the curve"


def test_batch_size_slider_shows_the_exact_landscape_at_b_equal_n():
    widget = widgets.batch_size_explorer(DATA.X, DATA.y, batch_size=8)
    widget.sliders["batch_size"].value = DATA.n
    first = widget.figure.axes[0].images[0].get_array()  # RGBA: coloured once per move
    full_map = next(ax for ax in widget.figure.axes if ax.get_title().startswith("Full loss"))
    full_image = full_map.images[0]
    np.testing.assert_array_equal(first, full_image.to_rgba(full_image.get_array(), bytes=True))
    slice_ax = next(ax for ax in widget.figure.axes if ax.get_title().startswith("Slice"))
    batch_line, full_line = slice_ax.lines[0], slice_ax.lines[-1]
    np.testing.assert_allclose(batch_line.get_ydata(), full_line.get_ydata(), rtol=1e-12)
    assert "1 batch in" in widget.figure._suptitle.get_text()


def test_panels_without_a_batch_say_why():
    widget = widgets.batch_size_explorer(DATA.X, DATA.y, batch_size=8)
    top = widget.figure.axes[:4]

    def notes():
        return [" ".join(t.get_text() for t in ax.texts) for ax in top]

    assert notes() == ["", "", "", ""]
    widget.sliders["batch_size"].value = DATA.n // 2
    assert notes()[:2] == ["", ""]
    assert notes()[2:] == [f"no batch {j}:\nan epoch has only 2" for j in (3, 4)]
    assert not top[2].images[0].get_visible()


def test_batch_size_options_run_from_1_to_n():
    options = widgets.batch_size_options(400)
    assert options[0] == 1 and options[-1] == 400 and len(options) <= 15
    assert all(400 % b == 0 for b in options)
    assert widgets.batch_size_options(7) == [1, 7]


def test_bad_batch_size_is_refused():
    with pytest.raises(ValueError, match="batch_size"):
        widgets.batch_size_explorer(DATA.X, DATA.y, batch_size=3)


def _png(data: str) -> bytes:
    import base64

    return base64.b64decode(data)


def _same_picture(png: bytes, reference: bytes) -> bool:
    """Both are PNGs of one picture: same size, colours within a palette's rounding."""
    import io

    from PIL import Image

    assert png.startswith(b"\x89PNG")
    ours = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
    theirs = np.asarray(Image.open(io.BytesIO(reference)).convert("RGB"), dtype=int)
    return ours.shape == theirs.shape and np.abs(ours - theirs).mean() < 1.0


@pytest.mark.parametrize("name", BUILD)
def test_display_bundle_carries_a_picture_and_a_short_line(name, monkeypatch):
    """Without a widget manager (RISE, GitHub, nbviewer) a slider cell shows its figure."""
    monkeypatch.delenv("COURSE_STATIC", raising=False)
    widget = BUILD[name]()
    bundle = widget._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == widget.model_id
    assert _same_picture(_png(bundle["image/png"]), bytes(widget.image.value))
    text = bundle["text/plain"]
    assert "SliderFigure" not in text and "children" not in text and len(text) < 110
    first = next(iter(widget.sliders.values())).description
    assert text.startswith(first) and "run the notebook" in text


def test_display_bundle_shows_the_current_figure():
    widget = widgets.batch_size_explorer(DATA.X, DATA.y, batch_size=8)
    before = widget._repr_mimebundle_()["image/png"]
    widget.sliders["batch_size"].value = 16
    after = widget._repr_mimebundle_()["image/png"]
    assert after != before and _same_picture(_png(after), bytes(widget.image.value))


def test_a_slider_cell_has_one_output_with_the_view_and_the_picture():
    """Executed in a kernel (as nbval does): one output, not two; its picture is a PNG."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import course_utils as cu\n"
            "from course_utils import widgets\n"
            "d = cu.make_two_gaussians(2.0, 1.0, 40, 40, seed=0)\n"
            "widgets.batch_size_explorer(d.X, d.y, batch_size=8)"
        )
    ]
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    outputs = nb.cells[0].outputs
    assert len(outputs) == 1
    data = outputs[0]["data"]
    assert set(data) == {"application/vnd.jupyter.widget-view+json", "image/png", "text/plain"}
    assert _png(data["image/png"]).startswith(b"\x89PNG")
    assert data["text/plain"] == "batch size slider — run the notebook to move it"


# ---- notebook 01's data explorer and 02's model explorer ----------------------------------


def _blitted_and_full(widget):
    """The widget's current picture, and a full render of its figure, as arrays."""
    import io

    from PIL import Image

    from course_utils.widgets._base import figure_png

    blitted = np.asarray(Image.open(io.BytesIO(widget.image.value)).convert("RGBA"))
    for artist in widget._changing:
        artist.set_animated(False)
    try:
        full = np.asarray(Image.open(io.BytesIO(figure_png(widget.figure))))
    finally:
        for artist in widget._changing:
            artist.set_animated(True)
    return blitted, full


def _differ_off_the_frames(widget) -> float:
    """Fraction of pixels where the blitted picture and a full render differ, leaving out
    a 3-pixel band along each axes' frame (anti-aliased edges drawn twice)."""
    blitted, full = _blitted_and_full(widget)
    assert blitted.shape == full.shape
    differ = np.abs(blitted.astype(int) - full.astype(int)).max(axis=-1) > 8
    height = differ.shape[0]
    for ax in widget.figure.axes:
        box = ax.get_window_extent()
        for x in (box.x0, box.x1):
            differ[:, max(int(x) - 3, 0) : int(x) + 4] = False
        for y in (box.y0, box.y1):
            differ[max(int(height - y) - 3, 0) : int(height - y) + 4, :] = False
    return float(differ.mean())


@pytest.mark.parametrize(
    "moves",
    [
        {"sigma": 3.0, "distance": 8.0, "n0": 400, "n1": 400},
        {"sigma": 3.0, "distance": 0.0, "n0": 20, "n1": 400},
        {"sigma": 0.25, "distance": 8.0, "n0": 400, "n1": 20},
        {"sigma": 1.5, "distance": 3.5, "n0": 400, "n1": 400},
        {"sigma": 3.0, "distance": 8.0, "n0": 20, "n1": 20},
    ],
)
def test_data_explorer_keeps_every_point_in_the_window_and_blits_right(moves):
    widget = widgets.data_explorer()
    for name, value in moves.items():
        widget.sliders[name].value = value
    ax = widget.figure.axes[0]
    points = np.vstack([c.get_offsets() for c in ax.collections[:2]])
    v = widget.values
    expected = cu.make_two_gaussians(max(v["distance"], 1e-9), v["sigma"], v["n0"], v["n1"])
    np.testing.assert_array_equal(points, expected.X)  # the notebook's points, exactly
    (low, high), (bottom, top) = ax.get_xlim(), ax.get_ylim()
    assert low < points[:, 0].min() and points[:, 0].max() < high
    assert bottom < points[:, 1].min() and points[:, 1].max() < top
    assert _differ_off_the_frames(widget) < 1e-4  # a new window re-caches the background


def test_every_window_holds_the_largest_sample_at_the_widest_spread():
    from course_utils.widgets.data import data_window

    noise = np.random.default_rng(0).standard_normal((800, 2))
    for distance in np.arange(0.0, 8.5, 0.5):
        for sigma in np.arange(0.25, 3.25, 0.25):
            X = cu.class_centres(max(distance, 1e-9))[np.repeat([0, 1], 400)] + sigma * noise
            assert np.abs(X).max() < data_window(distance, sigma, np.abs(noise).max())


def test_data_explorer_shows_the_bayes_error_for_the_class_counts():
    widget = widgets.data_explorer(distance=2.0, sigma=3.0, n0=400, n1=20)
    title = widget.figure.axes[0].get_title()
    # the case: 4.8 % (always answering class 0 errs 4.8 %), not Φ(-1/3) = 36.9 %
    assert "Bayes error 4.8%" in title and "line through 0: 36.9%" in title
    bayes_line = widget._changing[3]
    assert bayes_line.get_visible()  # 13.5 from the origin: it crosses the window's corner
    widget.sliders["distance"].value = 1.0  # 27 from the origin
    note = widget._changing[5].get_text()
    assert not bayes_line.get_visible() and note == "best boundary off-screen, +27 along μ1 - μ0"
    widget.sliders["distance"].value = 2.0
    widget.sliders["n1"].value = 400
    title = widget.figure.axes[0].get_title()
    assert f"Bayes error {cu.bayes_error(2.0, 3.0):.1%};" in title and bayes_line.get_visible()
    widget.sliders["n1"].value = 200  # prior 1/3: the boundary moves towards class 1
    t = cu.bayes_threshold(2.0, 3.0, 200 / 600)
    ends = bayes_line.get_xydata()
    unit = -np.ones(2) / np.sqrt(2)
    np.testing.assert_allclose(ends @ unit, [t, t], atol=1e-9)


def test_model_explorer_title_and_blitting():
    data = cu.make_two_gaussians(5.0, 1.0, 200, 200, seed=0)
    widget = widgets.model_explorer(data.X, data.y, w1=-1.0, w2=0.5, distance=5.0, sigma=1.0)
    widget.sliders["w1"].value = -1.5
    widget.sliders["w2"].value = -1.0
    title = widget.figure.axes[0].get_title()
    # the sample rewards (-1.5, -1.0) with 99.5 %; new data do not (w* has 99.4 %)
    assert title == "w = (-1.5, -1.0): accuracy 99.5%, on new data 99.3%"
    assert _differ_off_the_frames(widget) < 1e-4
    widget.sliders["w1"].value = 0.0
    widget.sliders["w2"].value = 0.0  # no boundary: a coin's accuracy on new data
    assert widget.figure.axes[0].get_title().endswith("on new data 50.0%")
    with pytest.raises(ValueError, match="distance and sigma"):
        widgets.model_explorer(data.X, data.y, distance=5.0)


# ---- what the slider figures show at every position -----------------------------------------

MARKED = ("refined minimum", "Bayes-optimal $w^*$")
LANDSCAPE_POSITIONS = [(1.0, 0.5), (1.0, 2.5), (3.0, 1.0), (5.0, 0.5), (5.0, 1.0), (8.0, 0.5)]


@pytest.mark.parametrize(("distance", "sigma"), LANDSCAPE_POSITIONS)
def test_landscape_widget_keeps_labels_ticks_and_markers_readable(distance, sigma):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from course_utils.plots.common import inside_limits

    widget = widgets.landscape_explorer(distance=3.0, sigma=1.0, n_per_class=40)
    widget.sliders["distance"].value = distance
    widget.sliders["sigma"].value = sigma
    fig = widget.figure
    ax, bar = fig.axes[0], fig.axes[1]
    renderer = FigureCanvasAgg(fig).get_renderer()
    box = fig.bbox
    for label in (ax.xaxis.label, ax.yaxis.label, bar.yaxis.label, ax.title):
        extent = label.get_window_extent(renderer)
        assert box.x0 <= extent.x0 and extent.x1 <= box.x1, f"{label.get_text()!r} is cut"
        assert box.y0 <= extent.y0 and extent.y1 <= box.y1, f"{label.get_text()!r} is cut"
    low, high = sorted(bar.get_ylim())
    ticks = [t for t in bar.get_yticks() if low <= t <= high]
    labels = [t.get_text() for t in bar.get_yticklabels() if t.get_text()]
    assert len(ticks) >= 3 and len(labels) >= 3, (ticks, labels)
    legend = ax.get_legend()
    listed = [t.get_text() for t in legend.get_texts()] if legend else []
    star, ring = (next(c for c in ax.collections if c.get_label() == name) for name in MARKED)
    w_star = ring.get_offsets()[0]
    assert ("Bayes-optimal $w^*$" in listed) == inside_limits(ax, w_star)
    if not inside_limits(ax, w_star):
        assert any("outside the window" in t.get_text() for t in ax.texts if t.get_visible())
    if len(star.get_offsets()):
        others = [c for c in ax.collections if c not in (star, ring)]
        assert star.get_zorder() > ring.get_zorder() > max(c.get_zorder() for c in others)


def test_landscape_widget_pictures_equal_a_full_render():
    """Map, ticks, legend and colour bar drawn from cached pictures: the same as drawn afresh.

    Each step is a new position; the windows and legends repeat, so later steps draw
    tick labels and legends from pictures made at earlier ones.
    """
    widget = widgets.landscape_explorer(distance=3.0, sigma=1.0, n_per_class=40)
    for distance, sigma in [(1.0, 2.5), (5.0, 0.5), (8.0, 0.5), (2.0, 1.0), (4.0, 1.0)]:
        widget.sliders["distance"].value = distance
        widget.sliders["sigma"].value = sigma
        assert _differ_off_the_frames(widget) < 1e-4, (distance, sigma)


def test_sgd_widget_draws_the_minimum_above_the_paths():
    widget = widgets.sgd_explorer(DATA.X, DATA.y, n_steps=20, batch_size=8)
    ax = widget.figure.axes[0]
    star = next(c for c in ax.collections if c.get_label() == "refined minimum")
    changing = widget._changing
    assert star in changing, "the star must be redrawn after the paths at every move"
    assert all(star.get_zorder() > line.get_zorder() for line in ax.get_lines())


@pytest.mark.parametrize(
    ("distance", "w0"), [(2.0, (2.0, 2.0)), (2.0, (-9.0, 7.5)), (6.0, (2.0, -2.0))]
)
def test_sgd_explorer_parts_keep_apart_in_their_fixed_places(distance, w0):
    """06's layout is fixed, not solved: map, colour bar, labels and title stay apart, inside."""
    data = cu.make_two_gaussians(distance, 1.0, 40, 40, seed=0)  # 6 apart: separable
    widget = widgets.sgd_explorer(data.X, data.y, w0=w0, n_steps=20, batch_size=8)
    fig = widget.figure
    renderer = fig.canvas.get_renderer()
    ax, bar = fig.axes
    title = ax.title.get_window_extent(renderer)
    assert ax.bbox.y1 <= title.y0 and title.y1 <= fig.bbox.y1  # the two lines above the map
    assert fig.bbox.x0 <= title.x0 and title.x1 <= fig.bbox.x1
    boxes = [axis.get_tightbbox(renderer) for axis in (ax.xaxis, ax.yaxis)]
    boxes.append(bar.get_tightbbox(renderer))
    for i, box in enumerate(boxes):
        assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1, i
        assert fig.bbox.y0 <= box.y0 and box.y1 <= fig.bbox.y1, i
        assert not box.overlaps(ax.bbox), i
        for other in boxes[i + 1 :]:
            assert not box.overlaps(other), (box, other)


def test_sgd_widget_says_when_runs_leave_the_window():
    widget = widgets.sgd_explorer(DATA.X, DATA.y, n_steps=40, batch_size=8)
    ax = widget.figure.axes[0]
    widget.sliders["batch_size"].value = 1
    widget.sliders["lr"].value = 4.0
    notes = [t.get_text() for t in ax.texts if t.get_visible() and t.get_text()]
    assert any("left the window" in n for n in notes), notes
    widget.sliders["batch_size"].value = DATA.n
    widget.sliders["lr"].value = 0.5
    assert not [t for t in ax.texts if t.get_visible() and t.get_text()]


def test_batch_size_widget_counts_minima_outside_the_window():
    widget = widgets.batch_size_explorer(DATA.X, DATA.y, batch_size=8)
    widget.sliders["batch_size"].value = 2
    fig = widget.figure
    map_ax = next(ax for ax in fig.axes if ax.get_title().startswith("Full loss"))
    dots, edge = map_ax.collections[-3], map_ax.collections[-2]
    shown = np.isfinite(dots.get_offsets()).all(axis=1).sum() + len(edge.get_offsets())
    minima = cu.minibatch_minima(DATA.X, DATA.y, 2, seed=0)
    assert shown == np.isfinite(minima[:, 0]).sum(), "every minimum is drawn, inside or on the edge"
    if len(edge.get_offsets()):
        assert f"{len(edge.get_offsets())} outside the window" in fig._suptitle.get_text()
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend()] + fig.legends
    legend_text = [t.get_text() for legend in legends for t in legend.get_texts()]
    assert any("another batch" in t for t in legend_text) and any(
        "outside" in t for t in legend_text
    )


def test_no_position_of_the_model_sliders_beats_w_star_on_loss():
    """Notebook 02 and 03 say so: (-1.5, -1.0) wins on this sample's accuracy, never on loss."""
    data = cu.make_two_gaussians(5.0, 1.0, 200, 200, seed=0)
    widget = widgets.model_explorer(data.X, data.y, distance=5.0, sigma=1.0)
    values = [np.arange(s.min, s.max + s.step / 2, s.step) for s in widget.sliders.values()]
    w_star = cu.bayes_optimal_weights(5.0, 1.0)
    best = cu.cross_entropy_from_logits(data.y, data.X @ w_star)
    w1, w2 = np.meshgrid(*values)
    grid = np.column_stack([w1.ravel(), w2.ravel()])  # every slider position, 25 x 25
    losses = [cu.cross_entropy_from_logits(data.y, data.X @ w) for w in grid]
    assert min(losses) > best
    assert cu.accuracy(data.X, data.y, np.array([-1.5, -1.0])) > cu.accuracy(data.X, data.y, w_star)


@pytest.mark.parametrize("name", ["landscape", "minibatch", "sgd"])
def test_a_slider_move_solves_the_full_minimum_at_most_once(name, monkeypatch):
    """find_minimum (and grid_window's own solve, when not handed the minimum) at most once."""
    import course_utils.landscape as landscape_module
    import course_utils.optimum as optimum_module

    calls = []
    solve = optimum_module.minimum_of

    def counted(signed):
        calls.append(signed.shape)
        return solve(signed)

    # find_minimum looks minimum_of up in optimum; grid_window in landscape.
    monkeypatch.setattr(optimum_module, "minimum_of", counted)
    monkeypatch.setattr(landscape_module, "minimum_of", counted)
    widget = {
        "landscape": lambda: widgets.landscape_explorer(n_per_class=40),
        "minibatch": lambda: widgets.batch_size_explorer(DATA.X, DATA.y, batch_size=8),
        "sgd": lambda: widgets.sgd_explorer(DATA.X, DATA.y, n_steps=20, batch_size=8),
    }[name]()
    assert len(calls) == 1, f"building the {name} figure solved the minimum {len(calls)} times"
    for slider in widget.sliders.values():
        calls.clear()
        slider.value = _other_value(slider)
        assert len(calls) <= 1, f"{slider.description}: solved {len(calls)} times in one move"


def test_every_slider_figure_of_the_package_is_in_the_table(monkeypatch):
    """A new widget (a function of course_utils.widgets returning a SliderFigure) is tested here."""
    import inspect

    makers = {
        name
        for name, value in vars(widgets).items()
        if inspect.isfunction(value)
        and not name.startswith("_")
        and inspect.signature(value).return_annotation in ("SliderFigure", widgets.SliderFigure)
    }
    assert len(makers) >= len(BUILD)
    called = set()
    for name in makers:
        maker = getattr(widgets, name)
        monkeypatch.setattr(
            widgets, name, lambda *a, _n=name, _m=maker, **k: called.add(_n) or _m(*a, **k)
        )
    _all_widgets()
    assert makers == called, f"add {sorted(makers - called)} to the table of widgets"


@pytest.mark.parametrize("name", BUILD)
def test_a_new_explorer_of_a_kind_closes_and_releases_the_previous_one(name):
    """Re-running a slider cell does not pile up figures, though ``Out[n]`` keeps the shell."""
    import gc
    import weakref

    first = BUILD[name]()
    figure = weakref.ref(first.figure)
    shell = first  # what IPython's Out[n] keeps
    second = BUILD[name]()
    gc.collect()
    assert figure() is None, "the first explorer's figure is still alive"
    assert shell.comm is None and all(s.comm is None for s in shell.sliders.values())
    before = bytes(second.image.value)
    next(iter(second.sliders.values())).value = _other_value(next(iter(second.sliders.values())))
    assert bytes(second.image.value) != before  # the new one still moves


def test_a_picture_shown_again_from_the_cache_brings_the_figure_along():
    widget = widgets.batch_size_explorer(DATA.X, DATA.y, batch_size=8)
    slider = widget.sliders["batch_size"]
    first = bytes(widget.image.value)
    slider.value = 16
    slider.value = 8  # shown from the cache, without drawing
    assert bytes(widget.image.value) == first
    assert widget.figure._suptitle.get_text().startswith("B = 8:")


def test_slider_canvas_draws_text_pixel_identical_to_matplotlib():
    """The slider figures' renderer caches glyphs and layouts: the pixels stay Matplotlib's."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from course_utils.widgets._canvas import SliderCanvasAgg

    fig = Figure(figsize=(4, 3))
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], label="a line $w \\cdot x = 0$")
    ax.set_xlabel("feature $x_1$")
    ax.set_ylabel("rotated, ninety degrees")
    ax.set_title("two lines: 0.6%\nμ1 - μ0, $\\frac{1}{2}$", fontsize=9)
    ax.text(0.3, 0.2, "slanted", rotation=30)
    ax.legend()
    pictures = []
    for canvas in (FigureCanvasAgg, SliderCanvasAgg, SliderCanvasAgg):  # cold, then cached
        canvas(fig).draw()
        pictures.append(np.asarray(fig.canvas.buffer_rgba()).copy())
    np.testing.assert_array_equal(pictures[1], pictures[0])
    np.testing.assert_array_equal(pictures[2], pictures[0])


@pytest.mark.parametrize("facecolor", ["white", (1, 1, 1, 0.5)])
def test_live_frames_are_lossless_pngs_of_the_canvas(facecolor):
    import io

    from matplotlib.figure import Figure
    from PIL import Image

    from course_utils.widgets._canvas import SliderCanvasAgg, canvas_png

    fig = Figure(figsize=(2, 1.5), facecolor=facecolor)
    fig.add_subplot().imshow(np.random.default_rng(0).random((8, 8)))
    canvas = SliderCanvasAgg(fig)
    canvas.draw()
    image = Image.open(io.BytesIO(canvas_png(canvas)))
    assert image.mode == ("RGB" if facecolor == "white" else "RGBA")
    expected = np.asarray(canvas.buffer_rgba())[..., : len(image.mode)]
    np.testing.assert_array_equal(np.asarray(image), expected)


def test_polygon_markers_look_like_the_circles_they_replace():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from course_utils.widgets.common import polygon_markers

    X = np.random.default_rng(0).normal(size=(100, 2))
    pictures = []
    for polygon in (False, True):
        fig = Figure(figsize=(2, 2))
        ax = fig.add_subplot()
        points = ax.scatter(*X.T, s=14, alpha=0.7)
        crosses = ax.scatter(*X.T, s=140, marker="X")
        cross_path = crosses.get_paths()[0]
        if polygon:
            polygon_markers(points, crosses)
            assert crosses.get_paths()[0] is cross_path  # no curves: left alone
            assert points.get_paths()[0].codes is None or 4 not in points.get_paths()[0].codes
        FigureCanvasAgg(fig).draw()
        pictures.append(np.asarray(fig.canvas.buffer_rgba()).astype(int))
    assert np.abs(pictures[1] - pictures[0]).max() <= 2


def _first_slider_step(widget):
    """A slider's name and a value one step from its start, with room for a further step."""
    from course_utils.widgets._base import _index_of, slider_values

    name, slider = next(iter(widget.sliders.items()))
    options = slider_values(slider)
    at = _index_of(options, slider.value)
    return name, options[at + 1 if at + 2 < len(options) else at - 1]


def _in_its_own_loop(coroutine_function):
    """``asyncio.run(coroutine_function())`` in a thread of its own (in this one, Playwright's
    sync API may keep a loop running)."""
    import asyncio
    import threading

    outcome = {}

    def run():
        try:
            outcome["result"] = asyncio.run(coroutine_function())
        except BaseException as error:  # noqa: BLE001 - raised again in the test's thread
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def _in_a_kernel(coroutine_function, monkeypatch):
    """Run it as a kernel's event loop runs a comm message's handler: its loop is a kernel's."""
    import asyncio

    from course_utils.widgets import _base

    def running_loop():
        try:
            return asyncio.get_running_loop()
        except RuntimeError:
            return None

    monkeypatch.setattr(_base, "_kernel_loop", running_loop)
    return _in_its_own_loop(coroutine_function)


def _one_step_away(widget) -> list[dict]:
    """The slider values one step from the present ones, on each slider in turn."""
    from course_utils.widgets._base import _index_of, slider_values

    shown, away = widget.values, []
    for name, slider in widget.sliders.items():
        options = slider_values(slider)
        at = _index_of(options, shown[name])
        away += [
            {**shown, name: options[at + step]} for step in (1, -1) if 0 <= at + step < len(options)
        ]
    return away


async def _idle_until_drawn_ahead(widget, seconds=20.0):
    """Let the kernel's loop idle until the pictures one step away are drawn (or time is up)."""
    import asyncio

    from course_utils.widgets._base import _frame_key

    wanted = {_frame_key(values) for values in _one_step_away(widget)}
    for _ in range(int(seconds / 0.05)):  # the kernel idles: drawn one per turn of its loop
        await asyncio.sleep(0.05)
        if wanted <= set(widget._frames):
            return


def _moved_in_a_running_kernel(name, monkeypatch):
    """An explorer moved one step in a running kernel's event loop, which then idles."""
    from course_utils.widgets._base import _frame_key

    async def move_and_wait():
        widget = BUILD[name]()
        slider, value = _first_slider_step(widget)
        widget.sliders[slider].value = value
        await _idle_until_drawn_ahead(widget)
        return widget

    widget = _in_a_kernel(move_and_wait, monkeypatch)
    keys = set(widget._frames)
    assert _frame_key(widget.values) in keys
    return widget


@pytest.mark.parametrize("name", BUILD)
def test_in_a_running_kernel_a_move_draws_the_next_steps_ahead(name, monkeypatch):
    """After a move, each slider's values one step away are drawn while the kernel idles,
    and are the pictures a move straight to them draws; the figure shows the values set."""
    from course_utils.widgets._base import _frame_key

    widget = _moved_in_a_running_kernel(name, monkeypatch)
    frames = dict(widget._frames)
    expected = _one_step_away(widget)
    assert expected and all(_frame_key(v) in frames for v in expected), "not drawn ahead"
    assert _same_picture(_full_render(widget), bytes(widget.image.value)), "the figure moved"
    for values in expected[:2]:
        fresh = BUILD[name]()  # closes ``widget``: its pictures were taken above
        for slider_name, value in values.items():
            fresh.sliders[slider_name].value = value
        assert _same_picture(frames[_frame_key(values)], bytes(fresh.image.value)), values


@pytest.mark.parametrize("name", ["data", "landscape"])
def test_in_a_running_kernel_a_shown_figure_draws_the_first_steps_ahead(name, monkeypatch):
    """Shown (its display bundle asked for), before any move: the first step on every slider
    is drawn while the kernel idles, and is the picture a move straight there draws."""
    from course_utils.widgets._base import _frame_key

    async def show_and_idle():
        widget = BUILD[name]()
        widget._repr_mimebundle_()
        await _idle_until_drawn_ahead(widget)
        return widget

    widget = _in_a_kernel(show_and_idle, monkeypatch)
    expected = _one_step_away(widget)
    assert all(_frame_key(values) in widget._frames for values in expected), "not drawn ahead"
    frames = dict(widget._frames)
    for slider_name, value in expected[0].items():
        widget.sliders[slider_name].value = value
    assert _same_picture(frames[_frame_key(expected[0])], _full_render(widget))


def test_a_shown_figure_draws_nothing_ahead_while_cells_run(monkeypatch):
    """Run All, nbval: cell after cell, the kernel never idles; the first steps are drawn
    only once no cell has run for a while (which nbval never leaves it)."""
    import asyncio

    from course_utils.widgets import _base

    cells = iter(range(1000))
    monkeypatch.setattr(_base, "_cells_run", lambda: next(cells))

    async def show_while_cells_run():
        widget = BUILD["landscape"]()
        widget._repr_mimebundle_()
        await asyncio.sleep(1.0)  # in a quiet kernel, time to draw them all (test above)
        return len(widget._frames)

    assert _in_a_kernel(show_while_cells_run, monkeypatch) == 1  # the picture shown


def test_a_step_to_a_picture_drawn_ahead_draws_nothing(monkeypatch):
    from course_utils.widgets._base import _index_of, slider_values

    widget = _moved_in_a_running_kernel("landscape", monkeypatch)
    calls = []
    update = widget._update
    widget._update = lambda **values: calls.append(values) or update(**values)
    slider = next(iter(widget.sliders))
    options = slider_values(widget.sliders[slider])
    widget.sliders[slider].value = options[_index_of(options, widget.values[slider]) + 1]
    assert calls == [], "a picture drawn ahead was drawn again"


def test_course_draw_ahead_0_turns_drawing_ahead_off(monkeypatch):
    """As the hub sets it for every student (deploy/jupyterhub_config.py)."""
    import asyncio

    monkeypatch.setenv("COURSE_DRAW_AHEAD", "0")

    async def move_and_idle():
        widget = BUILD["minibatch"]()
        widget.sliders["batch_size"].value = _first_slider_step(widget)[1]
        await asyncio.sleep(0.3)  # drawing ahead would have drawn a picture or two by now
        return len(widget._frames)

    assert _in_a_kernel(move_and_idle, monkeypatch) == 2  # the first picture and this one
    config = (ROOT / "deploy" / "jupyterhub_config.py").read_text()
    assert '"COURSE_DRAW_AHEAD": "0"' in config


def test_outside_a_kernel_nothing_is_drawn_ahead():
    """Not in a script, nor under a loop that is not a kernel's (asyncio, Playwright's)."""
    import asyncio

    from course_utils.widgets._base import _kernel_loop

    async def move_and_idle():
        assert _kernel_loop() is None
        widget = BUILD["minibatch"]()
        widget.sliders["batch_size"].value = _first_slider_step(widget)[1]
        await asyncio.sleep(0.3)  # drawing ahead would have drawn a picture or two by now
        return len(widget._frames)

    assert _kernel_loop() is None
    assert _in_its_own_loop(move_and_idle) == 2  # the first picture and the moved one


def _full_render(widget) -> bytes:
    """The figure drawn whole, as Matplotlib draws it (no cached background)."""
    from course_utils.widgets._base import figure_png

    figure = widget.figure
    for artist in widget._changing or []:
        artist.set_animated(False)
    try:
        return figure_png(figure)
    finally:
        for artist in widget._changing or []:
            artist.set_animated(True)
