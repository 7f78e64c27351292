"""The two static sites of ``make build``: order, navigation, offline, no solution for students.

The browser checks (every response, console, links, decks) are in tests/browser/test_site.py
and tests/browser/test_decks.py; they share the one build of the session (``built_sites``).
"""

from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
STEMS = [p.stem for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))]
REMOTE = re.compile(
    r"""(?:<(?:script|img|link|iframe|source)\b[^>]*\b(?:src|href)=["']https?://)"""
    r"""|(?:url\(\s*["']?https?://)|(?:@import\s+["']https?://)|(?:import\(\s*["']https?://)"""
    r"""|(?:src\s*=\s*["']https?://)""",
    re.IGNORECASE,
)
PLAYER = re.compile(r"<script[^>]*slider-animation-data[^>]*>(.*?)</script>")
MB = 1_000_000


@pytest.fixture(scope="module")
def sites(built_sites):
    return built_sites


def _files(site: Path, suffixes=(".html", ".css", ".js")):
    return [p for p in site.rglob("*") if p.is_file() and p.suffix in suffixes]


def test_each_index_lists_every_notebook_in_order_with_goals(sites):
    for site in sites:
        index = (site / "index.html").read_text()
        linked = re.findall(r'<h3><a href="([0-9]{2}_[a-z_]+)\.html">', index)
        assert linked == STEMS, site.name
        assert index.count("What you will learn") == len(STEMS)
        assert "McCandlish" in index and "Goyal" in index  # the reference list
        # Titles carry the notebooks' own numbers; the list adds none ("1. 1.").
        assert "list-style: none" in (site / "assets" / "notebook.css").read_text()
        for stem in STEMS:
            assert (site / f"{stem}.html").stat().st_size > 10_000


def test_decks_are_in_the_instructor_site_only(sites):
    student, instructor = sites
    assert not (student / "slides").exists()
    assert "slides/" not in (student / "index.html").read_text()
    for stem in STEMS:
        deck = (instructor / "slides" / f"{stem}.slides.html").read_text()
        assert 'navigationMode: "linear"' in deck and 'slideNumber: "c/t"' in deck
        assert "slides/" + stem in (instructor / "index.html").read_text()


def test_pages_have_prev_next_navigation(sites):
    for site in sites:
        for k, stem in enumerate(STEMS):
            page = (site / f"{stem}.html").read_text()
            assert ('rel="prev"' in page) == (k > 0)
            assert ('rel="next"' in page) == (k < len(STEMS) - 1)
            if k + 1 < len(STEMS):
                assert f'href="{STEMS[k + 1]}.html"' in page


def test_no_built_file_loads_anything_from_the_network(sites):
    for site in sites:
        for path in _files(site, (".html", ".css")):
            match = REMOTE.search(path.read_text(errors="replace"))
            assert match is None, f"{path.relative_to(site)}: {match.group(0)}"


def test_no_solution_anywhere_in_the_student_site(sites):
    from course_utils.exercises import EXERCISES

    student, instructor = sites
    texts = {p: p.read_text(errors="replace") for p in _files(student)}
    instructor_text = "".join(p.read_text() for p in instructor.glob("*.html"))
    checked = 0
    for exercises in EXERCISES.values():
        for exercise in exercises.values():
            lines = [
                line.strip()
                for line in exercise.solution_code.splitlines()
                if len(line.strip()) >= 12 and not line.strip().startswith("#")
            ]
            for needle in [exercise.explanation, *lines]:
                for form in {needle, html.escape(needle), html.escape(needle, quote=False)}:
                    for path, text in texts.items():
                        assert form not in text, f"{path.name} holds a solution: {needle!r}"
                checked += 1
            # The instructor site does show it (so the check above looks for the right text).
            assert html.escape(exercise.explanation[:40], quote=False) in instructor_text
    assert checked > 20
    for path, text in texts.items():
        assert "application/vnd.course.solution" not in text, path.name
        assert "Not attempted yet" not in text, path.name


def test_every_slider_became_a_player_opening_on_the_notebooks_values(sites):
    student = sites[0]
    for stem in STEMS:
        page = (student / f"{stem}.html").read_text()
        notebook = nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)
        slider_cells = sum(
            "_explorer(" in cell.source for cell in notebook.cells if cell.cell_type == "code"
        )
        players = PLAYER.findall(page)
        assert len(players) == slider_cells, stem
        assert "application/vnd.jupyter.widget-view+json" not in page
        assert '"widgets"' not in page  # no stored widget state
        for payload in players:
            data = json.loads(payload.replace("<\\/", "</"))
            assert len(data["alts"]) == len(data["frames"])
            for frame in data["frames"][1:]:  # moved to files by the build
                assert (student / frame).read_bytes().startswith(b"\x89PNG"), frame
            for row in data["rows"]:
                assert len(row["labels"]) == len(row["frames"]) >= 2
                assert row["frames"][row["start"]] == 0  # opens on the notebook's value


def test_the_player_opens_on_the_current_values_and_steps_each_slider():
    import os

    from course_utils import make_two_gaussians, widgets

    data = make_two_gaussians(2.0, 1.0, 100, 100, seed=0)
    figure = widgets.sgd_explorer(data.X, data.y, batch_size=8, lr=0.5, n_steps=20)
    os.environ["COURSE_STATIC"] = "1"
    try:
        bundle = figure._repr_mimebundle_()
    finally:
        del os.environ["COURSE_STATIC"]
    page = bundle["text/html"]
    data = json.loads(PLAYER.search(page).group(1).replace("<\\/", "</"))
    names = re.findall(r"<label><span>([^<]+)</span>", page)
    assert names == ["batch size", "learning rate"]
    openers = [row["labels"][row["start"]] for row in data["rows"]]
    assert openers == ["8", "0.5"]
    assert re.findall(r"<output>([^<]+)</output>", page) == openers
    first = re.search(r'<img src="data:image/png;base64,([^"]+)"', page).group(1)
    for frame in [first, *data["frames"][1:]]:
        assert base64.b64decode(frame).startswith(b"\x89PNG")
    assert all(alt.startswith("Figure: B = ") for alt in data["alts"])
    assert len(set(data["alts"])) == len(data["alts"])  # each frame says what it shows
    assert figure.values == {"batch_size": 8, "lr": 0.5}  # the widget is left as it was


def test_every_figure_has_alt_text(sites):
    for site in sites:
        for stem in STEMS:
            page = (site / f"{stem}.html").read_text()
            alts = re.findall(r'<img [^>]*?alt="([^"]*)"', page)
            assert alts, stem
            assert re.search(r"<img (?![^>]*alt=)", page) is None, stem
            for alt in alts:
                assert alt.startswith("Figure: ") and len(alt) > 20, (stem, alt)


def test_site_weight(sites):
    student = sites[0]
    total = sum(p.stat().st_size for p in student.rglob("*") if p.is_file())
    assert total <= 20 * MB, f"student site {total / MB:.1f} MB"
    for page in student.glob("*.html"):
        assert page.stat().st_size <= 1.5 * MB, f"{page.name}: {page.stat().st_size / MB:.2f} MB"


def test_maths_is_typeset_at_build_time(sites):
    """Every formula is an SVG in its page (build/typeset_math.js): no MathJax to load, no
    TeX error, and no raw TeX left is checked in the browser (tests/browser/test_site.py)."""
    for site in sites:
        assert not (site / "assets" / "mathjax").exists(), site.name
        pages = sorted(site.rglob("*.html"))
        assert len(pages) >= len(STEMS) + 1
        for page in pages:
            text = page.read_text()
            where = page.relative_to(site)
            assert "MathJax.js" not in text and "MathJax.Hub" not in text, where
            assert re.search(r'<g [^>]*data-mml-node="merror"', text) is None, where
            # Each page and deck has maths; the glyphs are drawn once per page.
            assert text.count("<mjx-container") >= 5, where
            assert text.count('id="MJX-SVG-global-cache"') == 1, where


def test_committed_notebooks_are_untouched(sites):
    for stem in STEMS:
        text = (ROOT / "notebooks" / f"{stem}.ipynb").read_text()
        assert "slider-animation" not in text and "course.solution" not in text


def test_citations_have_references():
    import importlib.util

    spec = importlib.util.spec_from_file_location("course_build", ROOT / "build" / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    for stem in STEMS:
        notebook = nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)
        for citation in build.citations_of(notebook):  # exits on an unknown citation
            assert citation in build.REFERENCES
    assert np.all([len(r) > 60 for r in build.REFERENCES.values()])


def _build_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("course_build", ROOT / "build" / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    return build


def test_shared_filters_leave_the_exports_as_nbconvert_makes_them():
    """The build highlights, sanitises and renders each cell once for a page, its solved page
    and its deck, and keeps code blocks out of nbconvert's final parse: the same page, byte
    for byte, as nbconvert's own export, twice in a row (the second from the caches)."""
    from nbconvert import HTMLExporter, SlidesExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    build = _build_module()
    settings = {
        "extra_template_basedirs": [str(ROOT / "build" / "templates")],
        "extra_template_paths": [str(ROOT / "build" / "templates")],
        "exclude_input_prompt": True,
        "exclude_output_prompt": True,
    }
    plain_page = HTMLExporter(template_name="course_page", **settings)
    plain_deck = SlidesExporter(
        template_name="course_slides",
        reveal_theme="white",
        reveal_url_prefix="../assets/reveal.js",
        **settings,
    )
    plain_deck.register_preprocessor(
        TagRemovePreprocessor(remove_input_tags={build.HIDE_INPUT_ON_SLIDES}), enabled=True
    )
    pages, decks = build.page_exporter(), build.slides_exporter()
    # 04 has code, markdown with maths, figures and a slider's stored picture.
    notebook = nbformat.read(ROOT / "notebooks" / "04_landscape.ipynb", as_version=4)
    course = {"title": "T", "root": "", "label": "", "references": [], "prev": None, "next": None}
    for plain, ours in ((plain_page, pages), (plain_deck, decks)):
        expected, _ = plain.from_notebook_node(notebook, resources={"course": course})
        for _twice in range(2):
            page, _ = ours.from_notebook_node(notebook, resources={"course": course})
            assert 'data-course-block="' in page  # the code went round the parse
            assert build._with_blocks(page) == expected
    assert len(build._BLOCKS) > 10
    assert not build._Nesting.of("<b>x</b></div>") and not build._Nesting.of("<div>x")
