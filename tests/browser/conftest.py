"""Servers on 127.0.0.1 (JupyterLab, the presenting route, the built site) and Debian's
headless Chromium driven by Playwright.

Every server serves a temporary copy, never the repository's notebooks: with jupytext
installed, a save would rewrite the paired files.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
_RUN = uuid.uuid4().hex  # this session, when not under xdist


@pytest.fixture(scope="session")
def repo_copy(tmp_path_factory) -> Path:
    """The notebooks (paired as in the repository) with their outputs cleared.

    Cleared, so that every output the presenting route's test sees was made by its run.
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
