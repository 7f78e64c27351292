"""Every slider of every notebook, as a person feels it: key press -> redrawn figure in JupyterLab.

Run: ``python bench/browser_sliders.py [--moves 12] [NN_name.ipynb ...]`` (``make bench`` runs it).

JupyterLab serves a temporary copy of the notebooks (outputs cleared) on 127.0.0.1; Debian's
Chromium opens each notebook, runs all its cells, and finds every slider figure on the page (a
widget box holding sliders and an image), so a new slider is measured without editing this
file. Each slider's handle gets the keyboard focus and up to ``--moves`` arrow-key presses,
all towards the farther end of its range, so every move reaches a value not shown before (a
slider figure keeps the pictures it has drawn: a revisit costs no drawing and would flatter
the figures). After a move the kernel draws the pictures one step away while it idles, so a
step is what a student stepping with the keys feels; a jump is not drawn ahead: then one
``Home`` or ``End`` press jumps to the other end of the range, when it is a value not shown
before, and its time is reported on its own (one jump per slider). A MutationObserver on the
figure's ``img`` records when its ``src`` changes; a move's time runs from the ``keydown``
event to the figure's last change, taken once the kernel is idle and the figure has not
changed for ``QUIET_MS``. The time to the decoded picture (``img.decode()``) is kept too.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _browser import ROOT, chromium, copy_notebooks, jupyterlab  # noqa: E402

IDLE = ".jp-Notebook-ExecutionIndicator[data-status='idle']"
BOXES = ".jp-OutputArea-output .widget-vbox:has(.widget-slider):has(img)"
QUIET_MS = 300  # a move is over once the figure has not changed for this long
MOVE_TIMEOUT_MS = 30_000

# Installed once per page: the time of every keydown, every change of an observed image's
# src, and when each new picture finished decoding.
INSTRUMENT = """() => {
    if (window.__bench) return;
    window.__bench = {key: 0, changes: [], decoded: []};
    document.addEventListener('keydown', () => { window.__bench.key = performance.now(); }, true);
}"""
OBSERVE = """(box) => {
    if (window.__benchObserver) window.__benchObserver.disconnect();
    const record = (img) => {
        window.__bench.changes.push(performance.now());
        img.decode().then(() => window.__bench.decoded.push(performance.now()), () => {});
    };
    window.__benchObserver = new MutationObserver((mutations) => {
        for (const m of mutations) {
            if (m.type === 'attributes' && m.target.tagName === 'IMG') record(m.target);
            for (const node of m.addedNodes || []) {
                if (node.tagName === 'IMG') record(node);
            }
        }
    });
    window.__benchObserver.observe(box, {
        subtree: true, childList: true, attributes: true, attributeFilter: ['src'],
    });
}"""
MOVE_DONE = """([quiet, idle]) => {
    const b = window.__bench;
    const after = b.changes.filter((t) => t >= b.key);
    return after.length > 0 && document.querySelector(idle) !== null
        && performance.now() - after[after.length - 1] >= quiet;
}"""
MOVE_TIME = """() => {
    const b = window.__bench;
    const after = b.changes.filter((t) => t >= b.key);
    const decoded = b.decoded.filter((t) => t >= b.key);
    return [after[after.length - 1] - b.key,
            decoded.length ? decoded[decoded.length - 1] - b.key : null, after.length];
}"""


@dataclass
class SliderTiming:
    notebook: str
    figure: int  # 1-based, in page order
    slider: str  # its label
    times_ms: list[float] = field(default_factory=list)  # key press -> last src change
    decoded_ms: list[float] = field(default_factory=list)  # key press -> last picture decoded
    images_per_move: list[int] = field(default_factory=list)
    jump_ms: float | None = None  # Home/End to the far end, never drawn ahead
    error: str | None = None

    @property
    def median(self) -> float:
        return float(np.median(self.times_ms)) if self.times_ms else float("nan")

    @property
    def p90(self) -> float:
        return float(np.percentile(self.times_ms, 90)) if self.times_ms else float("nan")

    @property
    def name(self) -> str:
        return f"{self.notebook[:2]} {self.slider}"


def _sessions(lab) -> list:
    url, token = lab
    with urllib.request.urlopen(f"{url}/api/sessions?token={token}", timeout=10) as answer:
        return json.load(answer)


def _shut_down_kernels(lab) -> None:
    """Free the two cores for the next notebook."""
    url, token = lab
    for session in _sessions(lab):
        request = urllib.request.Request(
            f"{url}/api/sessions/{session['id']}?token={token}", method="DELETE"
        )
        urllib.request.urlopen(request, timeout=10).close()


def _open_and_run_all(page, lab, name: str) -> None:
    url, token = lab
    page.goto(f"{url}/lab/tree/{name}?token={token}&reset")
    page.wait_for_selector(".jp-Notebook", state="attached")
    deadline = time.monotonic() + 120
    while True:  # Lab may ask which kernel to use; then wait for the kernel to be idle
        select = page.locator(".jp-Dialog button:has-text('Select')")
        if select.count() and select.first.is_visible():
            select.first.click()
        else:
            states = [
                s["kernel"].get("execution_state")
                for s in _sessions(lab)
                if s["path"].endswith(name) and s.get("kernel")
            ]
            if states == ["idle"] and page.locator(IDLE).count():
                break
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name}: the kernel did not start")
        time.sleep(0.3)
    page.locator("div.lm-MenuBar-itemLabel:text-is('Run')").click()
    page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
            const status = document.querySelector('.jp-Notebook-ExecutionIndicator');
            return status && status.dataset.status === 'idle'
                && prompts.some(p => /[0-9]/.test(p.textContent))
                && !prompts.some(p => p.textContent.includes('*'));
        }""",
        timeout=300_000,
    )
    cells = page.locator(".jp-Notebook .jp-Cell")  # Lab renders off-screen cells lazily
    for k in range(cells.count()):
        cells.nth(k).scroll_into_view_if_needed()


def _settle(page, box, timeout=60.0) -> None:
    """Wait until the kernel is idle and the figure has stopped changing."""
    image = box.locator("img").first
    source = image.get_attribute("src")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page.wait_for_selector(IDLE, state="attached")
        time.sleep(QUIET_MS / 1000)
        now = image.get_attribute("src")
        if now == source and page.locator(IDLE).count():
            return
        source = now
    raise RuntimeError("the figure kept changing")


def _measure_slider(page, box, slider, timing: SliderTiming, moves: int) -> None:
    handle = slider.locator(".noUi-handle").first
    low = float(handle.get_attribute("aria-valuemin"))
    high = float(handle.get_attribute("aria-valuemax"))
    now = float(handle.get_attribute("aria-valuenow"))
    step = 1 if high - now >= now - low else -1
    if low == high:
        timing.error = "a single position"
        return
    slider.scroll_into_view_if_needed()
    for _ in range(moves):
        handle.focus()
        handle.press("ArrowRight" if step > 0 else "ArrowLeft")
        last, decoded, count = _finished_move(page)
        timing.times_ms.append(round(last, 1))
        if decoded is not None:
            timing.decoded_ms.append(round(decoded, 1))
        timing.images_per_move.append(count)
        if float(handle.get_attribute("aria-valuenow")) in (low, high):
            break  # the end of the range: further moves would revisit values
    other_end = low if step > 0 else high  # not shown yet unless the slider started there
    if now != other_end != float(handle.get_attribute("aria-valuenow")):
        handle.focus()
        handle.press("Home" if step > 0 else "End")
        timing.jump_ms = round(_finished_move(page)[0], 1)


def _finished_move(page) -> tuple:
    """(ms to the last picture, ms to its decoding or None, pictures shown) of a key press."""
    page.wait_for_function(MOVE_DONE, arg=[QUIET_MS, IDLE], timeout=MOVE_TIMEOUT_MS)
    return page.evaluate(MOVE_TIME)


def measure_notebook(browser, lab, name: str, moves: int) -> list[SliderTiming]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    timings: list[SliderTiming] = []
    try:
        _open_and_run_all(page, lab, name)
        page.evaluate(INSTRUMENT)
        boxes = page.locator(BOXES)
        for k in range(boxes.count()):
            box = boxes.nth(k)
            box.scroll_into_view_if_needed()
            _settle(page, box)
            box.element_handle().evaluate(OBSERVE)
            sliders = box.locator(".widget-slider")
            for j in range(sliders.count()):
                slider = sliders.nth(j)
                label = slider.locator(".widget-label").inner_text().strip()
                timing = SliderTiming(name, k + 1, label)
                timings.append(timing)
                try:
                    _measure_slider(page, box, slider, timing, moves)
                except Exception as error:  # noqa: BLE001 - reported, the others still measured
                    timing.error = f"{type(error).__name__}: {str(error).splitlines()[0]}"
                    _settle(page, box)
    finally:
        context.close()
        _shut_down_kernels(lab)
    return timings


def measure(notebooks: list[str] | None = None, moves: int = 12, log=print) -> list[SliderTiming]:
    """Every slider of ``notebooks`` (default: all), in a fresh Lab on a copy of the repository."""
    names = notebooks or sorted(p.name for p in (ROOT / "notebooks").glob("[0-9]*.ipynb"))
    timings: list[SliderTiming] = []
    with tempfile.TemporaryDirectory(prefix="bench-lab-") as folder:
        copy_notebooks(Path(folder))
        with jupyterlab(Path(folder)) as lab, chromium() as browser:
            for name in names:
                start = time.perf_counter()
                try:
                    found = measure_notebook(browser, lab, name, moves)
                except Exception as error:  # noqa: BLE001 - one broken notebook, the rest measured
                    found = [SliderTiming(name, 0, "(notebook)", error=str(error)[:200])]
                timings += found
                log(f"  {name}: {len(found)} sliders in {time.perf_counter() - start:.0f} s")
    return timings


def table(timings: list[SliderTiming], target_ms: float = 100) -> str:
    lines = [
        f"| slider | steps | median | p90 | max | p90 to decoded | p90 ≤ {target_ms:.0f} ms "
        "| jump (Home/End) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for t in timings:
        if t.error or not t.times_ms:
            lines.append(f"| {t.name} | 0 | – | – | – | – | error: {t.error} | – |")
            continue
        decoded = f"{np.percentile(t.decoded_ms, 90):.0f} ms" if t.decoded_ms else "–"
        jump = f"{t.jump_ms:.0f} ms" if t.jump_ms is not None else "–"
        lines.append(
            f"| {t.name} (figure {t.figure}) | {len(t.times_ms)} | {t.median:.0f} ms | "
            f"{t.p90:.0f} ms | {max(t.times_ms):.0f} ms | {decoded} | "
            f"{'yes' if t.p90 <= target_ms else 'no'} | {jump} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="notebook file names (default: all)")
    parser.add_argument("--moves", type=int, default=12)
    parser.add_argument("--json", type=Path, help="also write the raw timings here")
    options = parser.parse_args()
    timings = measure(options.notebooks, options.moves)
    print(table(timings))
    if options.json:
        options.json.write_text(json.dumps([asdict(t) for t in timings], indent=1))


if __name__ == "__main__":
    main()
