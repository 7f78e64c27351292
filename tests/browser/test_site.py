"""Both built sites loaded page by page in Chromium from a local server.

Every response is recorded: no status >= 400, no console error, no request leaves the local
server, every local link resolves, the maths is typeset (no raw TeX left in the text, no TeX
error, every formula an SVG laid out at a visible size, no MathJax script), and the slider
players fit a 390-px-wide phone and move.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import pytest

ROOT = Path(__file__).resolve().parents[2]
STEMS = [p.stem for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))]
# The maths of a page as the reader gets it (build/typeset_math.js typesets it at build time):
# text outside code and typeset maths that still looks like TeX ($...$, $$, \( or \[), TeX
# errors, formulas shown without a visible size (those in closed hints are not on screen), and
# how many formulas there are.
MATH_REPORT = r"""() => {
  const RAW_TEX = /\$\$|\$[^\s$][^$]*\$|\\\(|\\\[/;
  const SKIP = "script, style, pre, code, textarea, mjx-container";
  const raw = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (RAW_TEX.test(node.data) && !node.parentElement.closest(SKIP)) raw.push(node.data.trim());
  }
  const math = [...document.querySelectorAll("mjx-container")];
  const unsized = math.filter((m) => {
    const svg = m.querySelector(":scope > svg");
    return !svg || (m.checkVisibility() && svg.getBoundingClientRect().width === 0);
  });
  return {
    raw: raw.map((s) => s.slice(0, 80)),
    errors: document.querySelectorAll('[data-mml-node="merror"], mjx-merror').length,
    unsized: unsized.map((m) => m.textContent.slice(0, 40)),
    count: math.length,
    mathjax: !!window.MathJax || !!document.querySelector("script[src*='MathJax']"),
  };
}"""


def _pages(site: str, built: Path) -> list[str]:
    pages = ["index.html", *[f"{stem}.html" for stem in STEMS]]
    if (built / "slides").exists():
        pages += [f"slides/{stem}.slides.html" for stem in STEMS]
    return [site + page for page in pages]


@pytest.mark.browser
@pytest.mark.parametrize("which", ["student", "instructor"])
def test_every_page_loads_cleanly_offline(browser, site_server, built_sites, which):
    built = built_sites[0] if which == "student" else built_sites[1]
    base = site_server[which]
    origin = re.match(r"http://127\.0\.0\.1:\d+/", base).group(0)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    links: set[str] = set()
    try:
        page = context.new_page()
        page.on(
            "response",
            lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        page.on("requestfailed", lambda r: problems.append(f"failed {r.url} {r.failure}"))
        page.on(
            "request",
            lambda r: None if r.url.startswith((origin, "data:")) else problems.append(r.url),
        )
        page.on(
            "console",
            lambda m: (
                problems.append(f"console {m.type}: {m.text}")
                if m.type in ("error", "warning")
                else None
            ),
        )
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        for url in _pages(base, built):
            page.goto(url)
            page.wait_for_load_state("load")
            math = page.evaluate(MATH_REPORT)
            assert not math["raw"] and not math["errors"] and not math["unsized"], (url, math)
            assert math["count"] >= 5 and not math["mathjax"], (url, math)
            hrefs = page.evaluate(
                "() => [...document.querySelectorAll('a[href]')].map(a => a.href)"
            )
            links.update(urldefrag(urljoin(url, h))[0] for h in hrefs)
        page.wait_for_timeout(500)
    finally:
        context.close()
    assert not problems, "\n".join(problems)
    local = sorted(link for link in links if link.startswith(origin))
    assert len(local) >= len(STEMS)
    for link in local:
        try:
            urllib.request.urlopen(link, timeout=10).close()
        except urllib.error.URLError as error:
            pytest.fail(f"{link}: {error}")


@pytest.mark.browser
def test_index_has_no_doubled_numbering(browser, site_server):
    context = browser.new_context()
    try:
        page = context.new_page()
        for which in ("student", "instructor"):
            page.goto(site_server[which] + "index.html")
            text = page.inner_text("main")
            assert re.search(r"\b(\d+)\.\s+\1\.", text) is None, text[:300]
            assert "with solutions" not in text if which == "student" else True
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("stem", [s for s in STEMS if s != "03_loss"])
def test_players_fit_a_phone_and_follow_their_scrubbers(browser, site_server, stem):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(f"{site_server['student']}{stem}.html")
        page.wait_for_load_state("load")
        players = page.locator("figure.slider-animation")
        assert players.count() >= 1
        for k in range(players.count()):
            player = players.nth(k)
            player.scroll_into_view_if_needed()
            box = player.bounding_box()
            image = player.locator("img").first
            picture = image.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390 + 0.5, (stem, box)
            assert picture["x"] + picture["width"] <= 390 + 0.5, (stem, picture)
            for r, row in enumerate(player.locator(".slider-animation-row").all()):
                scrubber = row.locator("input[type=range]")
                before = (image.get_attribute("src"), row.locator("output").inner_text())
                last = scrubber.get_attribute("max")
                start = scrubber.input_value()
                target = "0" if start == last else last
                scrubber.evaluate(
                    "(el, v) => { el.value = v; el.dispatchEvent(new Event('input')); }", target
                )
                after = (image.get_attribute("src"), row.locator("output").inner_text())
                assert after[0] != before[0] and after[1] != before[1], (stem, r)
                assert image.get_attribute("alt").startswith("Figure: ")
        shot = ROOT / "test-artifacts" / f"site-phone-{stem}.png"
        shot.parent.mkdir(exist_ok=True)
        players.first.screenshot(path=str(shot))
    finally:
        context.close()
