"""What the browser benchmarks share: Debian's Chromium, a JupyterLab on a copy of the
notebooks, and a static file server, each on 127.0.0.1 and a free port, each stopped on exit.
"""

from __future__ import annotations

import functools
import http.server
import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import nbformat

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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    settings = folder / "lab-settings"
    news = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    news.parent.mkdir(parents=True)
    news.write_text('{"fetchNews": "false", "checkForUpdates": false}')
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={folder / 'notebooks'}",
        "--LabApp.news_url=",
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={settings}",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    with open(folder / "lab.log", "w") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError(f"JupyterLab did not start; see {log.name}") from None
                    time.sleep(0.3)
            yield url, token
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


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
