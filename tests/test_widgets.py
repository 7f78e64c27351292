"""Every slider figure: plain slider names, a slider move redraws the picture, B = N is exact."""

import numpy as np
import pytest

import course_utils as cu
from course_utils import widgets

DATA = cu.make_two_gaussians(2.0, 1.0, 40, 40, seed=0)


def _all_widgets():
    return {
        "data": widgets.data_explorer(n0=40, n1=40),
        "model": widgets.model_explorer(DATA.X, DATA.y),
        "landscape": widgets.landscape_explorer(n_per_class=40),
        "minibatch": widgets.batch_size_explorer(DATA.X, DATA.y, batch_size=8),
        "sgd": widgets.sgd_explorer(DATA.X, DATA.y, n_steps=20, batch_size=8),
    }


WIDGETS = _all_widgets()


@pytest.mark.parametrize("name", WIDGETS)
def test_sliders_have_plain_descriptions(name):
    for slider in WIDGETS[name].sliders.values():
        assert slider.description and "_" not in slider.description


def _other_value(slider):
    if hasattr(slider, "options") and slider.options:
        values = [v[1] if isinstance(v, tuple) else v for v in slider.options]
        return next(v for v in reversed(values) if v != slider.value)
    return slider.max if slider.value != slider.max else slider.min


@pytest.mark.parametrize("name", WIDGETS)
def test_every_slider_move_changes_the_picture(name):
    widget = WIDGETS[name]
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
    blitted = np.asarray(Image.open(__import__("io").BytesIO(widget.image.value)))
    for artist in widget._changing:
        artist.set_animated(False)
    full = np.asarray(Image.open(__import__("io").BytesIO(figure_png(widget.figure))))
    assert blitted.shape == full.shape
    differ = np.abs(blitted.astype(int) - full.astype(int)).max(axis=-1) > 8
    # Only anti-aliased frame edges, drawn twice over a redrawn image, may differ: < 0.5 %.
    assert differ.mean() < 0.005


def test_batch_size_slider_shows_the_exact_landscape_at_b_equal_n():
    widget = widgets.batch_size_explorer(DATA.X, DATA.y, batch_size=8)
    widget.sliders["batch_size"].value = DATA.n
    first = widget.figure.axes[0].images[0].get_array()
    full_map = widget.figure.axes[widget.figure.axes.index(widget.figure.axes[0]) + 4]
    np.testing.assert_allclose(first, full_map.images[0].get_array(), rtol=1e-12)
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


@pytest.mark.parametrize("name", WIDGETS)
def test_display_bundle_carries_a_picture_and_a_short_line(name, monkeypatch):
    """Without a widget manager (RISE, GitHub, nbviewer) a slider cell shows its figure."""
    monkeypatch.delenv("COURSE_STATIC", raising=False)
    widget = WIDGETS[name]
    bundle = widget._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == widget.model_id
    assert _png(bundle["image/png"]) == bytes(widget.image.value)
    assert _png(bundle["image/png"]).startswith(b"\x89PNG")
    text = bundle["text/plain"]
    assert "SliderFigure" not in text and "children" not in text and len(text) < 110
    first = next(iter(widget.sliders.values())).description
    assert text.startswith(first) and "run the notebook" in text


def test_display_bundle_shows_the_current_figure():
    widget = widgets.batch_size_explorer(DATA.X, DATA.y, batch_size=8)
    before = widget._repr_mimebundle_()["image/png"]
    widget.sliders["batch_size"].value = 16
    after = widget._repr_mimebundle_()["image/png"]
    assert after != before and _png(after) == bytes(widget.image.value)


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
