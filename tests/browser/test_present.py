"""The live presenting route (`make present`): RISE in the classic notebook, sliders working.

The route of the Makefile's `present` target is started on a temporary copy of the
notebooks: nbclassic with RISE's settings from tools/present/. Notebook 05 is run, the
slideshow opened, the batch-size slider found on its slide, dragged, and its figure must
change. Every request the page makes is recorded: none may leave the machine.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import local_server  # noqa: E402

sys.path.pop(0)
_free_port = local_server.free_port

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "tools" / "present"
NOTEBOOK = "05_minibatch.ipynb"
SLIDE = "section.present:not(.stack)"  # the slide on screen (not its vertical stack)
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
LOCAL_SCHEMES = {"data", "blob", "about"}
# Console errors the route is known to print, each about a local file (matched on its URL):
KNOWN_ERROR_URLS = [
    # MathJax 2 (bundled with nbclassic) probes web-font support with an about:blank font.
    re.compile(r"^about:blank$"),
    # RISE asks for optional stylesheets next to the notebook (rise.css, <notebook>.css);
    # there are none, and nbclassic answers with its HTML "not found" page.
    re.compile(r"^http://127\.0\.0\.1:[0-9]+/nbclassic/notebooks/(rise|05_minibatch)\.css$"),
]


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or parts.hostname in LOCAL_HOSTS


def test_make_present_runs_this_route():
    """What this file starts is what `make present` starts."""
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^present:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert recipe, "the Makefile has no `present` target"
    text = recipe.group(1)
    assert "JUPYTER_CONFIG_PATH=$(CURDIR)/tools/present" in text
    assert "jupyter nbclassic" in text
    assert (SETTINGS / "nbconfig" / "rise.json").is_file()


@pytest.fixture(scope="module")
def classic(repo_copy, tmp_path_factory):
    """URL and token of nbclassic serving the copy, with RISE's settings from tools/present/."""
    port, token = _free_port(), secrets.token_hex(16)
    user_config = tmp_path_factory.mktemp("present-user-config")  # not the tester's ~/.jupyter
    env = {
        **os.environ,
        "JUPYTER_CONFIG_PATH": str(SETTINGS),
        "JUPYTER_CONFIG_DIR": str(user_config),
    }
    command = local_server.server_command("nbclassic", repo_copy / "notebooks", port, token)
    log = tmp_path_factory.mktemp("present-log") / "nbclassic.log"
    with local_server.running(command, port, token, log, env=env, timeout=60) as url:
        yield url, token


def test_rise_settings_are_served(classic):
    url, token = classic
    with urllib.request.urlopen(f"{url}/api/config/rise?token={token}", timeout=10) as answer:
        settings = json.load(answer)
    # The default theme ("simple") imports web fonts from the internet; "white" has local ones.
    assert settings["theme"] == "white"


def _run_all(page):
    page.wait_for_selector("#kernel_indicator_icon.kernel_idle_icon", state="attached")
    page.locator("#celllink").click()
    page.locator("#run_all_cells a").click()
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.code_cell .input_prompt')];
            return prompts.length > 0
                && prompts.every(p => /\\[[0-9]+\\]/.test(p.textContent))
                && document.querySelector('#kernel_indicator_icon.kernel_idle_icon');
        }""",
        timeout=240_000,
    )


# In the page: reveal's place (slide and fragment) as text; whether a slide transition (a
# CSS transition in the slideshow: 0.8 s with RISE's "linear") is still running; whether
# MathJax has typeset everything it was given.
PLACE = "() => JSON.stringify(Reveal.getIndices())"
AT_REST = """() => !document.getAnimations().some(a => a instanceof CSSTransition
    && a.playState === 'running' && a.effect?.target?.closest?.('.reveal'))"""
TYPESET = "() => !window.MathJax || !MathJax.Hub || MathJax.Hub.queue.pending === 0"


def _next(page) -> bool:
    """Space: on to the next slide, fragment or sub-slide (false: there is none).

    Returns once reveal is there, its slide possibly still sliding in: what is on it can be
    looked for, but wait for ``AT_REST`` before measuring or photographing it.
    """
    place = page.evaluate(PLACE)
    page.keyboard.press("Space")
    try:
        page.wait_for_function(f"old => ({PLACE})() !== old", arg=place, timeout=10_000)
    except PlaywrightTimeout:
        return False  # the last slide
    return True


def _slider_slide(page, label: str, max_steps: int = 80):
    """Step through the slideshow (Space: next slide, fragment or sub-slide) to the slider;
    returns it on its slide, at rest."""
    for _ in range(max_steps):
        slider = page.locator(f"{SLIDE} .widget-slider:has(.widget-label:text-is('{label}'))")
        if slider.count() and slider.first.is_visible():
            page.wait_for_function(AT_REST)
            return slider.first
        if not _next(page):
            break
    raise AssertionError(f"no slide shows the {label!r} slider")


def _image_shot(page, image) -> bytes:
    image.scroll_into_view_if_needed()
    return page.screenshot(clip=image.bounding_box())


def test_batch_size_slider_moves_in_the_slideshow(browser, classic, artifacts):
    url, token = classic
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    requests, sockets, errors = [], [], []
    context.on("request", lambda r: requests.append(r.url))
    # Nothing may leave the machine; were anything to try, it is refused at once and reported.
    context.route(lambda u: not _is_local(u), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.on(
        "console",
        lambda m: errors.append((m.text, m.location.get("url", ""))) if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: errors.append((f"page error: {e}", "")))
    try:
        # Where `make present` opens the browser: the file list.
        page.goto(f"{url}/nbclassic/tree?token={token}")
        page.wait_for_selector(f"#notebook_list a:has-text('{NOTEBOOK}')")
        page.goto(f"{url}/nbclassic/notebooks/{NOTEBOOK}?token={token}")
        _run_all(page)
        # A front end with a widget manager shows the live widget only: the slider cell's
        # picture (image/png beside the widget view) and its text line stay hidden.
        cell = page.locator(".code_cell:has(.widget-slider)").first
        assert cell.locator(".output_area").count() == 1
        assert cell.locator(".output_png").count() == 0
        assert "SliderFigure" not in cell.inner_text()

        page.locator(".cell").first.click()  # RISE opens at the selected cell
        page.locator("button[data-jupyter-action='RISE:slideshow']").click()
        page.wait_for_selector("body.rise-enabled .reveal .slides section")
        page.wait_for_function(
            f"() => window.Reveal && Reveal.isReady() && ({AT_REST})() && ({TYPESET})()"
        )
        page.screenshot(path=str(artifacts / "present-05-first-slide.png"))
        # Cells tagged slides-hide-input show their output without their code, as on the
        # static decks; every other code cell shows its code.
        cells = page.evaluate(
            """() => Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code').map(c => [
                (c.metadata.tags || []).includes('slides-hide-input'),
                getComputedStyle(c.element.find('.input')[0]).display === 'none',
            ])"""
        )
        assert any(tagged for tagged, _ in cells), f"{NOTEBOOK}: no cell tagged slides-hide-input"
        assert all(tagged == hidden for tagged, hidden in cells), cells
        slider = _slider_slide(page, "batch size")
        slide = page.locator(SLIDE)
        where = page.evaluate("() => location.hash")
        box = slide.locator(".widget-vbox:has(.widget-slider)").first
        image = box.locator("img").first
        readout = slider.locator(".widget-readout")
        before_value, before_source = readout.inner_text(), image.get_attribute("src")
        before_picture = _image_shot(page, image)
        page.screenshot(path=str(artifacts / "present-05-slider-before.png"))

        # Drag the handle (arrow keys would also turn the slide: reveal listens to them).
        handle = slider.locator(".noUi-handle").bounding_box()
        track = slider.locator(".noUi-target").bounding_box()
        y = handle["y"] + handle["height"] / 2
        page.mouse.move(handle["x"] + handle["width"] / 2, y)
        page.mouse.down()
        page.mouse.move(track["x"] + 0.9 * track["width"], y, steps=6)
        page.mouse.up()
        page.wait_for_function(
            "([el, old]) => el.textContent.trim() !== old",
            arg=[readout.element_handle(), before_value],
            timeout=10_000,
        )
        page.wait_for_function(
            "([img, old]) => img.src !== old && img.complete",
            arg=[image.element_handle(), before_source],
            timeout=60_000,
        )
        page.wait_for_selector("#kernel_indicator_icon.kernel_idle_icon", state="attached")
        page.wait_for_timeout(500)
        after_picture = _image_shot(page, image)
        page.screenshot(path=str(artifacts / "present-05-slider-after.png"))

        assert int(readout.inner_text()) > int(before_value)
        assert after_picture != before_picture, "the figure did not change"
        assert page.evaluate("() => location.hash") == where, "the drag turned the slide"
        assert page.locator("body.rise-enabled").count(), "the slideshow closed"
        for _ in range(80):  # on to the first slide with a figure shown without its code
            if page.locator(f"{SLIDE} .slides-hide-input .output_png img").count():
                break
            if not _next(page):
                break
        page.wait_for_function(AT_REST)
        page.screenshot(path=str(artifacts / "present-05-hidden-code.png"))
    finally:
        context.close()
    outside = sorted({u for u in requests + sockets if not _is_local(u)})
    assert not outside, f"requests that leave the machine: {outside}"
    assert any(u.startswith("ws://127.0.0.1") for u in sockets), "no kernel websocket seen"

    def known(text, where):
        urls = [where, *re.findall(r"'([^']+)'", text)]
        return any(k.search(u) for k in KNOWN_ERROR_URLS for u in urls if u)

    unknown = [text for text, where in errors if not known(text, where)]
    assert not unknown, f"console errors: {unknown}"
