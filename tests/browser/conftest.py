"""A real JupyterLab on 127.0.0.1 and Debian's Chromium driven by Playwright.

Lab runs in a temporary copy of the repository: with jupytext installed, Lab rewrites the
paired files when it saves, and the tests must never touch the real ones.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import uuid
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import local_server  # noqa: E402

sys.path.pop(0)
_free_port = local_server.free_port

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
_RUN = uuid.uuid4().hex  # this session, when not under xdist


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


@pytest.fixture(scope="module")
def lab(repo_copy, tmp_path_factory):
    """The URL and token of a running JupyterLab, for one test file; stopped at its end
    whatever happens (an idle Lab and its page would keep polling through later tests)."""
    port, token = _free_port(), secrets.token_hex(16)
    settings = tmp_path_factory.mktemp("lab-settings")
    command = local_server.lab_command(
        repo_copy / "notebooks",
        port,
        token,
        settings,
        "--LabApp.expose_app_in_browser=True",  # one page opens every notebook in turn
    )
    log = tmp_path_factory.mktemp("lab-log") / "lab.log"
    with local_server.running(command, port, token, log, timeout=60) as url:
        yield url, token


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """test-artifacts/ (ignored by git), cleared of the previous run's Lab screenshots.

    Cleared once per run: under pytest-xdist the first worker to ask clears it (the run's id
    is written there under a file lock), so no worker deletes another's new screenshots.
    """
    from filelock import FileLock

    ARTIFACTS.mkdir(exist_ok=True)
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or _RUN
    marker = ARTIFACTS / ".run"
    with FileLock(str(ARTIFACTS / ".run.lock")):
        if not marker.exists() or marker.read_text() != run:
            for old in ARTIFACTS.glob("lab-*.png"):
                old.unlink()
            marker.write_text(run)
    return ARTIFACTS
