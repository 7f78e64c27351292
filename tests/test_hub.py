"""The course's JupyterHub (deploy/) from a student's side: log in, pull, run 05, move the slider.

Run on its own with `.venv/bin/python -m pytest -m hub -p no:nbval -o addopts="" tests/test_hub.py`.
Needs the `hub` extra and `npm ci --prefix deploy` (make test does both). Everything listens on
127.0.0.1 and is stopped at the end.
"""

import asyncio
import io
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "deploy"))
import classroom  # noqa: E402

pytestmark = pytest.mark.hub


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    hub = classroom.Hub(tmp_path_factory.mktemp("hub"))
    hub.start()
    yield hub
    hub.stop()


async def _student_session(hub, folder):
    repo, branch = classroom.course_repo(folder)
    student = await classroom.prepare(hub, "student1", repo, branch)
    try:
        slider, image, labels = student.batch_size_slider()
        first = student.models[image]["png"]
        moves = []
        for label in ("1", "400"):
            moves.append(await student.move_slider(slider, image, labels.index(label)))
        return labels, first, [png for _, png in moves], student.models[slider]["state"]
    finally:
        await student.close()


def test_a_student_runs_notebook_05_and_moves_the_batch_size_slider(hub, tmp_path):
    # In a thread of its own: Playwright's sync API (the browser tests' session fixture) keeps
    # an event loop running in the main thread, where asyncio.run() refuses to start.
    with ThreadPoolExecutor(max_workers=1) as pool:
        session = pool.submit(lambda: asyncio.run(_student_session(hub, tmp_path)))
        labels, first, images, slider_state = session.result()
    assert labels[0] == "1" and labels[-1] == "400"
    # The figure changes with every move, and each update is a real PNG of the whole figure.
    assert len({first, *images}) == 3
    sizes = {Image.open(io.BytesIO(png)).size for png in (first, *images)}
    assert len(sizes) == 1 and min(next(iter(sizes))) > 300
    assert slider_state["index"] == labels.index("400")  # the kernel's echo of the last move
    # The server and its kernel belong to the student; the idle culler runs as a service.
    assert len(hub.student_processes()["student1"]) >= 2
    assert any("jupyterhub_idle_culler" in " ".join(p.cmdline()) for p in hub.processes())


def test_stopping_the_hub_stops_proxy_culler_servers_and_kernels(hub):
    started = hub.processes()  # after the test above: its server and kernel still run
    names = " ".join(" ".join(p.cmdline()) for p in started)
    assert "configurable-http-proxy" in names and "jupyterhub-singleuser" in names
    assert "ipykernel" in names
    hub.stop()
    assert not [p for p in started if p.is_running() and p.status() != "zombie"]
