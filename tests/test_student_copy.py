"""The student's own copy (tools/student_copy.py) and notebooks stored for a first open.

The end-to-end test drives the real thing on a temporary clone: `make lab`'s command starts
JupyterLab on work/, an answer is saved through Lab's contents API, the course changes
upstream, the student pulls and starts again.
"""

from __future__ import annotations

import copy
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from jupytext.config import find_jupytext_configuration_file, load_jupytext_configuration_file

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import local_server  # noqa: E402
import run_notebooks  # noqa: E402
import student_copy  # noqa: E402

sys.path.pop(0)

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
UNDER_TEST = ["tools/student_copy.py", "tools/run_notebooks.py", ".gitignore", "Makefile"]
COURSE_NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


# --- the sync rules, on small notebooks --------------------------------------------------


def _notebook(*sources: str, outputs: list | None = None) -> dict:
    cells = [nbformat.v4.new_markdown_cell(sources[0])]
    cells += [nbformat.v4.new_code_cell(s, outputs=outputs or []) for s in sources[1:]]
    return nbformat.v4.new_notebook(cells=cells, metadata={"jupytext": {"formats": "x"}})


def _write(path: Path, notebook: dict) -> None:
    path.write_text(json.dumps(notebook))


def _sources(path: Path) -> list[str]:
    return ["".join(c["source"]) for c in json.loads(path.read_text())["cells"]]


@pytest.fixture
def course_and_work(tmp_path):
    course, work = tmp_path / "notebooks", tmp_path / "work"
    course.mkdir()
    _write(course / "01_a.ipynb", _notebook("# A", "a = ..."))
    _write(course / "02_b.ipynb", _notebook("# B", "b = ..."))
    return course, work


def test_first_sync_copies_every_notebook_without_jupytext_pairing(course_and_work):
    course, work = course_and_work
    done = student_copy.sync(course, work)
    assert done == ["created    work/ with your own copy of 2 notebooks"]
    assert sorted(p.name for p in work.glob("*.ipynb")) == ["01_a.ipynb", "02_b.ipynb"]
    assert "jupytext" not in json.loads((work / "01_a.ipynb").read_text())["metadata"]
    # Should Lab be started from the repository's root, its jupytext.toml (which pairs every
    # notebook with a .py) must not reach work/: the nearest configuration wins.
    config = find_jupytext_configuration_file(work / "01_a.ipynb")
    assert Path(config) == work / "jupytext.toml"
    assert load_jupytext_configuration_file(config).formats == ["ipynb"]
    assert student_copy.sync(course, work) == []  # nothing changed: nothing done


def test_untouched_is_updated_edited_is_kept_deleted_is_restored_new_is_added(course_and_work):
    course, work = course_and_work
    student_copy.sync(course, work)
    mine = json.loads((work / "01_a.ipynb").read_text())
    mine["cells"][1]["source"] = "a = 42"
    _write(work / "01_a.ipynb", mine)
    _write(course / "01_a.ipynb", _notebook("# A, fixed", "a = ..."))
    _write(course / "02_b.ipynb", _notebook("# B, fixed", "b = ..."))
    _write(course / "03_c.ipynb", _notebook("# C", "c = ..."))
    done = student_copy.sync(course, work)
    assert done == [
        "kept       01_a.ipynb (you edited it); the course's new version is 01_a.updated.ipynb",
        "updated    02_b.ipynb (you had not edited it)",
        "added      03_c.ipynb (new in the course)",
    ]
    assert _sources(work / "01_a.ipynb") == ["# A", "a = 42"]
    assert _sources(work / "01_a.updated.ipynb") == ["# A, fixed", "a = ..."]
    assert _sources(work / "02_b.ipynb") == ["# B, fixed", "b = ..."]
    assert student_copy.sync(course, work) == []  # said once, not at every start
    (work / "02_b.ipynb").unlink()
    assert student_copy.sync(course, work) == ["restored   02_b.ipynb (you had deleted it)"]


def test_running_a_notebook_is_not_an_edit(course_and_work):
    course, work = course_and_work
    student_copy.sync(course, work)
    ran = json.loads((work / "01_a.ipynb").read_text())
    ran["cells"][1]["execution_count"] = 1
    ran["cells"][1]["outputs"] = [nbformat.v4.new_output("stream", text="hello\n")]
    _write(work / "01_a.ipynb", ran)
    _write(course / "01_a.ipynb", _notebook("# A, fixed", "a = ..."))
    assert student_copy.sync(course, work) == ["updated    01_a.ipynb (you had not edited it)"]


def test_a_second_course_change_refreshes_the_updated_copy_unless_the_student_edited_it(
    course_and_work,
):
    course, work = course_and_work
    student_copy.sync(course, work)
    _write(work / "01_a.ipynb", _notebook("# A", "a = 42"))
    _write(course / "01_a.ipynb", _notebook("# A, fix 1", "a = ..."))
    student_copy.sync(course, work)
    _write(course / "01_a.ipynb", _notebook("# A, fix 2", "a = ..."))
    assert "01_a.updated.ipynb" in student_copy.sync(course, work)[0]
    assert _sources(work / "01_a.updated.ipynb")[0] == "# A, fix 2"
    _write(work / "01_a.updated.ipynb", _notebook("# A, fix 2", "a = 7"))  # works in it
    _write(course / "01_a.ipynb", _notebook("# A, fix 3", "a = ..."))
    assert "01_a.updated-2.ipynb" in student_copy.sync(course, work)[0]
    assert _sources(work / "01_a.updated.ipynb")[1] == "a = 7"
    assert _sources(work / "01_a.ipynb")[1] == "a = 42"


def test_a_notebook_removed_from_the_course_goes_only_if_unedited(course_and_work):
    course, work = course_and_work
    student_copy.sync(course, work)
    _write(work / "02_b.ipynb", _notebook("# B", "b = 1"))
    (course / "01_a.ipynb").unlink()
    (course / "02_b.ipynb").unlink()
    assert student_copy.sync(course, work) == [
        "removed    01_a.ipynb (no longer in the course; you had not edited it)",
        "kept       02_b.ipynb (no longer in the course; you edited it)",
    ]
    assert (work / "02_b.ipynb").exists() and not (work / "01_a.ipynb").exists()


def test_reset_gives_the_course_version_and_keeps_the_students(course_and_work):
    course, work = course_and_work
    student_copy.sync(course, work)
    _write(work / "02_b.ipynb", _notebook("# B", "b = 1"))
    assert student_copy.reset("02", course, work) == [
        "saved      your 02_b.ipynb as 02_b.before-reset.ipynb",
        "reset      02_b.ipynb to the course's version",
    ]
    assert _sources(work / "02_b.ipynb") == ["# B", "b = ..."]
    assert _sources(work / "02_b.before-reset.ipynb") == ["# B", "b = 1"]
    assert student_copy.sync(course, work) == []
    for wrong in ("", "0", "07", "b"):
        with pytest.raises(ValueError, match="NB="):
            student_copy.reset(wrong, course, work)


def test_reset_from_the_command_line(tmp_path):
    bad = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "student_copy.py"), "reset"],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "reset takes one notebook" in bad.stderr


def test_the_makefile_runs_the_student_copy():
    """`make lab` and `make reset` go through tools/student_copy.py; `make author` does not."""
    plan = subprocess.run(
        ["make", "-n", "-B", "lab", "reset", "NB=05", "author"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "tools/student_copy.py lab" in plan
    assert "tools/student_copy.py reset 05" in plan
    assert "jupyter lab --ServerApp.root_dir=notebooks" in plan


# --- notebooks stored for a first open ---------------------------------------------------


@pytest.mark.parametrize("path", COURSE_NOTEBOOKS, ids=[p.stem for p in COURSE_NOTEBOOKS])
def test_first_open_form_has_no_widget_views_and_keeps_every_picture(path):
    stored = json.loads(path.read_text())
    prepared = run_notebooks.for_first_open(copy.deepcopy(stored))
    nbformat.validate(nbformat.from_dict(prepared))
    assert WIDGET_VIEW not in json.dumps(prepared)
    assert run_notebooks.for_first_open(copy.deepcopy(prepared)) == prepared  # idempotent
    for before, after in zip(stored["cells"], prepared["cells"], strict=True):
        assert before["source"] == after["source"]
        pictures = [o for o in after.get("outputs", []) if "image/png" in o.get("data", {})]
        views = [o for o in before.get("outputs", []) if WIDGET_VIEW in o.get("data", {})]
        if views or any("course_utils" in o.get("metadata", {}) for o in pictures):
            words = [o["data"].get("text/markdown", "") for o in after["outputs"] if "data" in o]
            words = ["".join(w) for w in words]  # stored as a list of lines
            words = [w for w in words if "once the notebook has run" in w]
            assert len(words) == 1 and "slider" in words[0]
            assert any("course_utils" in o["metadata"] for o in pictures)
            assert "nbval-ignore-output" in after["metadata"].get("tags", [])


def test_first_open_uses_the_bundles_own_picture_and_names_every_slider():
    view = {"model_id": "1" * 32, "version_major": 2, "version_minor": 0}
    output = nbformat.v4.new_output(
        "display_data",
        data={WIDGET_VIEW: view, "image/png": "iVBORw0KGgo=", "text/plain": "repr"},
    )
    state = {
        "1" * 32: {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_" + "2" * 32]}},
        "2" * 32: {"model_name": "FloatSliderModel", "state": {"description": "learning rate"}},
    }
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("explorer()", outputs=[output])],
        metadata={"widgets": {run_notebooks.WIDGET_STATE: {"state": state}}},
    )
    cell = run_notebooks.for_first_open(json.loads(json.dumps(notebook)))["cells"][0]
    note, picture = cell["outputs"]
    assert note["data"]["text/plain"] == (
        "The learning rate slider moves once the notebook has run (Run ▸ Run All Cells)."
    )
    assert "**learning rate**" in note["data"]["text/markdown"]
    assert picture["data"] == {
        "image/png": "iVBORw0KGgo=",
        "text/plain": note["data"]["text/plain"],
    }
    assert picture["metadata"] == {"course_utils": {"widget_view": view}}


def test_a_students_run_notebook_is_prepared_for_the_next_open(course_and_work):
    """Lab saves the views but not the widget state: the next open would show errors."""
    course, work = course_and_work
    student_copy.sync(course, work)
    view = {"model_id": "3" * 32, "version_major": 2, "version_minor": 0}
    line = "batch size slider — run the notebook to move it"
    ran = json.loads((work / "01_a.ipynb").read_text())
    ran["cells"][1]["outputs"] = [
        nbformat.v4.new_output(
            "display_data", data={WIDGET_VIEW: view, "image/png": "iVBO", "text/plain": line}
        )
    ]
    _write(work / "01_a.ipynb", ran)
    done = student_copy.sync(course, work)
    assert done == ["prepared   01_a.ipynb: its sliders show their picture until run"]
    outputs = json.loads((work / "01_a.ipynb").read_text())["cells"][1]["outputs"]
    assert [o["data"]["text/plain"] for o in outputs] == [line, line]
    assert outputs[1]["data"]["image/png"] == "iVBO"
    assert student_copy.sync(course, work) == []


# --- end to end: a clone, JupyterLab, an answer, a course update -------------------------


def _git(cwd: Path, *args: str) -> str:
    identity = ["-c", "user.name=Course Test", "-c", "user.email=test@example.invalid"]
    result = subprocess.run(
        ["git", *identity, *args], cwd=cwd, capture_output=True, text=True, check=True
    )
    return result.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Lab:
    """`make lab`'s command (tools/student_copy.py lab) in ``clone``, on 127.0.0.1."""

    def __init__(self, clone: Path, scratch: Path):
        self.port, self.token = _free_port(), secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        scratch.mkdir(parents=True, exist_ok=True)
        self.log_path = scratch / f"lab-{self.port}.log"
        command = [
            sys.executable,
            "tools/student_copy.py",
            "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            f"--IdentityProvider.token={self.token}",
            "--LabApp.news_url=",
            f"--LabApp.user_settings_dir={scratch}",
            f"--LabApp.workspaces_dir={scratch}",
            f"--NotebookNotary.data_dir={scratch}",
        ]
        if os.geteuid() == 0:
            command.append("--allow-root")
        self.log = open(self.log_path, "w")  # noqa: SIM115
        self.server = subprocess.Popen(
            command, cwd=clone, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 90
        while True:
            try:
                self.api("status")
                return
            except OSError:
                if time.monotonic() > deadline or self.server.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"JupyterLab did not start: {self.output()}") from None
                time.sleep(0.3)

    def api(self, path: str, body: dict | None = None, method: str = "GET") -> dict:
        return local_server.api(self.url, self.token, path, body, method)

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text()

    def stop(self) -> None:
        self.server.terminate()
        try:
            self.server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.server.kill()
        self.log.close()


def _change_first_cell(path: Path, line: str) -> None:
    notebook = json.loads(path.read_text())
    notebook["cells"][0]["source"] = "".join(notebook["cells"][0]["source"]) + f"\n\n{line}"
    path.write_text(json.dumps(notebook, indent=1) + "\n")


def test_a_students_answer_survives_a_course_update(tmp_path):
    origin, clone = tmp_path / "origin", tmp_path / "student"
    _git(tmp_path, "clone", "--quiet", "--no-hardlinks", str(ROOT), str(origin))
    for tested in UNDER_TEST:  # the working tree's version, committed or not
        (origin / tested).write_bytes((ROOT / tested).read_bytes())
    _git(origin, "add", *UNDER_TEST)
    if _git(origin, "status", "--porcelain"):
        _git(origin, "commit", "--quiet", "-m", "The student copy as in the working tree")
    _git(tmp_path, "clone", "--quiet", str(origin), str(clone))
    lab = _Lab(clone, tmp_path / "lab-1")
    try:
        assert "created    work/ with your own copy" in lab.output()
        listing = {item["name"] for item in lab.api("contents")["content"]}
        assert {p.name for p in COURSE_NOTEBOOKS} <= listing
        # The student answers exercise 2 of notebook 03 and saves, through Lab.
        saved = lab.api("contents/03_loss.ipynb")
        answer = [c for c in saved["content"]["cells"] if c["source"].startswith("loss_of_conf")]
        answer[0]["source"] = "loss_of_confident_mistake = 40.0  # my answer"
        body = {"type": "notebook", "format": "json", "content": saved["content"]}
        lab.api("contents/03_loss.ipynb", body, method="PUT")
    finally:
        lab.stop()
    work = clone / "work"
    assert "loss_of_confident_mistake = 40.0  # my answer" in _sources(work / "03_loss.ipynb")
    assert not list(work.glob("*.py")), "Lab paired the student's copy with .py files"
    assert "jupytext" not in json.loads((work / "03_loss.ipynb").read_text())["metadata"]
    assert _git(clone, "status", "--porcelain") == "", "the student's work shows in git"

    # The instructor fixes notebooks 03 and 04; the student pulls and starts again.
    _change_first_cell(origin / "notebooks" / "03_loss.ipynb", "A fix from the instructor.")
    _change_first_cell(origin / "notebooks" / "04_landscape.ipynb", "Another fix.")
    _git(origin, "commit", "--quiet", "-am", "Fix notebooks 03 and 04")
    _git(clone, "pull", "--quiet", "--ff-only")
    lab = _Lab(clone, tmp_path / "lab-2")
    try:
        said = lab.output()
        served = lab.api("contents/03_loss.ipynb")["content"]["cells"]
    finally:
        lab.stop()
    assert "kept       03_loss.ipynb (you edited it); the course's new version is " in said
    assert "03_loss.updated.ipynb" in said
    assert "updated    04_landscape.ipynb (you had not edited it)" in said
    assert any(c["source"] == "loss_of_confident_mistake = 40.0  # my answer" for c in served)
    assert "A fix from the instructor." not in _sources(work / "03_loss.ipynb")[0]
    assert "A fix from the instructor." in _sources(work / "03_loss.updated.ipynb")[0]
    assert "Another fix." in _sources(work / "04_landscape.ipynb")[0]
    assert _git(clone, "status", "--porcelain") == ""
