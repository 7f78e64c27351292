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

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def repo_copy(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("course")
    shutil.copytree(
        ROOT / "notebooks", copy / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints")
    )
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


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
