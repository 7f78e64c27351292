"""A simulated class on the course's JupyterHub: start the hub, log students in, drive sliders.

Used by tests/test_hub.py (one student) and bench/class_load.py (many). Everything talks to
127.0.0.1 only: the hub's login form and REST API, each student's Jupyter server (nbgitpuller,
the contents and sessions APIs) and the kernel's websocket, on which the notebook is executed
and the batch-size slider is moved by the same comm messages JupyterLab would send.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import psutil
import requests
from jupyter_server.services.kernels.connection.base import deserialize_binary_message
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "deploy" / "jupyterhub_config.py"
PROXY = ROOT / "deploy" / "node_modules" / ".bin" / "configurable-http-proxy"
NOTEBOOK_05 = "notebooks/05_minibatch.ipynb"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Hub:
    """The course's JupyterHub in trial mode on 127.0.0.1, in its own state folder."""

    def __init__(self, state: Path, password: str = "course-class-password", cull: int = 3600):
        self.state = Path(state)
        self.password = password
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.cull = cull
        self.process: subprocess.Popen | None = None
        self._seen: dict[int, psutil.Process] = {}

    def start(self, timeout: float = 180) -> None:
        if not PROXY.exists():
            raise RuntimeError(f"{PROXY} is missing: run `npm ci --prefix deploy` first")
        self.state.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "COURSE_HUB_STATE": str(self.state),
            "COURSE_HUB_PORT": str(self.port),
            "COURSE_HUB_IP": "127.0.0.1",
            "COURSE_HUB_PASSWORD": self.password,
            "COURSE_HUB_CULL_TIMEOUT": str(self.cull),
        }
        self.log = open(self.state / "hub.log", "w")  # noqa: SIM115 -- closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)],
            cwd=self.state,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the hub exited: see {self.state / 'hub.log'}")
            try:
                if requests.get(f"{self.url}/hub/api", timeout=5).ok:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        raise TimeoutError(f"the hub did not answer within {timeout} s")

    def processes(self) -> list[psutil.Process]:
        """The hub and everything it started (proxy, culler, servers, kernels), remembered."""
        if self.process is None:
            return []
        try:
            hub = psutil.Process(self.process.pid)
            for p in [hub, *hub.children(recursive=True)]:
                self._seen.setdefault(p.pid, p)
        except psutil.NoSuchProcess:
            pass
        return list(self._seen.values())

    def student_processes(self) -> dict[str, list[psutil.Process]]:
        """Each student's Jupyter server and its kernels, by user name."""
        out: dict[str, list[psutil.Process]] = {}
        for p in psutil.Process(self.process.pid).children():
            try:
                user = p.environ().get("JUPYTERHUB_USER")
                if user:
                    out[user] = [p, *p.children(recursive=True)]
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        return out

    def stop(self) -> None:
        """Stop the hub (it stops the servers and the proxy), then anything left, by pid."""
        if self.process is None:
            return
        started = self.processes()
        # The idle culler ignores the hub's SIGINT and holds its shutdown ~15 s: stop it first.
        for p in started:
            try:
                if "jupyterhub_idle_culler" in p.cmdline():
                    p.terminate()
            except psutil.NoSuchProcess:
                continue
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        for p in started:
            try:
                if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                    p.terminate()
            except psutil.NoSuchProcess:
                continue
        _, alive = psutil.wait_procs(started, timeout=10)
        for p in alive:
            try:
                p.kill()
            except psutil.NoSuchProcess:
                pass
        self.log.close()
        self.process = None

    def __enter__(self) -> Hub:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def memory(processes: list[psutil.Process]) -> tuple[int, int]:
    """Resident and proportional set size (bytes) summed over processes (PSS shares libraries)."""
    rss = pss = 0
    for p in processes:
        try:
            info = p.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
    return rss, pss


class KernelError(RuntimeError):
    pass


class Student:
    """One student: logs in with the hub's form, starts a server, pulls the course, runs 05."""

    def __init__(self, hub: Hub, name: str):
        self.hub, self.name = hub, name
        self.http = requests.Session()
        self.token = ""
        self.models: dict[str, dict] = {}  # comm id -> {"name":..., "state":..., "png":...}
        self.displayed: list[str] = []  # model ids of widgets shown by executed cells
        self._replies: dict[str, asyncio.Future] = {}
        self._image_waiters: dict[str, asyncio.Future] = {}
        self.session = uuid.uuid4().hex
        self.ws = None
        self._reader: asyncio.Task | None = None

    # ---- hub side (blocking; run in a thread) ----
    def _url(self, path: str) -> str:
        return f"{self.hub.url}{path}"

    def _api(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"token {self.token}"} if self.token else {}
        r = self.http.request(method, self._url(path), headers=headers, timeout=120, **kwargs)
        r.raise_for_status()
        return r

    def login(self) -> None:
        """The hub's login form, as a browser fills it; then a token for the REST calls."""
        self.http.get(self._url("/hub/login"), timeout=60).raise_for_status()
        xsrf = self.http.cookies.get("_xsrf", "")
        r = self.http.post(
            self._url("/hub/login"),
            data={"username": self.name, "password": self.hub.password, "_xsrf": xsrf},
            allow_redirects=False,
            timeout=60,
        )
        if r.status_code != 302 or "/hub/login" in r.headers.get("location", ""):
            raise RuntimeError(f"{self.name} could not log in: HTTP {r.status_code}")
        r = self.http.post(
            self._url(f"/hub/api/users/{self.name}/tokens"),
            headers={"X-XSRFToken": self.http.cookies.get("_xsrf", xsrf)},
            json={"note": "simulated student", "expires_in": 3600},
            timeout=60,
        )
        r.raise_for_status()
        self.token = r.json()["token"]

    def start_server(self, timeout: float = 180) -> None:
        r = self._api("POST", f"/hub/api/users/{self.name}/server")
        if r.status_code not in (201, 202):
            raise RuntimeError(f"spawn answered HTTP {r.status_code}")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            server = self._api("GET", f"/hub/api/users/{self.name}").json()["servers"].get("")
            if server and server.get("ready"):
                return
            time.sleep(0.5)
        raise TimeoutError(f"{self.name}'s server was not ready within {timeout} s")

    def pull_course(self, repo: str, branch: str, targetpath: str = "course") -> None:
        """What an nbgitpuller link does: clone (or update) the course into the home folder."""
        query = f"repo={quote(repo, safe='')}&targetpath={targetpath}"
        if branch:
            query += f"&branch={branch}"
        r = self._api("GET", f"/user/{self.name}/git-pull/api?{query}", stream=True)
        for line in r.iter_lines(decode_unicode=True):
            if line.startswith("data:"):
                event = json.loads(line[5:])
                if event.get("phase") == "finished":
                    return
                if event.get("phase") == "error":
                    raise RuntimeError(f"nbgitpuller: {event.get('message')}")
        raise RuntimeError("nbgitpuller's stream ended without 'finished'")

    def read_notebook(self, path: str) -> dict:
        return self._api("GET", f"/user/{self.name}/api/contents/{path}").json()["content"]

    def open_session(self, path: str) -> str:
        r = self._api(
            "POST",
            f"/user/{self.name}/api/sessions",
            json={"path": path, "type": "notebook", "name": "", "kernel": {"name": "python3"}},
        )
        return r.json()["kernel"]["id"]

    def stop_server(self) -> None:
        self._api("DELETE", f"/hub/api/users/{self.name}/server")

    # ---- kernel side (asyncio) ----
    async def connect(self, kernel_id: str) -> None:
        url = (
            f"ws://127.0.0.1:{self.hub.port}/user/{self.name}/api/kernels/{kernel_id}/channels"
            f"?session_id={self.session}"
        )
        request = HTTPRequest(url, headers={"Authorization": f"token {self.token}"})
        self.ws = await websocket_connect(request, max_message_size=64 * 2**20)
        self._reader = asyncio.create_task(self._read())
        # The kernel is ready once it answers a kernel_info_request.
        for _ in range(120):
            try:
                await asyncio.wait_for(self._request("kernel_info_request", {}), 5)
                return
            except TimeoutError:
                continue
        raise TimeoutError("the kernel never answered kernel_info_request")

    def _message(self, msg_type: str, content: dict, channel: str = "shell") -> dict:
        return {
            "header": {
                "msg_id": uuid.uuid4().hex,
                "username": self.name,
                "session": self.session,
                "msg_type": msg_type,
                "version": "5.3",
                "date": "",
            },
            "parent_header": {},
            "metadata": {},
            "content": content,
            "channel": channel,
            "buffers": [],
        }

    async def _request(self, msg_type: str, content: dict) -> dict:
        msg = self._message(msg_type, content)
        reply = asyncio.get_running_loop().create_future()
        self._replies[msg["header"]["msg_id"]] = reply
        await self.ws.write_message(json.dumps(msg))
        return await reply

    async def _read(self) -> None:
        while True:
            raw = await self.ws.read_message()
            if raw is None:
                for future in [*self._replies.values(), *self._image_waiters.values()]:
                    if not future.done():
                        future.set_exception(KernelError("the kernel's websocket closed"))
                return
            msg = deserialize_binary_message(raw) if isinstance(raw, bytes) else json.loads(raw)
            self._dispatch(msg)

    def _dispatch(self, msg: dict) -> None:
        kind, content = msg["header"]["msg_type"], msg["content"]
        parent = msg.get("parent_header", {}).get("msg_id")
        if msg["channel"] == "shell" and parent in self._replies:
            self._replies.pop(parent).set_result(msg)
        elif kind == "comm_open" and content.get("target_name") == "jupyter.widget":
            state = content["data"]["state"]
            buffers = msg.get("buffers") or []
            self.models[content["comm_id"]] = {
                "name": state.get("_model_name"),
                "state": state,
                "png": bytes(buffers[0]) if buffers else b"",
            }
        elif kind == "comm_msg" and content["comm_id"] in self.models:
            model = self.models[content["comm_id"]]
            data = content["data"]
            if data.get("method") not in ("update", "echo_update"):  # echo: the kernel's ack
                return
            model["state"].update(data.get("state", {}))
            paths = data.get("buffer_paths", [])
            if ["value"] in paths and model["name"] == "ImageModel":
                model["png"] = bytes(msg["buffers"][paths.index(["value"])])
                waiter = self._image_waiters.pop(content["comm_id"], None)
                if waiter is not None and not waiter.done():
                    waiter.set_result((time.perf_counter(), model["png"]))
        elif kind in ("display_data", "execute_result"):
            view = content.get("data", {}).get("application/vnd.jupyter.widget-view+json")
            if view:
                self.displayed.append(view["model_id"])

    async def execute(self, code: str, timeout: float = 300) -> None:
        content = {
            "code": code,
            "silent": False,
            "store_history": True,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        }
        reply = await asyncio.wait_for(self._request("execute_request", content), timeout)
        if reply["content"]["status"] != "ok":
            err = reply["content"]
            trace = "\n".join(err.get("traceback", [])[-3:])
            raise KernelError(
                f"{err['status']} {err.get('ename')}: {err.get('evalue')} in\n{code[:300]}\n{trace}"
            )

    async def run_notebook(self, notebook: dict, timeout: float = 300) -> None:
        for cell in notebook["cells"]:
            if cell["cell_type"] == "code":
                source = cell["source"]
                await self.execute("".join(source) if isinstance(source, list) else source, timeout)

    def batch_size_slider(self) -> tuple[str, str, list[str]]:
        """(slider comm id, image comm id, option labels) of the displayed batch-size widget."""

        def children(model_id: str) -> list[str]:
            refs = self.models[model_id]["state"].get("children", [])
            return [r.removeprefix("IPY_MODEL_") for r in refs]

        for shown in self.displayed:
            stack, found = [shown], {}
            while stack:
                model_id = stack.pop()
                if model_id not in self.models:
                    continue
                model = self.models[model_id]
                found.setdefault(model["name"], model_id)
                stack += children(model_id)
            slider = found.get("SelectionSliderModel")
            if slider and self.models[slider]["state"].get("description") == "batch size":
                labels = self.models[slider]["state"]["_options_labels"]
                return slider, found["ImageModel"], labels
        raise LookupError("no batch-size slider among the displayed widgets")

    async def move_slider(
        self, slider: str, image: str, index: int, timeout: float = 60
    ) -> tuple[float, bytes]:
        """Send the slider's new index as JupyterLab does; wait for the figure's new PNG.

        Returns the seconds from sending the comm message to receiving the image, and the image.
        """
        waiter = asyncio.get_running_loop().create_future()
        self._image_waiters[image] = waiter
        msg = self._message(
            "comm_msg",
            {
                "comm_id": slider,
                "data": {"method": "update", "state": {"index": index}, "buffer_paths": []},
            },
        )
        sent = time.perf_counter()
        await self.ws.write_message(json.dumps(msg))
        received, png = await asyncio.wait_for(waiter, timeout)
        return received - sent, png

    async def close(self) -> None:
        if self.ws is not None:
            self.ws.close()
        if self._reader is not None:
            self._reader.cancel()
        self.http.close()


async def prepare(hub: Hub, name: str, repo: str, branch: str) -> Student:
    """Log a student in, start the server, pull the course, run notebook 05 in a kernel."""
    student = Student(hub, name)
    await asyncio.to_thread(student.login)
    await asyncio.to_thread(student.start_server)
    await asyncio.to_thread(student.pull_course, repo, branch)
    path = f"course/{NOTEBOOK_05}"
    notebook = await asyncio.to_thread(student.read_notebook, path)
    kernel = await asyncio.to_thread(student.open_session, path)
    await student.connect(kernel)
    await student.run_notebook(notebook)
    return student


def course_repo(folder: Path) -> tuple[str, str]:
    """A repository for nbgitpuller to clone: this working tree's files, committed in ``folder``.

    The kernels import ``course_utils`` from this working tree (the editable install), so the
    notebooks must come from the same tree, not from HEAD, which may be older.
    """
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    folder = Path(folder)
    for name in filter(None, (f.decode() for f in files)):
        source = ROOT / name
        if source.is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name)
    git = ["git", "-c", "user.name=course", "-c", "user.email=course@localhost"]
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "course"]):
        subprocess.run([*git, *args], cwd=folder, check=True)
    return f"file://{folder}", "main"
