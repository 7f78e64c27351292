"""What the browser benchmarks share: Debian's Chromium, a JupyterLab on a copy of the
notebooks, and a static file server, each on 127.0.0.1 and a free port, each stopped on exit.
"""

from __future__ import annotations

import functools
import http.server
import secrets
import shutil
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import local_server  # noqa: E402

sys.path.pop(0)
free_port = local_server.free_port

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The flags the browser tests use (tests/conftest.py): no GPU, no network of its own.
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


@contextmanager
def chromium():
    """A headless Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def copy_notebooks(folder: Path) -> Path:
    """The notebooks, paired as in the repository, with their outputs cleared, in ``folder``.

    Cleared, so that every figure on the page was drawn by the kernel Lab runs.
    """
    notebooks = folder / "notebooks"
    notebooks.mkdir(parents=True)
    for source in sorted((ROOT / "notebooks").glob("*.ipynb")):
        notebook = nbformat.read(source, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        notebook.metadata.pop("widgets", None)
        nbformat.write(notebook, notebooks / source.name)
    # After the .ipynb: jupytext refuses a paired script older than its notebook.
    for source in sorted((ROOT / "notebooks").glob("*")):
        if source.is_file() and source.suffix != ".ipynb":
            shutil.copy(source, notebooks / source.name)
    shutil.copy(ROOT / "jupytext.toml", folder / "jupytext.toml")
    return notebooks


@contextmanager
def jupyterlab(folder: Path):
    """A JupyterLab serving ``folder/notebooks`` (a copy: Lab rewrites paired files on save).

    Yields ``(url, token)``; the server is stopped whatever happens.
    """
    port, token = free_port(), secrets.token_hex(16)
    command = local_server.lab_command(folder / "notebooks", port, token, folder / "lab-settings")
    with local_server.running(command, port, token, folder / "lab.log") as url:
        yield url, token


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def static_server(folder: Path):
    """An HTTP server for the files in ``folder``; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
