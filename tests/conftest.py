"""Shared fixtures and the hypothesis profile (no deadlines: the machine is shared and noisy)."""

import os
import shutil
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from hypothesis import settings

matplotlib.use("Agg")
settings.register_profile("course", deadline=None, max_examples=60)
# CI must not fail on a new random example: there the examples are fixed (derandomised).
settings.register_profile("ci", deadline=None, max_examples=60, derandomize=True)
settings.register_profile("thorough", deadline=None, max_examples=2000)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "course")
)


@pytest.fixture(scope="session")
def data():
    """The course's default data set: distance 5, sigma 1, 200 points per class."""
    import course_utils as cu

    return cu.make_two_gaussians(5.0, 1.0, 200, 200, seed=0)


@pytest.fixture(scope="session")
def overlapping():
    """Overlapping classes (distance 2, sigma 1): minibatches usually have minima."""
    import course_utils as cu

    return cu.make_two_gaussians(2.0, 1.0, 60, 40, seed=3)


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: `apt-get install -y chromium`")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def offline_page(browser):
    """Open a built page from disk; returns (page, requests that left file:// and data:)."""
    contexts = []

    def open_page(path: Path):
        context = browser.new_context(viewport={"width": 1300, "height": 900})
        contexts.append(context)
        outside: list[str] = []
        context.on(
            "request",
            lambda r: (
                None if r.url.startswith(("file:", "data:", "blob:")) else outside.append(r.url)
            ),
        )
        page = context.new_page()
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        return page, outside

    yield open_page
    for context in contexts:
        context.close()
