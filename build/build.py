"""Render the course into two offline static sites: ``python build/build.py [OUTPUT]``.

- ``OUTPUT`` (default ``build/_site``), for students: an index and one page per notebook.
  Exercises show their hints as collapsed blocks; no solution is anywhere in it.
- ``OUTPUT-instructor`` (default ``build/_site-instructor``): the index, the pages with every
  exercise solved, and a reveal.js deck per notebook (``slides/``).

Each notebook is executed once, afresh, in a temporary folder (the committed notebooks are
never touched), by a kernel started with ``COURSE_STATIC=1`` in its environment: every slider
figure becomes an offline player (one scrubber per slider) and every exercise's check cell
shows its hints, with the solution in a separate part of its output that only the instructor
site keeps. The pages and decks are nbconvert's ``lab`` and ``reveal`` templates extended in
``build/templates/``. Nothing is loaded from the network: reveal.js comes from npm
(``build/package-lock.json``). The maths is typeset here, once, by MathJax 3 in Node (npm's
``mathjax-full``, ``build/typeset_math.js``): every formula is an SVG in the page, so the pages
and decks need no MathJax script or font and show their maths as soon as they arrive.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import html
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import tinycss2
from bs4 import BeautifulSoup
from bs4.builder import HTMLParserTreeBuilder
from jinja2 import pass_context
from nbclient import NotebookClient
from nbconvert import HTMLExporter, SlidesExporter
from nbconvert.filters import Highlight2HTML, clean_html, markdown2html
from nbconvert.preprocessors import CoalesceStreamsPreprocessor, TagRemovePreprocessor

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TEMPLATES = HERE / "templates"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
COURSE_TITLE = "How the minibatch shapes a classifier's loss"
SOLUTION_MIMETYPE = "application/vnd.course.solution+json"  # see course_utils.exercises
HIDE_INPUT_ON_SLIDES = "slides-hide-input"  # the slide convention of the notebooks

# Every paper a notebook cites as "Name et al., YEAR" (the build fails on an unknown one).
REFERENCES = {
    "McCandlish et al., 2018": (
        "Sam McCandlish, Jared Kaplan, Dario Amodei and the OpenAI Dota Team (2018). "
        "<cite>An Empirical Model of Large-Batch Training</cite>. "
        '<a href="https://arxiv.org/abs/1812.06162">arXiv:1812.06162</a>.'
    ),
    "Goyal et al., 2017": (
        "Priya Goyal, Piotr Dollár, Ross Girshick, Pieter Noordhuis, Lukasz Wesolowski, "
        "Aapo Kyrola, Andrew Tulloch, Yangqing Jia and Kaiming He (2017). "
        "<cite>Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour</cite>. "
        '<a href="https://arxiv.org/abs/1706.02677">arXiv:1706.02677</a>.'
    ),
}
CITATION = re.compile(r"([A-Z][A-Za-z'-]+ et al\.,? \d{4})")

# Run in the kernel before the notebook (and removed from it afterwards): every matplotlib
# figure a cell shows is stored as a palette PNG with alt text from its titles and labels,
# saved as the notebook's inline backend saves it (cropped to its content unless the notebook
# says otherwise: `%config InlineBackend.print_figure_kwargs = {"bbox_inches": None}` shows
# it whole, and saves drawing it a second time to find the crop).
PRELUDE = """\
import matplotlib.pyplot

matplotlib.pyplot.close(matplotlib.pyplot.figure())  # loads the inline backend now
from matplotlib.figure import Figure
from matplotlib_inline.config import InlineBackend
from course_utils.widgets._base import figure_alt_text, palette_png


def _course_static_png(fig):
    import io
    buffer = io.BytesIO()
    saving = {"bbox_inches": "tight", **InlineBackend.instance().print_figure_kwargs}
    fig.savefig(buffer, format="png", **{**saving, "metadata": {"Software": None}})
    return palette_png(buffer.getvalue()), {"alt": figure_alt_text(fig)}


def _course_static_formats(*args):
    # After every cell: matplotlib's inline backend sets its own formatter once, after the
    # cell that first imports pyplot has run, and this one must come after it.
    get_ipython().display_formatter.formatters["image/png"].for_type(Figure, _course_static_png)


get_ipython().events.register("post_run_cell", _course_static_formats)
"""

# What the build runs in Node, from build/package-lock.json (npm ci installs it when missing).
NODE_PACKAGES = ("reveal.js", "mathjax-full")


# ---- executing the notebooks -------------------------------------------------------------


def execute(source: Path, folder: Path) -> nbformat.NotebookNode:
    """Run a copy of ``source`` in ``folder``; the kernel alone gets ``COURSE_STATIC=1``."""
    notebook = nbformat.read(source, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(PRELUDE))
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(folder)}},
    )
    environment = {**os.environ, "COURSE_STATIC": "1"}
    environment.pop("COURSE_SOLUTIONS", None)  # the solutions come in the check cells' output
    client.execute(env=environment)
    del notebook.cells[0]
    # A cell's printed lines arrive in one output or several, as the kernel happens to flush
    # them (a loaded machine splits them more): one output, as JupyterLab shows them.
    notebook, _ = CoalesceStreamsPreprocessor().preprocess(notebook, {})
    notebook.metadata.pop("widgets", None)  # stored widget state: no use without a kernel
    return notebook


def execution_order(sources: list[Path]) -> list[int]:
    """The notebooks' indices, the heaviest first: with two kernels side by side, the light
    ones fill in at the end instead of one heavy notebook running alone. A stored notebook's
    size (its figures and sliders' outputs) is the estimate of its work."""
    return sorted(range(len(sources)), key=lambda k: -sources[k].stat().st_size)


# ---- the two versions of a notebook ------------------------------------------------------


def _check_outputs(notebook):
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if SOLUTION_MIMETYPE in output.get("data", {}):
                yield cell, output


def student_version(notebook):
    """The notebook with every solution removed (the check cells keep their hints)."""
    notebook = copy.deepcopy(notebook)
    for _cell, output in _check_outputs(notebook):
        del output.data[SOLUTION_MIMETYPE]
    return notebook


def instructor_version(notebook):
    """The notebook with every check cell showing its exercise solved."""
    notebook = copy.deepcopy(notebook)
    for _cell, output in _check_outputs(notebook):
        output.data.update(output.data.pop(SOLUTION_MIMETYPE))
    return notebook


def slides_version(notebook):
    """The notebook as its deck shows it: exercise slides show the question, no check cell."""
    notebook = copy.deepcopy(notebook)
    checks = {id(cell) for cell, _output in _check_outputs(notebook)}
    notebook.cells = [cell for cell in notebook.cells if id(cell) not in checks]
    return notebook


_PLAYER_DATA = re.compile(
    r'(<script type="application/json" class="slider-animation-data">)(.*?)(</script>)', re.S
)
_PLAYER_FIRST = re.compile(
    r'(<figure class="slider-animation">.*?<img src=")data:image/png;base64,([^"]+)"', re.S
)


_FRAMES: dict[str, tuple[str, bytes]] = {}  # a frame's base64 -> (its file's name, PNG)


def with_frame_files(notebook, frames: Path, prefix: str):
    """The notebook with its players' frames moved to PNG files in ``frames`` (named by hash).

    The page then carries its players' first pictures by URL and loads every other frame
    only when its scrubber reaches it: a light page, frames cached across pages, and no
    base64 (a third more bytes). ``prefix`` is the way from the page to ``frames``.
    """
    notebook = copy.deepcopy(notebook)
    frames.mkdir(parents=True, exist_ok=True)

    def stored(b64: str) -> str:
        # A frame is in a page, its solved page and its deck: decoded once, written once.
        if b64 not in _FRAMES:
            png = base64.b64decode(b64)
            _FRAMES[b64] = (hashlib.sha256(png).hexdigest()[:20] + ".png", png)
        name, png = _FRAMES[b64]
        if not (frames / name).exists():
            (frames / name).write_bytes(png)
        return prefix + name

    def move_data(match) -> str:
        data = json.loads(match[2].replace("<\\/", "</"))
        data["frames"] = [""] + [stored(b64) for b64 in data["frames"][1:]]
        return match[1] + json.dumps(data, separators=(",", ":")).replace("</", "<\\/") + match[3]

    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            page = output.get("data", {}).get("text/html")
            if page and "slider-animation-data" in page:
                page = _PLAYER_FIRST.sub(lambda m: f'{m[1]}{stored(m[2])}"', page)
                output.data["text/html"] = _PLAYER_DATA.sub(move_data, page)
    return notebook


# ---- what the index and the pages say about a notebook ----------------------------------


def title_of(notebook) -> str:
    """The first heading of the notebook, without the leading '#'."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return "Untitled"


def goals_of(notebook) -> list[str]:
    """The items of the "What you will learn" list in the first markdown cell (markdown)."""
    first = next(cell for cell in notebook.cells if cell.cell_type == "markdown")
    goals, inside = [], False
    for line in first.source.splitlines():
        if "what you will learn" in line.lower():
            inside = True
        elif inside and line.startswith("- "):
            goals.append(line[2:].strip())
        elif inside and goals and line.startswith("  "):
            goals[-1] += " " + line.strip()
        elif inside and goals and not line.strip():
            break
    return goals


def citations_of(notebook) -> list[str]:
    text = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    found = sorted({re.sub(r" et al\.,? ", " et al., ", c) for c in CITATION.findall(text)})
    unknown = [c for c in found if c not in REFERENCES]
    if unknown:
        raise SystemExit(f"build/build.py: add {unknown} to REFERENCES")
    return found


def _inline_markdown(text: str) -> str:
    """Markdown of one list item as inline HTML (maths is left to MathJax)."""
    rendered = markdown2html(text).strip()
    return re.sub(r"^<p>(.*)</p>$", r"\1", rendered, flags=re.DOTALL)


# ---- writing the sites -------------------------------------------------------------------


def node_modules() -> Path:
    """build/node_modules with every package of NODE_PACKAGES (npm ci from the lock file)."""
    modules = HERE / "node_modules"
    if not all((modules / name / "package.json").exists() for name in NODE_PACKAGES):
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True)
    return modules


class MathTypesetter:
    """Typesets the formulas of pages in place as they are written (build/typeset_math.js).

    One Node process for the whole build, reading the pages' paths from its input: MathJax
    is loaded and warmed up once, and it typesets a page while the next one is rendered.
    ``finish()`` waits for the last page; a TeX error fails the build.
    """

    def __init__(self):
        node_modules()
        self.process = subprocess.Popen(
            ["node", str(HERE / "typeset_math.js"), "-"],
            cwd=HERE,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def add(self, page: Path) -> None:
        try:
            self.process.stdin.write(f"{page}\n")
            self.process.stdin.flush()
        except BrokenPipeError:  # Node stopped at a TeX error: finish() reports it
            pass

    def finish(self) -> None:
        try:
            self.process.stdin.close()
        except BrokenPipeError:
            pass
        error = self.process.stderr.read()
        if self.process.wait():
            raise SystemExit(f"build/typeset_math.js: {error.strip()}")

    def stop(self) -> None:
        """End the process after a failure elsewhere (no-op once finished)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process.stderr.close()


def copy_assets(site: Path, slides: bool) -> None:
    assets = site / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    if slides:
        modules = node_modules()
        reveal = assets / "reveal.js"
        (reveal / "dist" / "theme").mkdir(parents=True)
        for name in ("reveal.js", "reveal.css"):
            shutil.copy(modules / "reveal.js" / "dist" / name, reveal / "dist" / name)
        # The "white" theme is the one used: its fonts ship with reveal.js (no web fonts).
        shutil.copy(modules / "reveal.js/dist/theme/white.css", reveal / "dist/theme/white.css")
        shutil.copytree(modules / "reveal.js/dist/theme/fonts", reveal / "dist/theme/fonts")
        (reveal / "plugin" / "notes").mkdir(parents=True)
        shutil.copy(modules / "reveal.js/plugin/notes/notes.js", reveal / "plugin/notes/notes.js")
        # nbconvert's overrides of the notebook CSS for reveal.js, then the course's own.
        reveal_css = Path(sys.prefix) / "share/jupyter/nbconvert/templates/reveal/static"
        (assets / "slides.css").write_text(
            (reveal_css / "custom_reveal.css").read_text() + (TEMPLATES / "slides.css").read_text()
        )


def _used_rules(rules, classes: set[str]) -> list:
    """The rules of a parsed stylesheet that can match: every class they name is in use."""
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = tinycss2.serialize(rule.prelude).split(",")
            if any(set(re.findall(r"\.(-?[_a-zA-Z][\w-]*)", s)) <= classes for s in selectors):
                kept.append(rule)
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports"):
            inner = _used_rules(
                tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True),
                classes,
            )
            if inner:
                rule = copy.copy(rule)  # the parsed stylesheet serves every site
                rule.content = [
                    token for r in inner for token in (r, tinycss2.ast.WhitespaceToken(0, 0, "\n"))
                ]
                kept.append(rule)
        elif rule.type == "at-rule":
            kept.append(rule)
    return kept


_VAR = re.compile(r"var\(\s*(--[\w-]+)")


def _css_text(rules, elsewhere: str) -> str:
    """The rules as CSS, without the custom properties (``--name: ...``) that nothing uses.

    A property is used when ``var(--name)`` appears in a rule's own declarations, in
    ``elsewhere`` (the site's CSS and pages) or in a used property's value. JupyterLab's
    theme declares some 1,500, among them 86 kB of icons for the application.
    """
    blocks = []  # (rule, its declarations or None)
    for rule in rules:
        declarations = None
        if rule.type == "qualified-rule":
            declarations = [
                d
                for d in tinycss2.parse_blocks_contents(
                    rule.content, skip_comments=True, skip_whitespace=True
                )
                if d.type == "declaration"
            ]
        blocks.append((rule, declarations))
    custom = {}
    used_text = [elsewhere]
    for rule, declarations in blocks:
        if declarations is None:
            used_text.append(rule.serialize())
            continue
        for d in declarations:
            if d.name.startswith("--"):
                custom.setdefault(d.name, []).append(tinycss2.serialize(d.value))
            else:
                used_text.append(tinycss2.serialize(d.value))
    used = set(_VAR.findall("\n".join(used_text)))
    todo = list(used)
    while todo:
        for value in custom.get(todo.pop(), []):
            for name in _VAR.findall(value):
                if name not in used:
                    used.add(name)
                    todo.append(name)
    out = []
    for rule, declarations in blocks:
        if declarations is None:
            out.append(rule.serialize())
            continue
        kept = [d for d in declarations if not d.name.startswith("--") or d.name in used]
        if kept:
            body = ";\n  ".join(d.serialize() for d in kept)
            out.append(f"{tinycss2.serialize(rule.prelude).strip()} {{\n  {body};\n}}")
    return "\n".join(out)


_PARSED_CSS: dict[str, list] = {}  # JupyterLab's stylesheet, parsed once for both sites


def write_css(site: Path, pygments_css: str) -> None:
    """One stylesheet for every page of the site: JupyterLab's notebook look and code colours
    (only the rules whose classes the site's HTML uses: JupyterLab's full stylesheet is
    256 kB, nearly all of it for the application, not a rendered notebook), then the site's."""
    lab = Path(sys.prefix) / "share" / "jupyter" / "nbconvert" / "templates" / "lab" / "static"
    css = "\n".join(
        [
            (lab / "index.css").read_text(),
            (lab / "theme-light.css").read_text(),
            pygments_css,
        ]
    )
    classes = set()
    pages = [page.read_text() for page in site.rglob("*.html")]
    for page in pages:
        for attribute in re.findall(r'class=["\']([^"\']*)["\']', page):
            classes.update(attribute.split())
    if css not in _PARSED_CSS:
        _PARSED_CSS[css] = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    kept = _used_rules(_PARSED_CSS[css], classes)
    # The site's own rules are kept whole: some style what scripts add (the players).
    own = (TEMPLATES / "site.css").read_text()
    slides = site / "assets" / "slides.css"
    elsewhere = "\n".join([own, *pages, slides.read_text() if slides.exists() else ""])
    (site / "assets" / "notebook.css").write_text(f"{_css_text(kept, elsewhere)}\n{own}")


_FILTER_RESULTS: dict[tuple, str] = {}


def _once(key: tuple, compute) -> str:
    if key not in _FILTER_RESULTS:
        _FILTER_RESULTS[key] = compute()
    return _FILTER_RESULTS[key]


def _shared_filters(exporter: HTMLExporter) -> dict:
    """nbconvert's costly filters, each run once per distinct input in the whole build.

    A notebook's cells appear on its page, its solved page and its deck: the same code
    highlighted and sanitised (bleach: a third of an export's time), the same markdown
    rendered. The filters are pure functions of what the key holds, so the pages are the same.
    """
    highlighters: dict[str, Highlight2HTML] = {}
    settings = (exporter.anchor_link_text, exporter.exclude_anchor_links, exporter.embed_images)

    @pass_context
    def highlight_code(context, source, language=None, metadata=None):
        info = context.get("nb", {}).get("metadata", {}).get("language_info", {})
        lexer = info.get("pygments_lexer", info.get("name", None))
        if lexer not in highlighters:
            highlighters[lexer] = Highlight2HTML(pygments_lexer=lexer, parent=exporter)
        return _once(
            ("highlight", lexer, source, language, json.dumps(metadata or {}, sort_keys=True)),
            lambda: highlighters[lexer](source, language=language, metadata=metadata),
        )

    @pass_context
    def markdown(context, source):
        attachments = context.get("cell", {}).get("attachments", {})
        path = context.get("resources", {}).get("metadata", {}).get("path", "")
        return _once(
            ("markdown", source, json.dumps(attachments, sort_keys=True), path, settings),
            lambda: exporter.markdown2html(context, source),
        )

    def clean(html_text):
        return _outside_soup(_once(("clean", str(html_text)), lambda: clean_html(html_text)))

    return {"highlight_code": highlight_code, "markdown2html": markdown, "clean_html": clean}


# nbconvert's HTML export ends by parsing the whole page with BeautifulSoup (to give images
# alt text and cells a tabindex) and printing it again: half of an export's time, most of it
# in the highlighted code's thousands of spans, the same on a page, its solved page and its
# deck. A sanitised block (the last filter of every chain it is in, placed in a <div>) that
# holds nothing the export changes goes through the page's parse as an empty element standing
# in for it, and comes back as the parse prints it, parsed once on its own. Alone and in the
# page a block prints alike when its tags nest (every one closed, no stray end tag) and it
# begins and ends with a tag (the whitespace around it stays in the page, where the parse
# shortens whitespace between tags). tests/test_build.py checks that pages come out the same.
_BLOCK_ID = secrets.token_hex(6)
_BLOCK = re.compile(rf'<i data-course-block="{_BLOCK_ID}-(\d+)"></i>')
_BLOCKS: list[str] = []  # the blocks as the parse prints them
_TOKENS: dict[str, str] = {}  # block -> what the page holds instead (the block if parsed)
_VOID = frozenset(HTMLParserTreeBuilder().empty_element_tags)


class _Nesting(HTMLParser):
    """Whether a piece of HTML's tags nest: ``_Nesting.of(text)``."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.nests = True

    def handle_starttag(self, tag, attrs):
        if tag not in _VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if self.open and self.open[-1] == tag:
            self.open.pop()
        else:
            self.nests = False

    @classmethod
    def of(cls, text: str) -> bool:
        parser = cls()
        parser.feed(text)
        parser.close()
        return parser.nests and not parser.open


def _outside_soup(block: str) -> str:
    if block not in _TOKENS:
        _TOKENS[block] = block
        core = block.strip()
        lead, trail = block[: len(block) - len(block.lstrip())], block[len(block.rstrip()) :]
        changed = re.search(r"<img|jp-Cell-inputWrapper|jp-OutputArea-output", core)
        if core.startswith("<") and core.endswith(">") and not changed and _Nesting.of(core):
            _TOKENS[block] = f'{lead}<i data-course-block="{_BLOCK_ID}-{len(_BLOCKS)}"></i>{trail}'
            _BLOCKS.append(str(BeautifulSoup(core, features="html.parser")))
    return _TOKENS[block]


def _with_blocks(page: str) -> str:
    return _BLOCK.sub(lambda m: _BLOCKS[int(m[1])], page)


def page_exporter() -> HTMLExporter:
    exporter = HTMLExporter(
        extra_template_basedirs=[str(TEMPLATES)],
        extra_template_paths=[str(TEMPLATES)],
        template_name="course_page",
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        optimistic_validation=True,  # the notebook's schema checked once, not after each step
    )
    exporter.filters = _shared_filters(exporter)
    return exporter


def slides_exporter() -> SlidesExporter:
    exporter = SlidesExporter(
        extra_template_basedirs=[str(TEMPLATES)],
        extra_template_paths=[str(TEMPLATES)],
        template_name="course_slides",
        reveal_theme="white",
        reveal_url_prefix="../assets/reveal.js",
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        optimistic_validation=True,  # the notebook's schema checked once, not after each step
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_input_tags={HIDE_INPUT_ON_SLIDES}), enabled=True
    )
    exporter.filters = _shared_filters(exporter)
    return exporter


def render_page(exporter, site, k, notebook, titles, stems, label) -> tuple[Path, str]:
    """Page ``k`` of ``site``; returns its path and the code colours' CSS."""
    neighbour = {
        "prev": k - 1 if k > 0 else None,
        "next": k + 1 if k + 1 < len(stems) else None,
    }
    course = {
        "title": titles[k],
        "root": "",
        "label": label,
        "references": [REFERENCES[c] for c in citations_of(notebook)],
        **{
            key: None if j is None else {"href": f"{stems[j]}.html", "title": titles[j]}
            for key, j in neighbour.items()
        },
    }
    page, resources = exporter.from_notebook_node(notebook, resources={"course": course})
    (site / f"{stems[k]}.html").write_text(_with_blocks(page))
    return site / f"{stems[k]}.html", "\n".join(resources.get("inlining", {}).get("css", []))


def render_deck(exporter, site, k, notebook, titles, stems) -> Path:
    """Deck ``k`` in ``site/slides``: the notebook without its check cells."""
    (site / "slides").mkdir(exist_ok=True)
    course = {"title": titles[k], "root": "../"}
    page, _ = exporter.from_notebook_node(slides_version(notebook), resources={"course": course})
    (site / "slides" / f"{stems[k]}.slides.html").write_text(_with_blocks(page))
    return site / "slides" / f"{stems[k]}.slides.html"


def render_index(site, notebooks, titles, stems, instructor: bool) -> None:
    entries = []
    for k, notebook in enumerate(notebooks):
        goals = "".join(f"<li>{_inline_markdown(g)}</li>" for g in goals_of(notebook))
        links = [f'<a href="{stems[k]}.html">{"page, solved" if instructor else "page"}</a>']
        if instructor:
            links.append(f'<a href="slides/{stems[k]}.slides.html">slides</a>')
        entries.append(
            f'<li><h3><a href="{stems[k]}.html">{html.escape(titles[k])}</a></h3>'
            f"<p class='course-links'>{' · '.join(links)}</p>"
            f"<p>What you will learn:</p><ul>{goals}</ul></li>"
        )
    cited = sorted({c for notebook in notebooks for c in citations_of(notebook)})
    references = "".join(f"<li>{REFERENCES[c]}</li>" for c in cited)
    audience = (
        "This is the instructor edition: every exercise is solved on its page, and each "
        "notebook has a reveal.js deck (arrow keys or space to advance, <kbd>s</kbd> for "
        "the speaker notes, <kbd>f</kbd> for full screen)."
        if instructor
        else "Every exercise has hints under it: open them one at a time. To run the code and "
        "check your answers, open the notebooks in JupyterLab (see the course's README)."
    )
    (site / "index.html").write_text(
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1.0'>"
        f"<title>{html.escape(COURSE_TITLE)}</title>"
        "<link rel='stylesheet' href='assets/notebook.css'>"
        "<link rel='icon' href='data:,'>"
        "</head><body class='course-index'><main>"
        f"<h1>{html.escape(COURSE_TITLE)}</h1>"
        "<p>A short course in six notebooks on one question: how does the size of a "
        "minibatch change the objective a classifier is optimising? It uses the smallest "
        "model where the whole answer can be seen, logistic regression with two weights and "
        "no bias on two Gaussian classes in the plane, so that every loss is a surface over "
        "the (w₁, w₂) plane. Every slider of the notebooks is a player here: drag its "
        f"scrubber or press &#x25B6;. {audience}</p>"
        "<h2>Notebooks</h2><ol class='course-outline'>" + "\n".join(entries) + "</ol>"
        f"<h2>References</h2><ul class='course-references'>{references}</ul>"
        "</main></body></html>\n"
    )


def build(site: Path, instructor_site: Path | None = None) -> tuple[Path, Path]:
    """Both sites. Two kernels run the notebooks, the heaviest first; each notebook's page,
    solved page and deck are rendered as soon as it has run, and typeset by one Node process
    while the kernels go on: the build's stages overlap on the two cores."""
    instructor_site = instructor_site or site.with_name(site.name + "-instructor")
    for folder in (site, instructor_site):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    copy_assets(site, slides=False)
    copy_assets(instructor_site, slides=True)
    # Titles from the sources (running a notebook leaves its markdown as it is): a page's
    # neighbours are named before they have run.
    titles = [title_of(nbformat.read(source, as_version=4)) for source in NOTEBOOKS]
    stems = [source.stem for source in NOTEBOOKS]
    pages, decks = page_exporter(), slides_exporter()
    frames = "assets/frames/"
    notebooks: list = [None] * len(NOTEBOOKS)
    css = ""
    typesetter = MathTypesetter()
    try:
        with tempfile.TemporaryDirectory() as folder:
            for source in NOTEBOOKS:
                shutil.copy(source, Path(folder) / source.name)
            with ThreadPoolExecutor(max_workers=2) as pool:  # one kernel per core
                running = {
                    pool.submit(execute, Path(folder) / NOTEBOOKS[k].name, Path(folder)): k
                    for k in execution_order(NOTEBOOKS)
                }
                for done in as_completed(running):
                    k = running[done]
                    notebooks[k] = notebook = done.result()
                    student = with_frame_files(student_version(notebook), site / frames, frames)
                    path, css = render_page(pages, site, k, student, titles, stems, label="")
                    typesetter.add(path)
                    solved = with_frame_files(
                        instructor_version(notebook), instructor_site / frames, frames
                    )
                    label = "Instructor edition: solutions shown"
                    path, _ = render_page(pages, instructor_site, k, solved, titles, stems, label)
                    typesetter.add(path)
                    deck = with_frame_files(notebook, instructor_site / frames, "../" + frames)
                    typesetter.add(render_deck(decks, instructor_site, k, deck, titles, stems))
        students = [student_version(nb) for nb in notebooks]
        render_index(site, students, titles, stems, instructor=False)
        render_index(instructor_site, students, titles, stems, instructor=True)
        typesetter.add(site / "index.html")
        typesetter.add(instructor_site / "index.html")
        typesetter.finish()
    finally:
        typesetter.stop()
    for folder in (site, instructor_site):
        write_css(folder, css)
    return site, instructor_site


if __name__ == "__main__":
    target = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else HERE / "_site"
    student, instructor = build(target)
    print(f"Students:    {student / 'index.html'}\nInstructors: {instructor / 'index.html'}")
