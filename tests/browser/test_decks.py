"""Every deck of the instructor site, stepped through with the right arrow key only.

At 1280x720 and 1024x768 (reveal.js scales its 960x700 canvas to the window), with every
fragment shown, no slide's content may extend past the slide, no code box may be clipped,
and -> alone must reach every slide; every deck numbers its slides and has speaker notes.
A screenshot of every slide at 1280x720, the projector's size, goes to
``test-artifacts/decks/`` (look at them); at 1024x768 every slide is measured the same way,
without a picture (a third of the walk's CPU).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STEMS = [p.stem for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))]
SIZES = [(1280, 720), (1024, 768)]
SHOTS_AT = (1280, 720)
TOLERANCE = 1.0  # CSS px of the 960x700 canvas (sub-pixel rounding)

# Run in the page: how far the present slide's content reaches past the slide (canvas px),
# and which code or text boxes cut their content off.
MEASURE = """() => {
  const slide = Reveal.getCurrentSlide();
  const box = document.querySelector(".reveal .slides").getBoundingClientRect();
  const scale = Reveal.getScale();
  let bottom = 0, right = 0, left = 0, worst = "";
  for (const el of slide.querySelectorAll("*")) {
    if (el.closest("aside.notes, script, style")) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const below = (r.bottom - box.bottom) / scale;
    if (below > bottom) { bottom = below; worst = el.className || el.tagName; }
    right = Math.max(right, (r.right - box.right) / scale);
    left = Math.max(left, (box.left - r.left) / scale);
  }
  const clipped = [];
  for (const el of slide.querySelectorAll(
      ".jp-InputArea-editor, .jp-InputArea-editor pre, .jp-OutputArea-output pre")) {
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) {
      clipped.push((el.textContent || "").trim().split("\\n")[0].slice(0, 60));
    }
  }
  const indices = Reveal.getIndices();
  const heading = slide.querySelector("h1, h2, h3");
  return {h: indices.h, v: indices.v || 0, f: indices.f === undefined ? -1 : indices.f,
          bottom, right, left, worst: String(worst).slice(0, 60), clipped,
          heading: heading ? heading.textContent.replace("¶", "").trim() : "",
          more: !!Reveal.availableFragments().next, last: Reveal.isLastSlide()};
}"""

SETTLED = (
    "() => Reveal.isReady() && (!window.MathJax || !MathJax.Hub || !MathJax.Hub.queue"
    " || MathJax.Hub.queue.pending === 0) && [...Reveal.getCurrentSlide().querySelectorAll('img')]"
    ".every(i => i.complete)"
)
# Run in the page: wait (frame by frame, at most 60 s) until the slide is settled, then
# measure it: one round trip per step.
SETTLE_AND_MEASURE = f"""async () => {{
  const settled = {SETTLED};
  const t0 = performance.now();
  while (!settled()) {{
    if (performance.now() - t0 > 60000) throw new Error("the slide did not settle in 60 s");
    await new Promise(resolve => requestAnimationFrame(resolve));
  }}
  return ({MEASURE})();
}}"""


CONFIG = (
    "() => [Reveal.getConfig().navigationMode, Reveal.getConfig().slideNumber,"
    " !!Reveal.getPlugin('notes'), !!document.querySelector('.slide-number')?.offsetParent]"
)


def walk(page, url: str, shots: Path | None = None) -> tuple[int, dict, list]:
    """Step through a deck with -> only.

    Returns (slide count, {(h, v): worst measurement}, [navigation mode, slide number format,
    notes plugin loaded, slide number shown]).
    """
    page.goto(url)
    page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=60_000)
    total = page.evaluate("() => Reveal.getTotalSlides()")
    config = page.evaluate(CONFIG)
    slides: dict = {}
    for _step in range(2000):
        m = page.evaluate(SETTLE_AND_MEASURE)
        key = (m["h"], m["v"])
        previous = slides.get(key)
        if previous is None or m["f"] >= previous["f"]:  # the last fragment state counts
            slides[key] = m
            if shots is not None and not m["more"]:  # one shot, with all fragments shown
                page.screenshot(path=str(shots / f"slide-{m['h']:02d}-{m['v']:02d}.png"))
        if m["last"] and not m["more"]:
            break
        page.keyboard.press("ArrowRight")
    return total, slides, config


def problems(slides: dict) -> list[str]:
    found = []
    for (h, v), m in sorted(slides.items()):
        where = f"slide {h + 1}.{v} {m['heading'][:40]!r}"
        if m["bottom"] > TOLERANCE:
            found.append(f"{where}: {m['bottom']:.0f}px past the bottom ({m['worst']})")
        if m["right"] > TOLERANCE or m["left"] > TOLERANCE:
            found.append(f"{where}: {max(m['right'], m['left']):.0f}px past the side")
        if m["clipped"]:
            found.append(f"{where}: clipped box {m['clipped'][0]!r}")
    return found


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("stem", STEMS)
def test_deck_fits_and_right_arrow_reaches_every_slide(browser, site_server, stem, size):
    """Also: linear navigation, slide numbers shown ("c/t"), the speaker-notes plugin."""
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    outside: list[str] = []
    local = ("http://127.0.0.1", "data:")
    context.on("request", lambda r: None if r.url.startswith(local) else outside.append(r.url))
    shots = ROOT / "test-artifacts" / "decks" / f"{stem}-{width}x{height}"
    shots.mkdir(parents=True, exist_ok=True)
    for old in shots.glob("*.png"):
        old.unlink()
    try:
        page = context.new_page()
        url = f"{site_server['instructor']}slides/{stem}.slides.html"
        total, slides, config = walk(page, url, shots if size == SHOTS_AT else None)
    finally:
        context.close()
    report = {"slides": total, "reached": len(slides), "problems": problems(slides)}
    (shots / "report.json").write_text(json.dumps(report, indent=1))
    assert len(slides) == total, f"-> reached {len(slides)} of {total} slides"
    assert not outside, outside
    assert not report["problems"], "\n".join(report["problems"])
    assert config == ["linear", "c/t", True, True], f"{stem}: {config}"
