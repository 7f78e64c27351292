"""The static site: a page per notebook in order, offline, maths rendered, sliders animated."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
STEMS = [p.stem for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))]
# Notebook -> the number of values of the slider its static animation steps through.
ANIMATION_FRAMES = {
    "01_data": [17],
    "02_model": [25],
    "04_landscape": [8],
    "05_minibatch": [15],
    "06_sgd": [15],
}
REMOTE = re.compile(
    r"""(?:<(?:script|img|link|iframe|source)\b[^>]*\b(?:src|href)=["']https?://)"""
    r"""|(?:url\(\s*["']?https?://)|(?:@import\s+["']https?://)|(?:import\(\s*["']https?://)|(?:src\s*=\s*["']https?://)""",
    re.IGNORECASE,
)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, str(ROOT / "build" / "build.py"), str(out)],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def test_index_links_every_notebook_in_order(site):
    index = (site / "index.html").read_text()
    links = re.findall(r'href="student/([0-9]{2}_[a-z_]+)\.html"', index)
    assert links == STEMS
    for stem in STEMS:
        for page in (
            f"student/{stem}.html",
            f"instructor/{stem}.html",
            f"slides/{stem}.slides.html",
        ):
            assert (site / page).stat().st_size > 10_000, page


def test_pages_have_prev_next_navigation(site):
    for k, stem in enumerate(STEMS):
        page = (site / "student" / f"{stem}.html").read_text()
        assert ('rel="prev"' in page) == (k > 0)
        assert ('rel="next"' in page) == (k < len(STEMS) - 1)
        if k + 1 < len(STEMS):
            assert f'href="{STEMS[k + 1]}.html"' in page


def test_no_built_file_loads_anything_from_the_network(site):
    for path in [*site.rglob("*.html"), *site.rglob("*.css")]:
        match = REMOTE.search(path.read_text(errors="replace"))
        assert match is None, f"{path.relative_to(site)}: {match.group(0)}"


def test_every_slider_became_an_animation_with_a_frame_per_value(site):
    for stem, expected in ANIMATION_FRAMES.items():
        page = (site / "student" / f"{stem}.html").read_text()
        animations = page.split('<div class="slider-animation">')[1:]
        counts = [len(set(re.findall(r"frames\[(\d+)\] = ", a))) for a in animations]
        assert counts == expected, stem
        assert "application/vnd.jupyter.widget-view+json" not in page


def test_instructor_pages_show_solved_exercises_and_student_pages_do_not(site):
    for stem in STEMS:
        student = (site / "student" / f"{stem}.html").read_text()
        instructor = (site / "instructor" / f"{stem}.html").read_text()
        assert "Not attempted yet" in student and "Correct" not in student
        assert "Correct" in instructor and "Not attempted yet" not in instructor


def test_committed_notebooks_are_untouched(site):
    for stem in STEMS:
        notebook = nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)
        text = str(notebook)
        assert "slider-animation" not in text


@pytest.mark.browser
@pytest.mark.parametrize(
    "page_name", ["student/05_minibatch.html", "slides/04_landscape.slides.html"]
)
def test_page_in_chromium_is_offline_with_maths_and_a_moving_animation(
    site, offline_page, page_name
):
    page, outside = offline_page(site / page_name)
    page.wait_for_function(
        "() => window.MathJax && MathJax.Hub && MathJax.Hub.queue"
        " && MathJax.Hub.queue.pending === 0",
        timeout=60_000,
    )
    page.wait_for_selector(".MathJax, .MathJax_Display", state="attached", timeout=60_000)
    if "slides" not in page_name:
        animation = page.locator(".slider-animation").first
        animation.scroll_into_view_if_needed()
        image = animation.locator("img").first
        before = image.get_attribute("src")
        scrubber = animation.locator("input[type=range]").first
        scrubber.evaluate("(el) => { el.value = el.max; el.dispatchEvent(new Event('input')); }")
        assert image.get_attribute("src") != before
    shot = ROOT / "test-artifacts" / f"site-{page_name.replace('/', '-')}.png"
    shot.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(shot))
    assert outside == [], f"requests outside the site: {outside}"
