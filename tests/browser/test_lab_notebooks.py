"""Every notebook in a real JupyterLab: run all, no errors, widgets render, sliders redraw.

What to expect is read from the stored notebooks (which cells display a slider figure, its
sliders' descriptions and values), so a new notebook or slider is covered without editing
this file. Each notebook is opened and run once; both tests below look at that same page.
"""

from __future__ import annotations

import json
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

NOTEBOOK_DIR = Path(__file__).parents[2] / "notebooks"
NOTEBOOKS = sorted(p.name for p in NOTEBOOK_DIR.glob("[0-9]*.ipynb"))
IDLE = ".jp-Notebook-ExecutionIndicator[data-status='idle']"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
SLIDER_MODELS = ("IntSliderModel", "FloatSliderModel", "SelectionSliderModel")


@dataclass(frozen=True)
class Slider:
    description: str
    readouts: tuple[str, ...]  # what the readout shows at each position, in order
    start: int  # the position it starts at


def _readouts(model: dict) -> tuple[str, ...]:
    state = model["state"]
    if model["model_name"] == "SelectionSliderModel":
        return tuple(state["_options_labels"])
    count = int(round((state["max"] - state["min"]) / state["step"])) + 1
    values = state["min"] + state["step"] * np.arange(count)
    return tuple(format(v, state.get("readout_format", ".2f")) for v in values.tolist())


def _slider(model: dict) -> Slider:
    readouts = _readouts(model)
    state = model["state"]
    if "index" in state:
        start = state["index"]
    else:
        start = int(round((state["value"] - state["min"]) / state["step"]))
    return Slider(state["description"], readouts, start)


def slider_figures(name: str) -> list[list[Slider]]:
    """The slider figures a stored notebook displays, in order: each is its list of sliders.

    A slider figure is a VBox of an HBox of sliders and an Image (``SliderFigure``).
    """
    notebook = json.loads((NOTEBOOK_DIR / name).read_text())
    models = notebook["metadata"].get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})

    def child(ref):
        return models[ref.removeprefix("IPY_MODEL_")]

    figures = []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            # Stored for a first open (tools/run_notebooks.py): the view's id moves here.
            view = view or output.get("metadata", {}).get("course_utils", {}).get("widget_view")
            box = models.get(view["model_id"]) if view else None
            if not box or box["model_name"] != "VBoxModel":
                continue
            children = [child(ref) for ref in box["state"]["children"]]
            names = [c["model_name"] for c in children]
            if names != ["HBoxModel", "ImageModel"]:
                continue
            sliders = [child(ref) for ref in children[0]["state"]["children"]]
            if all(s["model_name"] in SLIDER_MODELS for s in sliders):
                figures.append([_slider(s) for s in sliders])
    return figures


WITH_SLIDERS = [name for name in NOTEBOOKS if slider_figures(name)]


def _kernel_state(lab, name) -> str | None:
    """The execution state of the kernel of notebook ``name``'s session, if it has one."""
    url, token = lab
    with urllib.request.urlopen(f"{url}/api/sessions?token={token}", timeout=10) as answer:
        sessions = json.load(answer)
    for session in sessions:
        if session["path"].endswith(name) and session.get("kernel"):
            return session["kernel"].get("execution_state")
    return None


def _wait_for_kernel(page, lab, name, timeout=90):
    """Lab may ask which kernel to use (it restores a workspace): answer, then wait for idle."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        select = page.locator(".jp-Dialog button:has-text('Select')")
        if select.count() and select.first.is_visible():
            select.first.click()
        elif _kernel_state(lab, name) == "idle" and page.locator(IDLE).count():
            return
        time.sleep(0.3)
    raise AssertionError(f"{name}: the kernel did not start")


OPEN = """async path => {
    window.courseNotebook = await window.jupyterapp.commands.execute('docmanager:open', {path});
    await window.courseNotebook.context.ready;
}"""
CLOSE = "() => { window.courseNotebook?.dispose(); window.courseNotebook = undefined; }"


def _open_and_run_all(page, lab, name):
    page.evaluate(OPEN, name)
    page.wait_for_selector(".jp-Notebook", state="attached")
    _wait_for_kernel(page, lab, name)
    page.locator("div.lm-MenuBar-itemLabel:text-is('Run')").click()
    page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()
    # The copy has no stored outputs, so every number and output below comes from this run.
    # Running: prompts show [*]; finished (or stopped at an error): no [*], the kernel idle.
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
            const status = document.querySelector('.jp-Notebook-ExecutionIndicator');
            return status && status.dataset.status === 'idle'
                && prompts.some(p => /[0-9]/.test(p.textContent))
                && !prompts.some(p => p.textContent.includes('*'));
        }""",
        timeout=120_000,
    )
    prompts = page.locator(".jp-CodeCell .jp-InputPrompt").all_text_contents()
    missed = [k for k, prompt in enumerate(prompts) if not any(c.isdigit() for c in prompt)]
    assert not missed, f"{name}: code cells {missed} did not run (an error stopped Run All?)"


def _scroll_through(page):
    """Lab renders off-screen cells lazily: visit every cell once."""
    cells = page.locator(".jp-Notebook .jp-Cell")
    for k in range(cells.count()):
        cells.nth(k).scroll_into_view_if_needed()


def _shut_down_kernels(lab):
    """Free the two cores for the next notebook."""
    url, token = lab
    with urllib.request.urlopen(f"{url}/api/sessions?token={token}", timeout=10) as answer:
        sessions = json.load(answer)
    for session in sessions:
        request = urllib.request.Request(
            f"{url}/api/sessions/{session['id']}?token={token}", method="DELETE"
        )
        urllib.request.urlopen(request, timeout=10).close()


@pytest.fixture(scope="session")
def lab_page(browser, lab):
    """One JupyterLab page, where every notebook is opened in turn (loading Lab takes longer
    than running most notebooks)."""
    url, token = lab
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{url}/lab?token={token}&reset")
    page.wait_for_function("() => window.jupyterapp !== undefined", timeout=90_000)
    page.evaluate("() => window.jupyterapp.restored")
    yield page
    context.close()


@pytest.fixture(scope="module")
def notebook(request, lab_page, lab):
    """The page with notebook ``request.param`` open in Lab, every cell run, every cell visited."""
    page = lab_page
    try:
        _open_and_run_all(page, lab, request.param)
        _scroll_through(page)
        yield page, request.param
    finally:
        page.evaluate(CLOSE)  # closed unsaved: the copy on disk keeps no outputs
        _shut_down_kernels(lab)


@pytest.mark.parametrize("notebook", NOTEBOOKS, indirect=True)
def test_notebook_runs_in_lab_without_errors(notebook, artifacts):
    page, name = notebook
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, errors.first.inner_text()
    text = "\n".join(page.locator(".jp-Notebook .jp-OutputArea").all_inner_texts())
    # the last four: a widget shown as its text repr instead of being rendered
    for sign in (
        "Traceback",
        "Error displaying widget",
        "Loading widget",
        "SliderFigure(",
        "interactive(",
        "VBox(",
        "HBox(",
    ):
        assert sign not in text, f"{name}: {sign!r} in an output"
    views = page.locator(f".jp-OutputArea-output[data-mime-type='{WIDGET_VIEW}']")
    for k in range(views.count()):
        view = views.nth(k)
        view.scroll_into_view_if_needed()
        assert view.locator(".jupyter-widgets").count(), f"{name}: widget {k} did not render"
    assert page.locator(".jp-Notebook .jp-OutputArea-output img").count(), f"{name}: no figure"
    stem = Path(name).stem
    first = page.locator(".jp-Notebook .jp-Cell").first
    first.scroll_into_view_if_needed()
    first.locator(".jp-InputArea").wait_for(state="visible")
    page.wait_for_timeout(500)  # Lab paints the cells back in after the jump to the top
    page.screenshot(path=str(artifacts / f"lab-{stem}.png"))
    figures = page.locator(".jp-Notebook .jp-OutputArea-output:has(img)")
    with _tall_viewport(page):
        for k in range(figures.count()):
            figures.nth(k).screenshot(path=str(artifacts / f"lab-{stem}-output{k + 1}.png"))


@contextmanager
def _tall_viewport(page, height=2400):
    """A viewport tall enough that a whole output fits in an element screenshot."""
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": height})
    try:
        yield
    finally:
        page.set_viewport_size(size)


def _settle(page, box, seconds=0.4, timeout=60):
    """Wait until the kernel is idle and the figure has stopped changing."""
    image = box.locator("img").first
    source = image.get_attribute("src")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page.wait_for_selector(IDLE, state="attached")
        time.sleep(seconds)
        now = image.get_attribute("src")
        if now == source and page.locator(IDLE).count():
            return
        source = now
    raise AssertionError("the figure kept changing")


def _picture(box) -> bytes:
    """What the student sees of the figure (a screenshot of the image element)."""
    box.locator("img").first.wait_for()
    return box.locator("img").first.screenshot()


def _expect_redraw(page, box, readout, expected, before_source, before_picture, how):
    """The readout shows one of ``expected``, and the figure shows a new picture."""
    try:
        page.wait_for_function(
            "([el, want]) => want.includes(el.textContent.trim().replace('\u2212', '-'))",
            arg=[readout.element_handle(), expected],
            timeout=10_000,
        )
    except PlaywrightTimeout:
        raise AssertionError(
            f"{how}: readout {readout.inner_text()!r}, not in {expected}"
        ) from None
    try:
        page.wait_for_function(
            "([img, old]) => img.src !== old && img.complete",
            arg=[box.locator("img").first.element_handle(), before_source],
            timeout=30_000,
        )
    except PlaywrightTimeout:
        raise AssertionError(f"{how}: the figure was not redrawn") from None
    _settle(page, box)
    assert _picture(box) != before_picture, f"{how}: the figure did not change"


def _readout(slider) -> str:
    """The readout's text (d3-format writes a minus sign; the notebook's format a hyphen)."""
    return slider.locator(".widget-readout").inner_text().strip().replace("\u2212", "-")


def _move_by_keyboard(page, box, slider, spec, position):
    """One step with an arrow key (leftwards at the end of the track); returns the new position."""
    step = 1 if position < len(spec.readouts) - 1 else -1
    readout = slider.locator(".widget-readout")
    source, picture = box.locator("img").first.get_attribute("src"), _picture(box)
    slider.scroll_into_view_if_needed()
    slider.locator(".noUi-handle").focus()
    slider.locator(".noUi-handle").press("ArrowRight" if step > 0 else "ArrowLeft")
    expected = [spec.readouts[position + step]]
    _expect_redraw(page, box, readout, expected, source, picture, f"{spec.description} key")
    return position + step


def _move_by_drag(page, box, slider, spec, position):
    """Drag the handle to the far side of the track; returns the new position."""
    readout = slider.locator(".widget-readout")
    source, picture = box.locator("img").first.get_attribute("src"), _picture(box)
    slider.scroll_into_view_if_needed()
    handle = slider.locator(".noUi-handle").bounding_box()
    track = slider.locator(".noUi-target").bounding_box()
    x, y = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
    rightwards = position < (len(spec.readouts) - 1) / 2
    target = track["x"] + (0.9 if rightwards else 0.1) * track["width"]
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(target, y, steps=6)
    page.mouse.up()
    side = spec.readouts[position + 1 :] if rightwards else spec.readouts[:position]
    _expect_redraw(page, box, readout, list(side), source, picture, f"{spec.description} drag")
    return spec.readouts.index(_readout(slider))


@pytest.mark.parametrize("notebook", WITH_SLIDERS, indirect=True)
def test_sliders_redraw_their_figure(notebook, artifacts):
    page, name = notebook
    expected = slider_figures(name)
    boxes = page.locator(".jp-OutputArea-output .widget-vbox:has(.widget-slider):has(img)")
    assert boxes.count() == len(expected), f"{name}: slider figures rendered"
    for k, specs in enumerate(expected):
        box = boxes.nth(k)
        box.scroll_into_view_if_needed()
        _settle(page, box)
        sliders = box.locator(".widget-slider")
        labels = [sliders.nth(j).locator(".widget-label").inner_text() for j in range(len(specs))]
        assert labels == [s.description for s in specs]
        for j, spec in enumerate(specs):
            slider = sliders.nth(j)
            assert _readout(slider) == spec.readouts[spec.start]
            position = _move_by_keyboard(page, box, slider, spec, spec.start)
            _move_by_drag(page, box, slider, spec, position)
        with _tall_viewport(page):
            box.screenshot(path=str(artifacts / f"lab-{Path(name).stem}-slider{k + 1}.png"))
