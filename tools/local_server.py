"""A Jupyter server on 127.0.0.1 for the browser tests and benchmarks, stopped whatever happens."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def lab_command(root: Path, port: int, token: str, settings: Path, *extra: str) -> list[str]:
    """Return the command that serves ``root`` in JupyterLab, with settings kept in ``settings``.

    The settings turn off the "Jupyter news" prompt (it would ask the network, and it covers
    screenshots); ``extra`` are further ``--Option=value`` arguments.
    """
    news = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    news.parent.mkdir(parents=True, exist_ok=True)
    news.write_text('{"fetchNews": "false", "checkForUpdates": false}')
    return server_command(
        "jupyterlab",
        root,
        port,
        token,
        "--LabApp.news_url=",
        f"--LabApp.user_settings_dir={settings}",
        f"--LabApp.workspaces_dir={settings}",
        *extra,
    )


def server_command(module: str, root: Path, port: int, token: str, *extra: str) -> list[str]:
    """Return the command that runs ``python -m module`` serving ``root`` on 127.0.0.1:port."""
    command = [
        sys.executable,
        "-m",
        module,
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        *extra,
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")  # Jupyter refuses to run as root otherwise
    return command


@contextmanager
def running(
    command: list[str], port: int, token: str, log: Path, env=None, timeout=90.0
) -> Iterator[str]:
    """Run ``command`` until its ``/api/status`` answers; yield its URL; stop it at the end."""
    url = f"http://127.0.0.1:{port}"
    with open(log, "w") as output:
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env)
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2).close()
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError(f"{command[2]} did not start; see {log}") from None
                    time.sleep(0.1)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def api(url: str, token: str, path: str, body: dict | None = None, method: str = "GET"):
    """Call the Jupyter Server REST API at ``url``: ``path`` after ``/api/``, ``body`` sent as
    JSON; returns the answer's JSON (None for an empty answer)."""
    request = urllib.request.Request(
        f"{url}/api/{path}?token={token}",
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer) if answer.status != 204 else None
