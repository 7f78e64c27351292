"""Render the course into an offline static site: ``python build/build.py [OUTPUT]``.

The site (default ``build/_site``) holds an index, one page per notebook for students, the
same pages with every exercise solved for instructors, and reveal.js slides. Notebooks are
executed afresh in a temporary folder (the committed ones are never touched) with
``COURSE_STATIC=1``, so that every slider figure becomes a scrubbable animation, and, for the
instructor pages, ``COURSE_SOLUTIONS=1``. Nothing in the site is loaded from the network:
MathJax comes from the PyPI package ``jupyter-server-mathjax``; reveal.js, jQuery and
RequireJS from npm (``build/package-lock.json``).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jupyter_server_mathjax
import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter, SlidesExporter

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MATHJAX = "../assets/mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"
VERSIONS = {"student": {}, "instructor": {"COURSE_SOLUTIONS": "1"}}


def title_of(notebook) -> str:
    """The first heading of the notebook, without the leading '#'."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return "Untitled"


def copy_assets(site: Path) -> None:
    assets = site / "assets"
    shutil.copytree(Path(jupyter_server_mathjax.__file__).parent / "static", assets / "mathjax")
    modules = HERE / "node_modules"
    if not (modules / "reveal.js").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True)
    shutil.copytree(modules / "reveal.js" / "dist", assets / "reveal.js" / "dist")
    for theme in (assets / "reveal.js" / "dist" / "theme").glob("*.css"):
        if theme.name != "white.css":  # the only theme used, and one that needs no web fonts
            theme.unlink()
    shutil.copytree(modules / "reveal.js" / "plugin", assets / "reveal.js" / "plugin")
    shutil.copy(modules / "jquery" / "dist" / "jquery.min.js", assets / "jquery.min.js")
    shutil.copy(modules / "requirejs" / "require.js", assets / "require.js")


def execute(source: Path, folder: Path, environment: dict) -> nbformat.NotebookNode:
    notebook = nbformat.read(source, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(folder)}},
    )
    # The kernel inherits this process's environment, plus the version's switches.
    previous = {key: os.environ.get(key) for key in ("COURSE_STATIC", *environment)}
    os.environ.update({"COURSE_STATIC": "1", **environment})
    try:
        client.execute(env={**os.environ})
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return notebook


def navigation(index: int, titles: list[str], stems: list[str], version: str) -> str:
    links = ['<a href="../index.html">Course index</a>']
    if index > 0:
        links.insert(
            0,
            f'<a rel="prev" href="{stems[index - 1]}.html">&larr; '
            f"{html.escape(titles[index - 1])}</a>",
        )
    if index + 1 < len(stems):
        links.append(
            f'<a rel="next" href="{stems[index + 1]}.html">'
            f"{html.escape(titles[index + 1])} &rarr;</a>"
        )
    label = "Instructor version (solutions shown)" if version == "instructor" else ""
    return (
        '<nav class="course-nav" style="display:flex;gap:2em;justify-content:space-between;'
        'padding:0.6em 1em;background:#f3f3f3;font-family:sans-serif">'
        + "".join(links)
        + (f"<strong>{label}</strong>" if label else "")
        + "</nav>"
    )


_REMOTE_SCRIPT = re.compile(
    r"<script\b[^>]*>(?:(?!</script>).)*?https://(?:unpkg\.com|cdnjs\.cloudflare\.com)"
    r"(?:(?!</script>).)*?</script>",
    re.DOTALL,
)


def without_remote_scripts(page: str) -> str:
    """Drop the template's scripts that would fetch code from a CDN.

    They load the ipywidgets manager (the static pages hold animations, not widgets) and
    mermaid (no notebook draws a diagram); offline, they could only fail.
    """
    return _REMOTE_SCRIPT.sub("", page)


def with_navigation(page: str, nav: str) -> str:
    start = page.index("<body")
    start = page.index(">", start) + 1
    end = page.rindex("</body>")
    return page[:start] + nav + page[start:end] + nav + page[end:]


def render_version(site: Path, version: str, environment: dict) -> list[nbformat.NotebookNode]:
    out = site / version
    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as folder:
        for source in NOTEBOOKS:
            shutil.copy(source, Path(folder) / source.name)
        with ThreadPoolExecutor(max_workers=2) as pool:  # one kernel per core
            notebooks = list(
                pool.map(
                    lambda s: execute(Path(folder) / s.name, Path(folder), environment), NOTEBOOKS
                )
            )
    exporter = HTMLExporter(
        template_name="lab", mathjax_url=MATHJAX, require_js_url="../assets/require.js"
    )
    titles = [title_of(nb) for nb in notebooks]
    stems = [source.stem for source in NOTEBOOKS]
    for index, notebook in enumerate(notebooks):
        page, _ = exporter.from_notebook_node(
            notebook, resources={"metadata": {"name": titles[index]}}
        )
        page = with_navigation(
            without_remote_scripts(page), navigation(index, titles, stems, version)
        )
        (out / f"{stems[index]}.html").write_text(page)
    return notebooks


def render_slides(site: Path, notebooks: list) -> None:
    out = site / "slides"
    out.mkdir()
    # The "white" theme's fonts ship with reveal.js; the others fetch Google Fonts.
    exporter = SlidesExporter(
        reveal_theme="white",
        reveal_url_prefix="../assets/reveal.js",
        mathjax_url=MATHJAX,
        jquery_url="../assets/jquery.min.js",
        require_js_url="../assets/require.js",
    )
    for source, notebook in zip(NOTEBOOKS, notebooks, strict=True):
        page, _ = exporter.from_notebook_node(notebook)
        (out / f"{source.stem}.slides.html").write_text(without_remote_scripts(page))


def render_index(site: Path, notebooks: list) -> None:
    rows = []
    for source, notebook in zip(NOTEBOOKS, notebooks, strict=True):
        stem, title = source.stem, html.escape(title_of(notebook))
        rows.append(
            f'<li><a href="student/{stem}.html">{title}</a> — '
            f'<a href="instructor/{stem}.html">with solutions</a> · '
            f'<a href="slides/{stem}.slides.html">slides</a></li>'
        )
    (site / "index.html").write_text(
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<title>How the minibatch shapes a classifier's loss</title></head>"
        "<body style='font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.5'>"
        "<h1>How the minibatch shapes a classifier's loss</h1>"
        "<p>A short course: logistic regression with two weights on two Gaussian classes, "
        "and what the size of a minibatch does to the loss it optimises. Every slider of the "
        "notebooks is an animation here: press play or drag its scrubber.</p>"
        "<ol class='outline'>" + "\n".join(rows) + "</ol></body></html>\n"
    )


def build(site: Path) -> Path:
    if site.exists():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    copy_assets(site)
    student = render_version(site, "student", VERSIONS["student"])
    render_version(site, "instructor", VERSIONS["instructor"])
    render_slides(site, student)
    render_index(site, student)
    return site


if __name__ == "__main__":
    target = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else HERE / "_site"
    build(target)
    print(f"The course is in {target}; open {target / 'index.html'}")
