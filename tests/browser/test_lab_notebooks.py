"""Every notebook in a real JupyterLab: run all, no errors, widgets render, sliders redraw."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

NOTEBOOKS = sorted(p.name for p in (Path(__file__).parents[2] / "notebooks").glob("[0-9]*.ipynb"))
IDLE = ".jp-Notebook-ExecutionIndicator[data-status='idle']"


def _open_and_run_all(page, lab, name):
    url, token = lab
    page.goto(f"{url}/lab/tree/{name}?token={token}&reset")
    page.wait_for_selector(".jp-Notebook", state="attached")
    select = page.locator(".jp-Dialog button:has-text('Select')")
    if select.count():
        select.first.click()
    page.wait_for_selector(IDLE, state="attached")
    page.locator("div.lm-MenuBar-itemLabel:text-is('Run')").click()
    page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()
    # Running: some prompt shows [*]; done: every code cell has a number and the kernel is idle.
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
            const status = document.querySelector('.jp-Notebook-ExecutionIndicator');
            return prompts.length > 0 && status && status.dataset.status === 'idle'
                && prompts.every(p => /[0-9]/.test(p.textContent) && !p.textContent.includes('*'));
        }""",
        timeout=120_000,
    )


def _scroll_through(page):
    """Lab renders off-screen cells lazily: visit every cell once."""
    cells = page.locator(".jp-Notebook .jp-Cell")
    for k in range(cells.count()):
        cells.nth(k).scroll_into_view_if_needed()


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_in_lab_without_errors(page, lab, artifacts, name):
    _open_and_run_all(page, lab, name)
    _scroll_through(page)
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, errors.first.inner_text()
    text = page.locator(".jp-Notebook").inner_text()
    assert "Traceback" not in text
    assert "Error displaying widget" not in text
    assert "SliderFigure(" not in text and "interactive(" not in text
    page.screenshot(path=str(artifacts / f"lab-{Path(name).stem}.png"), full_page=False)


def _slider_figures(page):
    """Each rendered SliderFigure: its first slider's handle, readout, and the image."""
    boxes = page.locator(".jp-OutputArea-output .widget-vbox:has(.widget-slider):has(img)")
    return [boxes.nth(k) for k in range(boxes.count())]


def _image_source(box):
    return box.locator("img").first.get_attribute("src")


def _wait_for_new_image(page, box, before):
    image = box.locator("img").first
    page.wait_for_function(
        "([img, old]) => img.src !== old", arg=[image.element_handle(), before], timeout=30_000
    )


WIDGET_NOTEBOOKS = [
    "01_data.ipynb",
    "02_model.ipynb",
    "04_landscape.ipynb",
    "05_minibatch.ipynb",
    "06_sgd.ipynb",
]


@pytest.mark.parametrize("name", [n for n in WIDGET_NOTEBOOKS if n in NOTEBOOKS])
def test_sliders_redraw_their_figure(page, lab, artifacts, name):
    _open_and_run_all(page, lab, name)
    _scroll_through(page)
    figures = _slider_figures(page)
    assert figures, "no slider figure rendered"
    for box in figures:
        box.scroll_into_view_if_needed()
        sliders = box.locator(".widget-slider")
        for k in range(sliders.count()):
            slider = sliders.nth(k)
            readout = slider.locator(".widget-readout")
            handle = slider.locator(".noUi-handle")
            # keyboard
            before_image, before_value = _image_source(box), readout.inner_text()
            handle.focus()
            handle.press("ArrowLeft" if k % 2 else "ArrowRight")
            page.wait_for_function(
                "([el, old]) => el.textContent.trim() !== old",
                arg=[readout.element_handle(), before_value.strip()],
            )
            _wait_for_new_image(page, box, before_image)
            # mouse drag
            before_image, before_value = _image_source(box), readout.inner_text()
            bounds = handle.bounding_box()
            track = slider.locator(".noUi-target").bounding_box()
            x, y = bounds["x"] + bounds["width"] / 2, bounds["y"] + bounds["height"] / 2
            target = (
                track["x"]
                + (0.15 if x > track["x"] + track["width"] / 2 else 0.85) * track["width"]
            )
            page.mouse.move(x, y)
            page.mouse.down()
            page.mouse.move(target, y, steps=8)
            page.mouse.up()
            page.wait_for_function(
                "([el, old]) => el.textContent.trim() !== old",
                arg=[readout.element_handle(), before_value.strip()],
            )
            _wait_for_new_image(page, box, before_image)
    page.wait_for_selector(IDLE, state="attached")
    figures[0].scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"lab-{Path(name).stem}-slider.png"))
