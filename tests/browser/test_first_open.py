"""What a student sees on opening a notebook before anything has run.

The notebooks are the student's copies (tools/student_copy.py, which stores them as
tools/run_notebooks.py does: slider cells as a line of words and their picture), made from
the committed .ipynb, so this does not depend on when the notebooks were last re-executed.
Each is opened twice: as copied (an untrusted notebook, as on the first `make lab`) and
after a save through Lab (a trusted one, where a widget view would be tried and fail).
Lab renders cells lazily: every cell is scrolled to, and its outputs counted and read.
"""

from __future__ import annotations

import json
import secrets
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import local_server  # noqa: E402

sys.path.pop(0)
_free_port = local_server.free_port

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import student_copy  # noqa: E402

sys.path.pop(0)

NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
FOLDERS = {"as-copied": False, "saved": True}  # folder -> saved through Lab (trusted)
NEVER = (
    "Error displaying widget",
    "Loading widget",
    "model not found",
    "SliderFigure(",
    "interactive(",
    "VBox(",
    "HBox(",
)
WORDS = "once the notebook has run"


def _api(url: str, token: str, path: str, body: dict | None = None, method: str = "GET"):
    request = urllib.request.Request(
        f"{url}/api/{path}?token={token}",
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer) if answer.status != 204 else None


@pytest.fixture(scope="module")
def first_open_lab(tmp_path_factory):
    """Lab on a folder holding the student's copies twice: as copied, and saved by Lab."""
    root = tmp_path_factory.mktemp("first-open")
    for folder in FOLDERS:
        student_copy.sync(ROOT / "notebooks", root / folder)
    settings = tmp_path_factory.mktemp("first-open-settings")
    port, token = _free_port(), secrets.token_hex(16)
    command = local_server.lab_command(
        root,
        port,
        token,
        settings,
        f"--NotebookNotary.data_dir={settings}",  # trust signatures stay in the scratch folder
        "--LabApp.expose_app_in_browser=True",  # one page opens every notebook in turn
    )
    with local_server.running(command, port, token, settings / "lab.log") as url:
        for name in NOTEBOOKS:  # what happens when a student saves: Lab signs (trusts) it
            path = f"saved/{name}"
            model = _api(url, token, f"contents/{path}")
            for cell in model["content"]["cells"]:  # as Lab marks code cells it has run
                if cell["cell_type"] == "code":
                    cell["metadata"]["trusted"] = True
            body = {"type": "notebook", "format": "json", "content": model["content"]}
            _api(url, token, f"contents/{path}", body, method="PUT")
            cells = _api(url, token, f"contents/{path}")["content"]["cells"]
            code = [c for c in cells if c["cell_type"] == "code"]
            assert all(c["metadata"].get("trusted") for c in code), f"{path} is not trusted"
        try:
            yield url, token, root
        finally:
            for thread in _SHUTDOWNS:
                thread.join()


_SHUTDOWNS: list[threading.Thread] = []


def _shut_down_kernels(url: str, token: str) -> None:
    """Stop the kernels of the sessions open now; in the background (the server waits ~1 s
    for a kernel to exit, and the next notebook need not)."""
    sessions = [session["id"] for session in _api(url, token, "sessions")]

    def shut_down():
        for session in sessions:
            try:
                _api(url, token, f"sessions/{session}", method="DELETE")
            except urllib.error.HTTPError as error:
                if error.code != 404:  # 404: already gone
                    raise

    _SHUTDOWNS.append(threading.Thread(target=shut_down))
    _SHUTDOWNS[-1].start()


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


# Visit every cell in turn (Lab renders cells lazily), wait until its stored outputs are on
# the page and their images loaded, then read what each output shows.
VISIT = """async wanted => {
    const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
    const seen = [];
    for (const [k, cell] of cells.entries()) {
        cell.scrollIntoView({block: 'center'});
        const t0 = Date.now();
        const rendered = () => {
            const outputs = cell.querySelectorAll('.jp-OutputArea-output');
            const images = [...cell.querySelectorAll('.jp-OutputArea-output img')];
            // Markdown outputs render asynchronously: wait for their text too.
            const filled = [...outputs].every(o => o.innerText.trim() || o.querySelector('img'));
            return outputs.length === wanted[k] && filled && images.every(i => i.complete);
        };
        while (!rendered() && Date.now() - t0 < 20000) {
            await new Promise(resolve => setTimeout(resolve, 50));
        }
        seen.push([...cell.querySelectorAll('.jp-OutputArea-output')].map(o => ({
            mime: o.dataset.mimeType || '',
            text: o.innerText,
            images: [...o.querySelectorAll('img')].map(i => i.naturalWidth),
            widgets: o.querySelectorAll('.jupyter-widgets, .widget-slider').length,
        })));
    }
    return seen;
}"""


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


@pytest.fixture(scope="module")
def lab_page(first_open_lab, browser):
    """One JupyterLab page (loading Lab takes longer than opening a notebook in it)."""
    url, token, _ = first_open_lab
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/lab?token={token}&reset")
    page.wait_for_function("() => window.jupyterapp !== undefined", timeout=90_000)
    page.evaluate("() => window.jupyterapp.restored")
    yield page
    context.close()


@pytest.fixture(scope="module")
def fresh_kernel(first_open_lab):
    """The id of one kernel that runs nothing: each notebook opened before a run connects to
    it, as to the kernel Lab would start for it (one start, not one per notebook)."""
    url, token, _ = first_open_lab
    return _api(url, token, "kernels", {"name": "python3"}, method="POST")["id"]


OPEN = """async ([path, kernel]) => {
    const args = kernel ? {path, kernel: {id: kernel}} : {path};
    window.courseNotebook = await window.jupyterapp.commands.execute('docmanager:open', args);
    await window.courseNotebook.context.ready;
}"""
CLOSE = "() => { window.courseNotebook?.dispose(); window.courseNotebook = undefined; }"
SLIDERS = [
    (name, folder)
    for name in NOTEBOOKS
    for folder in FOLDERS
    # Saving matters only where there are widgets to show.
    if folder == "as-copied" or "widget" in (ROOT / "notebooks" / name).read_text()
]


@pytest.mark.parametrize(("name", "folder"), SLIDERS)
def test_every_figure_shows_before_any_run(
    first_open_lab, lab_page, fresh_kernel, artifacts, name, folder
):
    _, _, root = first_open_lab
    expected = _expected(root / folder / name)
    page = lab_page
    try:
        page.evaluate(OPEN, [f"{folder}/{name}", fresh_kernel])
        cells = page.locator(".jp-Notebook .jp-Cell")
        page.wait_for_function(
            "n => document.querySelectorAll('.jp-Notebook .jp-Cell').length === n",
            arg=len(expected),
            timeout=60_000,
        )
        seen_cells = page.evaluate(VISIT, [want["outputs"] for want in expected])
        slider_cells = []
        for k, (want, seen) in enumerate(zip(expected, seen_cells, strict=True)):
            where = f"{folder}/{name} cell {k}"
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
        page_text = page.locator(".jp-Notebook").inner_text()
        for sign in NEVER:
            assert sign not in page_text, f"{folder}/{name}: {sign!r} on the page"
        stored = json.loads((ROOT / "notebooks" / name).read_text())
        sliders = sum(
            "application/vnd.jupyter.widget-view+json" in o.get("data", {})
            or "course_utils" in o.get("metadata", {})
            for c in stored["cells"]
            for o in c.get("outputs", [])
        )
        assert len(slider_cells) == sliders, f"{folder}/{name}: a slider cell has no words"
        if slider_cells and folder == "as-copied":  # what a student sees first
            cells.nth(slider_cells[0]).evaluate(SCROLL_AND_PAINT)
            page.screenshot(path=str(artifacts / f"first-open-{Path(name).stem}.png"))
    finally:
        page.evaluate(CLOSE)  # its session stays, on the kernel that runs nothing


RUN_ALL = """async () => {
    const panel = window.courseNotebook;
    await panel.sessionContext.ready;
    await window.jupyterapp.commands.execute('notebook:run-all-cells');
}"""


def test_after_run_all_the_stored_picture_gives_way_to_a_live_slider(first_open_lab, lab_page):
    """The student's copy of 05, run: its slider is a widget again, and moving it redraws."""
    url, token, _ = first_open_lab
    page = lab_page
    try:
        page.evaluate(OPEN, ["as-copied/05_minibatch.ipynb", None])
        dialog = page.locator(".jp-Dialog button:has-text('Select')")
        if dialog.count():
            dialog.first.click()
        page.evaluate(RUN_ALL)
        page.wait_for_function(
            """() => {
                const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
                const status = document.querySelector('.jp-Notebook-ExecutionIndicator');
                return status && status.dataset.status === 'idle'
                    && prompts.length && prompts.every(p => /[0-9]/.test(p.textContent));
            }""",
            timeout=180_000,
        )
        text = page.locator(".jp-Notebook").inner_text()
        assert WORDS not in text, "the stored words stayed after the run"
        for sign in NEVER:
            assert sign not in text, f"{sign!r} after Run All"
        box = page.locator(".jp-OutputArea-output:has(.widget-slider)").first
        box.scroll_into_view_if_needed()
        image = box.locator("img").first
        before = image.get_attribute("src")
        box.locator(".noUi-handle").first.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "([img, old]) => img.src !== old && img.complete && img.naturalWidth > 0",
            arg=[image.element_handle(), before],
            timeout=60_000,
        )
    finally:
        page.evaluate(CLOSE)
        _shut_down_kernels(url, token)
