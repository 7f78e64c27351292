"""The weight of the student site and how fast its heaviest page arrives on a slow line.

Run: ``python bench/site_weight.py [--site DIR]`` (``make bench`` runs it). Without ``--site`` the
site is built afresh into a temporary folder by ``build/build.py`` (what ``make build`` runs
once the venv is set up), and that build is timed.

The student site is the folder the build writes for students: with two sites side by side
(``_site`` and ``_site-instructor``) all of ``_site``; with one site holding both versions,
everything but its ``instructor/`` folder. A page's weight is every byte Chromium fetches to
show it (the HTML and what it loads, e.g. MathJax), from a local server with the cache off.
The load time is Chromium's, throttled through the DevTools protocol
(``Network.emulateNetworkConditions``): from navigation start to the later of the ``load``
event (every picture in) and the maths shown, then one painted frame. The maths is shown when,
the whole document parsed, no raw TeX is left in the page's text and every formula is laid out
at a visible size: typeset in the browser by MathJax 2 (the build before issue 15) or at build
time as SVG (``build/typeset_math.js``; then at once).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _browser import ROOT, chromium, static_server  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

MB = 1e6  # the targets are in decimal megabytes

# Before the page's scripts run: note when the maths is on screen (see the module's docstring)
# and the next frame is painted. Raw TeX is looked for in text outside code, scripts and
# typeset maths. MathJax 2 turns each formula into a script element and shows it in a
# span.MathJax; the build's SVG maths is an mjx-container holding an svg. (MathJax 2's own
# queue is no clock here: on those pages one entry stays pending for good.)
TYPESET_CLOCK = r"""(() => {
    const RAW_TEX = /\$\$|\$[^\s$][^$]*\$|\\\(|\\\[/;
    const SKIP = "script, style, pre, code, textarea, mjx-container, .MathJax, .MathJax_Preview";
    const rawTex = () => {
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (RAW_TEX.test(node.data) && !node.parentElement.closest(SKIP)) return true;
        }
        return false;
    };
    const mathJax2Done = () => {
        const math = document.querySelectorAll('script[type^="math/tex"]').length;
        if (!window.MathJax) return math === 0;
        if (!window.MathJax.isReady) return false;
        const shown = document.querySelectorAll('span.MathJax, span.MathJax_SVG').length;
        return shown >= math && !document.querySelector('.MathJax_Processing');
    };
    // (Maths in a closed hint, <details>, is not on screen: it is not waited for.)
    const svgShown = () => [...document.querySelectorAll('mjx-container')].every((m) => {
        const svg = m.querySelector('svg');
        return svg && (svg.getBoundingClientRect().width > 0 || !m.checkVisibility());
    });
    const done = () => mathJax2Done() && svgShown() && !rawTex();
    const poll = () => {
        if (done()) {
            requestAnimationFrame(() => { window.__benchTypeset = performance.now(); });
        } else {
            setTimeout(poll, 10);
        }
    };
    document.addEventListener('DOMContentLoaded', poll);
})();"""
LOAD_EVENT = "() => performance.getEntriesByType('navigation')[0].loadEventEnd"


@dataclass
class Site:
    root: Path  # the student site's folder
    layout: str
    files: list[Path] = field(default_factory=list)  # every file of the student site
    build_seconds: float | None = None

    @property
    def total_bytes(self) -> int:
        return sum(f.stat().st_size for f in self.files)

    @property
    def pages(self) -> list[Path]:
        return sorted(f for f in self.files if f.suffix == ".html")


def student_site(site: Path) -> Site:
    """The student part of a built site (see the module's docstring for the two layouts)."""
    instructor_twin = site.with_name(site.name + "-instructor")
    if instructor_twin.is_dir():
        files = [f for f in site.rglob("*") if f.is_file()]
        return Site(site, f"two sites ({site.name}, {instructor_twin.name})", files)
    files = [
        f for f in site.rglob("*") if f.is_file() and f.relative_to(site).parts[0] != "instructor"
    ]
    return Site(site, "one site, instructor/ left out", files)


def build(folder: Path) -> Site:
    """Build the site into ``folder/_site`` with build/build.py, timed."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(ROOT / "build" / "build.py"), str(folder / "_site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"build/build.py failed: {last}")
    site = student_site(folder / "_site")
    site.build_seconds = time.perf_counter() - start
    return site


def _fetched_bytes(browser, url: str, throttle=None, typeset=False) -> tuple[int, float, float]:
    """Bytes Chromium fetches to show ``url`` (cache off), and ms to the rendered page.

    The time (with ``typeset``; NaN otherwise or if the maths never shows) runs from the
    navigation's start to the later of the ``load`` event and the typeset maths painted;
    then the time of the ``load`` event alone.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    if throttle:
        cdp.send("Network.emulateNetworkConditions", throttle)
    sizes: dict[str, float] = {}
    cdp.on(
        "Network.loadingFinished",
        lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]),
    )
    page.add_init_script(TYPESET_CLOCK)
    try:
        page.goto(url, wait_until="load", timeout=120_000)
        rendered, loaded = float("nan"), float(page.evaluate(LOAD_EVENT))
        if typeset:
            try:
                page.wait_for_function("() => window.__benchTypeset !== undefined", timeout=60_000)
                rendered = max(loaded, float(page.evaluate("() => window.__benchTypeset")))
            except PlaywrightTimeout:
                pass  # the maths never showed
        page.wait_for_load_state("networkidle", timeout=120_000)
        return int(sum(sizes.values())), rendered, loaded
    finally:
        context.close()


def measure(site: Site, mbit: float = 10, latency_ms: float = 40, repeats: int = 3, log=print):
    """Every page once throttled: its weights and ms to rendered; 05's page ``repeats`` times.

    Returns ``({page: (file bytes, fetched bytes, ms to rendered)}, 05's page, its ms to
    rendered, its ms to the load event)``.
    """
    throttle = {
        "offline": False,
        "latency": latency_ms,
        "downloadThroughput": mbit * 1e6 / 8,
        "uploadThroughput": mbit * 1e6 / 8,
    }
    # page: (its file, all it fetches with no cache, ms to rendered at the throttled speed)
    weights: dict[str, tuple[int, int, float]] = {}
    with static_server(site.root) as base, chromium() as browser:
        for page in site.pages:
            relative = page.relative_to(site.root).as_posix()
            fetched, rendered, _ = _fetched_bytes(browser, f"{base}/{relative}", throttle, True)
            weights[relative] = (page.stat().st_size, fetched, rendered)
        heavy = [p for p in weights if Path(p).name.startswith("05") and "slides" not in p]
        loads, load_events = [], []
        if heavy:
            for _ in range(repeats):
                _, rendered, loaded = _fetched_bytes(browser, f"{base}/{heavy[0]}", throttle, True)
                loads.append(rendered)
                load_events.append(loaded)
            log(
                f"  {heavy[0]} at {mbit:g} Mbit/s, {latency_ms:g} ms: rendered at "
                f"{[round(t) for t in loads]} ms, load event at {[round(t) for t in load_events]}"
            )
    return weights, (heavy[0] if heavy else None), loads, load_events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="an existing build (default: build afresh)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-site-") as folder:
        site = student_site(options.site.resolve()) if options.site else build(Path(folder))
        if site.build_seconds is not None:
            print(f"build: {site.build_seconds:.1f} s")
        weights, heavy, loads, _ = measure(site)
        print(f"student site ({site.layout}): {site.total_bytes / MB:.1f} MB")
        for page, (size, fetched, ms) in sorted(weights.items(), key=lambda item: -item[1][0]):
            print(f"  {size / MB:6.2f} MB, {fetched / MB:6.2f} MB fetched, {ms:5.0f} ms  {page}")
        if loads:
            print(f"{heavy}: median {median(loads):.0f} ms")


if __name__ == "__main__":
    main()
