"""A real JupyterLab on 127.0.0.1 and Debian's Chromium driven by Playwright.

Lab runs in a temporary copy of the repository: with jupytext installed, Lab rewrites the
paired files when it saves, and the tests must never touch the real ones.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def repo_copy(tmp_path_factory) -> Path:
    """The notebooks (paired as in the repository) with their outputs cleared.

    Cleared, so that every output the tests see was made by running the notebook in Lab.
    """
    copy = tmp_path_factory.mktemp("course")
    (copy / "notebooks").mkdir()
    for source in sorted((ROOT / "notebooks").glob("*.ipynb")):
        notebook = nbformat.read(source, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        notebook.metadata.pop("widgets", None)
        nbformat.write(notebook, copy / "notebooks" / source.name)
    # Copied after the .ipynb: jupytext checks that a paired script is not older than its
    # notebook (an outdated script could overwrite the cells).
    for source in sorted((ROOT / "notebooks").glob("*")):
        if source.is_file() and source.suffix != ".ipynb":
            shutil.copy(source, copy / "notebooks" / source.name)
    shutil.copy(ROOT / "jupytext.toml", copy / "jupytext.toml")
    return copy


@pytest.fixture(scope="session")
def lab(repo_copy, tmp_path_factory):
    """The URL and token of a running JupyterLab; stopped at the end whatever happens."""
    port, token = _free_port(), secrets.token_hex(16)
    settings = tmp_path_factory.mktemp("lab-settings")
    # No "Jupyter news" prompt over the screenshots (Lab would ask the network anyway).
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
        f"--ServerApp.root_dir={repo_copy / 'notebooks'}",
        "--LabApp.news_url=",
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={settings}",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = open(tmp_path_factory.mktemp("lab-log") / "lab.log", "w")  # noqa: SIM115
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
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
        log.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """test-artifacts/ (ignored by git), cleared of the previous run's Lab screenshots."""
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob("lab-*.png"):
        old.unlink()
    return ARTIFACTS
