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


# Debian's chromium-headless-shell: the same Blink as its chromium, without the desktop
# browser around it. Driving JupyterLab and the decks, it spends ~40 % less CPU (12 against
# 20 s for six deck walks), and the browser is most of the CPU `make test` spends.
CHROMIUM = shutil.which("chromium-headless-shell") or "/usr/bin/chromium-headless-shell"
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
        pytest.fail(
            "Debian's headless Chromium is not installed: "
            "`apt-get install -y chromium-headless-shell`"
        )
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


def _build_sites(site: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, str(root / "build" / "build.py"), str(site)],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture(scope="session")
def built_sites(tmp_path_factory) -> tuple[Path, Path]:
    """(student site, instructor site) from ``build/build.py``, built once per session.

    Under pytest-xdist every worker asks for it: the first builds into the run's shared
    temporary folder under a file lock, the others wait and reuse that build (a failed build
    is reported to each of them without building again).
    ``COURSE_SITE=path/to/_site`` reuses a finished build (its ``-instructor`` sibling too).
    """
    given = os.environ.get("COURSE_SITE")
    if given:
        site = Path(given).resolve()
    elif not os.environ.get("PYTEST_XDIST_WORKER"):
        site = tmp_path_factory.mktemp("sites") / "_site"
        _build_sites(site)
    else:
        from filelock import FileLock

        shared = tmp_path_factory.getbasetemp().parent / "sites"  # one per run, all workers
        shared.mkdir(exist_ok=True)
        site, done, failed = shared / "_site", shared / "built", shared / "failed"
        with FileLock(str(shared / "build.lock")):
            assert not failed.exists(), failed.read_text()
            if not done.exists():
                try:
                    _build_sites(site)
                except AssertionError as error:
                    failed.write_text(str(error))
                    raise
                done.touch()
    return site, site.with_name(site.name + "-instructor")


@pytest.fixture(scope="session")
def site_server(built_sites):
    """Both built sites served over HTTP on 127.0.0.1: {"student": url, "instructor": url}."""
    import functools
    import sys
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    site = built_sites[0]

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    class Server(ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            # A page left while a file was still on its way (the browser hung up): not an error.
            if not isinstance(sys.exc_info()[1], ConnectionError):
                super().handle_error(request, client_address)

    handler = functools.partial(Quiet, directory=str(site.parent))
    server = Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield {"student": f"{base}/{site.name}/", "instructor": f"{base}/{site.name}-instructor/"}
    finally:
        server.shutdown()
        server.server_close()
