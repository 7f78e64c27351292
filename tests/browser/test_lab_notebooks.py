"""Every notebook in a real JupyterLab, as a student gets it: what it shows before any run,
then Run All with no errors, widgets rendered, sliders redrawing their figure.

The notebooks are the student's copies (tools/student_copy.py, what `make lab` serves), made
from the committed .ipynb, so this does not depend on when the notebooks were last
re-executed. One Lab server and one page serve all of it. Per notebook, on one kernel that
has run nothing yet, the copy is opened as copied (untrusted, as on the first `make lab`) and
read, then run (Run All, from the menu); every test below looks at that page. One notebook
with sliders is first opened as a student's save leaves it (trusted, where Lab would try a
stored widget view and fail).

What to expect is read from the stored notebooks (which outputs are pictures, which cells
display a slider figure, its sliders' descriptions and values), so a new notebook or slider is
covered without editing this file.
"""

from __future__ import annotations

import json
import secrets
import sys
import threading
import time
import urllib.error
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import local_server  # noqa: E402
import student_copy  # noqa: E402

sys.path.pop(0)

pytestmark = pytest.mark.browser

NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(p.name for p in NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
FOLDERS = ("as-copied", "saved")  # the copies as made, and as Lab saves one (trusted)
IDLE = ".jp-Notebook-ExecutionIndicator[data-status='idle']"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
SLIDER_MODELS = ("IntSliderModel", "FloatSliderModel", "SelectionSliderModel")
# Never on the page: a widget shown as its text repr, or a view that found no model.
NEVER = (
    "Error displaying widget",
    "Loading widget",
    "model not found",
    "SliderFigure(",
    "interactive(",
    "VBox(",
    "HBox(",
)
WORDS = "once the notebook has run"  # what a stored slider cell says before a run


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
SAVED = WITH_SLIDERS[0]  # also opened as a student's save leaves it: below


# In the page: "dialog" when Lab asks which kernel to use, "idle" once the notebook's kernel
# is connected and idle (and the toolbar says so), else nothing (polled every frame).
KERNEL = f"""() => {{
    const select = [...document.querySelectorAll('.jp-Dialog button')]
        .find(b => b.textContent.includes('Select') && b.offsetParent !== null);
    if (select) return 'dialog';
    const kernel = window.courseNotebook?.sessionContext?.session?.kernel;
    const shown = document.querySelector("{IDLE}");
    return kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle'
        && shown ? 'idle' : false;
}}"""


def _wait_for_kernel(page, name, timeout=90):
    """Lab may ask which kernel to use (it restores a workspace): answer, then wait for idle."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = page.wait_for_function(KERNEL, timeout=1000 * (deadline - time.monotonic()))
        except PlaywrightTimeout:
            break
        if state.json_value() == "idle":
            return
        page.locator(".jp-Dialog button:has-text('Select')").first.click()
    raise AssertionError(f"{name}: the kernel did not start")


_api = local_server.api


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """URL, token and root of a JupyterLab serving the student's copies twice: as copied, and
    as Lab saves them (one of them is saved); stopped at the end of this file whatever happens
    (an idle Lab and its page would keep polling through later tests)."""
    root = tmp_path_factory.mktemp("student")
    for folder in FOLDERS:
        student_copy.sync(ROOT / "notebooks", root / folder)
    settings = tmp_path_factory.mktemp("lab-settings")
    port, token = local_server.free_port(), secrets.token_hex(16)
    command = local_server.lab_command(
        root,
        port,
        token,
        settings,
        f"--NotebookNotary.data_dir={settings}",  # trust signatures stay in the scratch folder
        "--LabApp.expose_app_in_browser=True",  # one page opens every notebook in turn
    )
    with local_server.running(command, port, token, settings / "lab.log", timeout=60) as url:
        # What happens when a student saves: Lab marks the code cells it ran, and signs
        # (trusts) the notebook.
        path = f"saved/{SAVED}"
        model = _api(url, token, f"contents/{path}")
        for cell in model["content"]["cells"]:
            if cell["cell_type"] == "code":
                cell["metadata"]["trusted"] = True
        body = {"type": "notebook", "format": "json", "content": model["content"]}
        _api(url, token, f"contents/{path}", body, method="PUT")
        cells = _api(url, token, f"contents/{path}")["content"]["cells"]
        code = [c for c in cells if c["cell_type"] == "code"]
        assert all(c["metadata"].get("trusted") for c in code), f"{path} is not trusted"
        yield url, token, root


def _expected(path: Path) -> list[dict]:
    """Per cell of the stored copy: how many outputs, and which are pictures / slider words."""
    cells = []
    for cell in json.loads(path.read_text())["cells"]:
        outputs = cell.get("outputs", [])
        data = [  # a saved notebook may store text as a list of lines
            {m: "".join(v) if isinstance(v, list) else v for m, v in o.get("data", {}).items()}
            for o in outputs
        ]
        cells.append(
            {
                "outputs": len(outputs),
                "pictures": [
                    k for k, d in enumerate(data) if set(d) == {"image/png", "text/plain"}
                ],
                "words": [k for k, d in enumerate(data) if WORDS in d.get("text/markdown", "")],
            }
        )
    return cells


# In the page: wait until every cell shows its stored outputs (markdown outputs render
# asynchronously: their text too) and their images are loaded, then read what each output
# shows. Read from the page as Lab builds it (text content, not rendered text): in Lab's
# default windowing ("contentVisibility") every cell is in the page, and the browser only
# skips painting those out of view, so nothing needs scrolling to.
READ_STORED = """async wanted => {
    const cells = () => [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
    const ready = () => cells().every((cell, k) => {
        const outputs = cell.querySelectorAll('.jp-OutputArea-output');
        const images = [...cell.querySelectorAll('.jp-OutputArea-output img')];
        const filled = [...outputs].every(o => o.textContent.trim() || o.querySelector('img'));
        return outputs.length === wanted[k] && filled && images.every(i => i.complete);
    });
    const t0 = Date.now();
    while (!ready() && Date.now() - t0 < 20000) {
        await new Promise(resolve => setTimeout(resolve, 50));
    }
    return cells().map(cell => [...cell.querySelectorAll('.jp-OutputArea-output')].map(o => ({
        mime: o.dataset.mimeType || '',
        text: o.textContent,
        images: [...o.querySelectorAll('img')].map(i => i.naturalWidth),
        widgets: o.querySelectorAll('.jupyter-widgets, .widget-slider').length,
    })));
}"""
TEXT = "selector => [...document.querySelectorAll(selector)].map(e => e.textContent).join('\\n')"


# In the page: scroll the cell to the top, wait until every picture in view is loaded, and
# let the browser draw two frames there.
SCROLL_AND_PAINT = """async cell => {
    const frame = () => new Promise(resolve => requestAnimationFrame(() => resolve()));
    cell.scrollIntoView({block: 'start'});
    const inView = i => {
        const r = i.getBoundingClientRect();
        return r.bottom > 0 && r.top < innerHeight;
    };
    const t0 = Date.now();
    while (![...document.querySelectorAll('.jp-Notebook img')].filter(inView)
            .every(i => i.complete) && Date.now() - t0 < 20000) {
        await frame();
    }
    await frame();
    await frame();
}"""


OPEN = """async ([path, kernel]) => {
    const args = kernel ? {path, kernel: {id: kernel}} : {path};
    window.courseNotebook = await window.jupyterapp.commands.execute('docmanager:open', args);
    await window.courseNotebook.context.ready;
}"""
CLOSE = "() => { window.courseNotebook?.dispose(); window.courseNotebook = undefined; }"
KERNEL_ID = "() => window.courseNotebook.sessionContext.session.kernel.id"
# From now on, count the code cells the open notebook's kernel is asked to run (it echoes each
# request's code on iopub). A copy keeps its stored prompts and outputs until each cell runs
# again, and the numbers a run writes are the stored ones: only the kernel can tell.
COUNT_RUNS = """() => {
    const kernel = window.courseNotebook.sessionContext.session.kernel;
    window.courseRuns = 0;
    kernel.iopubMessage.connect((_, message) => {
        if (message.header.msg_type === 'execute_input') window.courseRuns += 1;
    });
}"""
# Running: queued cells show [*]. Finished, or stopped at an error: no [*], the kernel idle.
RUN_OVER = """cells => {
    const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
    const status = document.querySelector('.jp-Notebook-ExecutionIndicator');
    const error = "application/vnd.jupyter.stderr";
    const failed = document.querySelector(`.jp-OutputArea-output[data-mime-type='${error}']`);
    return status && status.dataset.status === 'idle'
        && !prompts.some(p => p.textContent.includes('*'))
        && (window.courseRuns >= cells || failed !== null);
}"""


# In the page: how many outputs of the open notebook's code cells are widget views.
WIDGET_VIEWS = f"""() => {{
    const cells = window.courseNotebook.content.model.cells;
    let views = 0;
    for (let i = 0; i < cells.length; i++) {{
        const outputs = cells.get(i).outputs;
        for (let k = 0; outputs && k < outputs.length; k++) {{
            if (outputs.get(k).data["{WIDGET_VIEW}"]) views += 1;
        }}
    }}
    return views;
}}"""


def _folders(name: str) -> list[str]:
    """The copies of ``name`` to open: the saved one first, then the one as copied, which is
    then run. Saved (trusted), Lab would try a stored widget view: one notebook with sliders
    shows that it finds none (tests/test_student_copy.py checks every notebook's stored form)."""
    return ["saved", "as-copied"] if name == SAVED else ["as-copied"]


def _code_cells(path: Path) -> int:
    return sum(cell["cell_type"] == "code" for cell in json.loads(path.read_text())["cells"])


def _read_stored(page, path: str, expected: list[dict]) -> tuple[list, str]:
    """Per cell of the notebook open at ``path``: what each output shows; and the page's text."""
    page.wait_for_function(
        "n => document.querySelectorAll('.jp-Notebook .jp-Cell').length === n",
        arg=len(expected),
        timeout=60_000,
    )
    seen = page.evaluate(READ_STORED, [want["outputs"] for want in expected])
    return seen, page.evaluate(TEXT, ".jp-Notebook")


def _run_all(page, name: str, code_cells: int) -> None:
    """Run All from the Run menu, as a student does; returns once every code cell has run."""
    page.evaluate(COUNT_RUNS)
    page.locator("div.lm-MenuBar-itemLabel:text-is('Run')").click()
    page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()
    page.wait_for_function(RUN_OVER, arg=code_cells, timeout=120_000)
    runs = page.evaluate("() => window.courseRuns")
    assert runs == code_cells, f"{name}: {runs} of {code_cells} code cells ran (an error?)"


def _shut_down_kernels(lab) -> threading.Thread:
    """Free the two cores for the next notebook: stop the kernels of the sessions open now.

    In the background (returned, started): the server waits ~1 s for a kernel to exit, and
    the next notebook need not.
    """
    url, token, _ = lab
    sessions = [session["id"] for session in _api(url, token, "sessions")]

    def shut_down():
        for session in sessions:
            try:
                _api(url, token, f"sessions/{session}", method="DELETE")
            except urllib.error.HTTPError as error:
                if error.code != 404:  # 404: already gone
                    raise

    thread = threading.Thread(target=shut_down)
    thread.start()
    return thread


class _SpareKernel:
    """A kernel started ahead, in the background, for the next notebook to run on.

    Lab would start one on opening the notebook and wait for it (~2 s of the notebook's
    time); started while the previous notebook's sliders are tried, it is ready on opening.
    It has run nothing: Run All in Lab runs every cell on it, as on a kernel Lab started.
    """

    def __init__(self, lab, kernel_name: str = "python3"):
        self.lab, self.kernel_name = lab, kernel_name
        self._id: str | None = None
        self._error: Exception | None = None
        self._thread = threading.Thread(target=self._start)
        self._thread.start()

    def _start(self):
        url, token, _ = self.lab
        try:
            self._id = _api(url, token, "kernels", {"name": self.kernel_name}, "POST")["id"]
        except OSError as error:  # raised in the test that takes the kernel
            self._error = error

    def take(self) -> str:
        """The kernel's id, once started."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._id

    def shut_down(self):
        url, token, _ = self.lab
        _api(url, token, f"kernels/{self.take()}", method="DELETE")


def _kernel_name(name: str) -> str:
    return json.loads((NOTEBOOK_DIR / name).read_text())["metadata"]["kernelspec"]["name"]


@pytest.fixture(scope="module")
def lab_page(browser, lab):
    """One JupyterLab page, where every notebook is opened in turn (loading Lab takes longer
    than running most notebooks); with the threads stopping kernels and the spare kernel."""
    url, token, _ = lab
    spare = [_SpareKernel(lab)]  # starts while Lab loads
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{url}/lab?token={token}&reset")
    page.wait_for_function("() => window.jupyterapp !== undefined", timeout=90_000)
    page.evaluate("() => window.jupyterapp.restored")
    shutdowns: list[threading.Thread] = []
    yield page, shutdowns, spare
    for thread in shutdowns:
        thread.join()
    if spare:
        spare.pop().shut_down()
    context.close()


@dataclass
class Opened:
    """A notebook open in the Lab page, run; and what its copies showed before the run."""

    page: object
    name: str
    # folder -> (per cell of the copy: what it should show, what each output showed), the text
    before: dict[str, tuple[list[dict], list[list[dict]], str]]


@pytest.fixture(scope="module")
def notebook(request, lab_page, lab, artifacts):
    """The page with notebook ``request.param`` open in Lab, every cell run; first, on the
    kernel it then runs on, its copies (as saved, where opened, and as copied) are read."""
    page, shutdowns, spare = lab_page
    name = request.param
    root = lab[2]
    kernel = None
    if spare and spare[0].kernel_name == _kernel_name(name):
        kernel = spare.pop().take()
    before = {}
    try:
        for folder in _folders(name):
            if before:
                page.evaluate(CLOSE)  # its session stays, on the kernel that has run nothing
            path = f"{folder}/{name}"
            page.evaluate(OPEN, [path, kernel])
            page.wait_for_selector(".jp-Notebook", state="attached")
            _wait_for_kernel(page, name)
            kernel = kernel or page.evaluate(KERNEL_ID)
            expected = _expected(root / path)
            before[folder] = (expected, *_read_stored(page, path, expected))
        words = [k for k, want in enumerate(expected) if want["words"]]
        if words:  # what a student sees first: the first slider cell, before a run
            page.locator(".jp-Notebook .jp-Cell").nth(words[0]).evaluate(SCROLL_AND_PAINT)
            page.screenshot(path=str(artifacts / f"first-open-{Path(name).stem}.png"))
        _run_all(page, name, _code_cells(root / path))
        if not spare and name != NOTEBOOKS[-1]:  # the notebooks are opened in order
            spare.append(_SpareKernel(lab))  # for the next notebook
        yield Opened(page, name, before)
    finally:
        page.evaluate(CLOSE)  # closed unsaved: the copy on disk keeps its stored outputs
        shutdowns.append(_shut_down_kernels(lab))


@pytest.mark.parametrize("notebook", NOTEBOOKS, indirect=True)
def test_every_figure_shows_before_any_run(notebook):
    for folder, (expected, seen_cells, text) in notebook.before.items():
        path = f"{folder}/{notebook.name}"
        slider_cells = []
        for k, (want, seen) in enumerate(zip(expected, seen_cells, strict=True)):
            where = f"{path} cell {k}"
            assert len(seen) == want["outputs"], f"{where}: {len(seen)} outputs shown"
            for output in seen:
                # A trusted notebook with stored widget state shows the (dead) widget itself.
                assert output["mime"] and not output["widgets"], f"{where}: a widget: {output}"
                assert not output["mime"].startswith("application/vnd.jupyter.widget"), where
                for sign in NEVER:
                    assert sign not in output["text"], f"{where}: {sign!r} on the page"
            for index in want["pictures"]:
                assert seen[index]["mime"] == "image/png", f"{where}: {seen[index]}"
                assert seen[index]["images"] and seen[index]["images"][0] > 0, f"{where}: no image"
            for index in want["words"]:
                assert seen[index]["mime"] == "text/markdown", f"{where}: {seen[index]}"
                assert WORDS in seen[index]["text"], f"{where}: the words are not shown"
                assert any(s["images"] for s in seen[index + 1 :]), f"{where}: words, no picture"
                slider_cells.append(k)
        for sign in NEVER:
            assert sign not in text, f"{path}: {sign!r} on the page"
        stored = json.loads((NOTEBOOK_DIR / notebook.name).read_text())
        sliders = sum(
            WIDGET_VIEW in o.get("data", {}) or "course_utils" in o.get("metadata", {})
            for c in stored["cells"]
            for o in c.get("outputs", [])
        )
        assert len(slider_cells) == sliders, f"{path}: a slider cell has no words"


# After a jump: the first cell's input is on screen and every picture in view is loaded
# (Lab paints the cells back in), then two frames are drawn.
PAINTED = """async () => {
    const frame = () => new Promise(resolve => requestAnimationFrame(() => resolve()));
    const first = document.querySelector('.jp-Notebook .jp-Cell .jp-InputArea');
    const inView = i => {
        const r = i.getBoundingClientRect();
        return r.bottom > 0 && r.top < innerHeight;
    };
    while (!(first && first.getBoundingClientRect().height > 0
             && [...document.querySelectorAll('.jp-Notebook img')]
                .filter(inView).every(i => i.complete))) {
        await frame();
    }
    await frame();
    await frame();
}"""


@pytest.mark.parametrize("notebook", NOTEBOOKS, indirect=True)
def test_notebook_runs_in_lab_without_errors(notebook, artifacts):
    page, name = notebook.page, notebook.name
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, errors.first.inner_text()
    text = page.evaluate(TEXT, ".jp-Notebook .jp-OutputArea")
    # WORDS: a stored slider cell's words stayed instead of giving way to the live slider
    for sign in ("Traceback", WORDS, *NEVER):
        assert sign not in text, f"{name}: {sign!r} in an output"
    # Every widget view the kernel sent is drawn as a widget (Lab's widget outputs carry no
    # data-mime-type: they are counted in the notebook's model, and found by their class).
    views = page.evaluate(WIDGET_VIEWS)
    assert views >= len(slider_figures(name)), f"{name}: {views} widget views"
    rendered = page.locator(".jp-Notebook .jp-OutputArea-output:has(.jupyter-widgets)").count()
    assert rendered == views, f"{name}: {rendered} of {views} widgets rendered"
    assert page.locator(".jp-Notebook .jp-OutputArea-output img").count(), f"{name}: no figure"
    stem = Path(name).stem
    first = page.locator(".jp-Notebook .jp-Cell").first
    first.scroll_into_view_if_needed()
    first.locator(".jp-InputArea").wait_for(state="visible")
    page.evaluate(PAINTED)
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


# In the page: wait until the kernel is idle and the figure has not changed for ``quiet`` ms
# (sampled every 50 ms), the picture loaded; true, or false after ``timeout`` ms.
SETTLE = f"""async (img, [quiet, timeout]) => {{
    const idle = () => document.querySelector("{IDLE}") !== null;
    const t0 = performance.now();
    let source = img.src, since = t0;
    while (performance.now() - t0 < timeout) {{
        await new Promise(resolve => setTimeout(resolve, 50));
        if (img.src !== source || !idle() || !img.complete) {{
            source = img.src;
            since = performance.now();
        }} else if (performance.now() - since >= quiet) {{
            return true;
        }}
    }}
    return false;
}}"""


def _settle(box, quiet=300, timeout=60):
    """Wait until the kernel is idle and the figure has stopped changing."""
    image = box.locator("img").first
    if not image.evaluate(SETTLE, [quiet, timeout * 1000]):
        raise AssertionError("the figure kept changing")


def _picture(box) -> bytes:
    """What the student sees of the figure (a screenshot of the image element)."""
    box.locator("img").first.wait_for()
    return box.locator("img").first.screenshot()


def _expect_redraw(page, box, readout, expected, before_source, before_picture, how) -> bytes:
    """The readout shows one of ``expected``, and the figure shows a new picture (returned)."""
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
    _settle(box)
    picture = _picture(box)
    assert picture != before_picture, f"{how}: the figure did not change"
    return picture


def _readout(slider) -> str:
    """The readout's text (d3-format writes a minus sign; the notebook's format a hyphen)."""
    return slider.locator(".widget-readout").inner_text().strip().replace("\u2212", "-")


def _move_by_keyboard(page, box, slider, spec, position, picture):
    """One step with an arrow key (leftwards at the end of the track).

    ``picture`` is the figure as it is now (settled); returns the new position and picture.
    """
    step = 1 if position < len(spec.readouts) - 1 else -1
    readout = slider.locator(".widget-readout")
    source = box.locator("img").first.get_attribute("src")
    slider.scroll_into_view_if_needed()
    slider.locator(".noUi-handle").focus()
    slider.locator(".noUi-handle").press("ArrowRight" if step > 0 else "ArrowLeft")
    expected = [spec.readouts[position + step]]
    how = f"{spec.description} key"
    picture = _expect_redraw(page, box, readout, expected, source, picture, how)
    return position + step, picture


def _move_by_drag(page, box, slider, spec, position, picture):
    """Drag the handle to the far side of the track; returns the new position and picture."""
    readout = slider.locator(".widget-readout")
    source = box.locator("img").first.get_attribute("src")
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
    how = f"{spec.description} drag"
    picture = _expect_redraw(page, box, readout, list(side), source, picture, how)
    return spec.readouts.index(_readout(slider)), picture


@pytest.mark.parametrize("notebook", WITH_SLIDERS, indirect=True)
def test_sliders_redraw_their_figure(notebook, artifacts):
    page, name = notebook.page, notebook.name
    expected = slider_figures(name)
    boxes = page.locator(".jp-OutputArea-output .widget-vbox:has(.widget-slider):has(img)")
    assert boxes.count() == len(expected), f"{name}: slider figures rendered"
    for k, specs in enumerate(expected):
        box = boxes.nth(k)
        box.scroll_into_view_if_needed()
        _settle(box)
        # Settled, the figure changes only when a slider moves: each move's new picture is
        # the next move's picture before.
        picture = _picture(box)
        sliders = box.locator(".widget-slider")
        labels = [sliders.nth(j).locator(".widget-label").inner_text() for j in range(len(specs))]
        assert labels == [s.description for s in specs]
        for j, spec in enumerate(specs):
            slider = sliders.nth(j)
            assert _readout(slider) == spec.readouts[spec.start]
            position, picture = _move_by_keyboard(page, box, slider, spec, spec.start, picture)
            _, picture = _move_by_drag(page, box, slider, spec, position, picture)
        with _tall_viewport(page):
            box.screenshot(path=str(artifacts / f"lab-{Path(name).stem}-slider{k + 1}.png"))
