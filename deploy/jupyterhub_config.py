"""JupyterHub for the course on one server: `jupyterhub -f deploy/jupyterhub_config.py`.

Every student gets a Jupyter server running in the course's environment (the Python that runs
this hub: `.venv`, with the `hub` extra of pyproject.toml), JupyterLab as the default UI,
nbgitpuller to hand out the course, and an idle culler that stops servers nobody uses.

Two ways to run it, chosen by environment variables (`make hub` sets the first):

* **trial** (``COURSE_HUB_PASSWORD`` set): anyone logs in with any user name and that shared
  password; every student's server runs as the hub's own Unix user, with its home folder in
  ``$COURSE_HUB_STATE/users/<name>`` (``SimpleLocalProcessSpawner``). For trying the course,
  the test suite and the load benchmark -- it gives the students no isolation from each other.
* **server** (no password): students log in with their Unix account (PAM) and each server runs
  as that user. With ``jupyterhub-systemdspawner`` installed and systemd running, each server
  runs in its own systemd unit, which enforces the memory and CPU limits below; otherwise
  ``LocalProcessSpawner`` runs it as a plain process and the limits are only advisory.

Settings (environment variables, all optional):

``COURSE_HUB_IP`` / ``COURSE_HUB_PORT``
    where the hub listens (default 127.0.0.1:8000; use 0.0.0.0 behind TLS on a real server).
``COURSE_HUB_STATE``
    folder for the hub's database, cookie secret and the trial homes (default deploy/state).
``COURSE_HUB_MEM_LIMIT`` / ``COURSE_HUB_CPU_LIMIT``
    per-student limits (default 1G and 1.0 core; see bench/results.md for what a student uses).
``COURSE_HUB_CULL_TIMEOUT``
    seconds of inactivity after which a student's server is stopped (default 3600).
"""

import os
import shutil
import socket
import sys
from pathlib import Path

c = get_config()  # noqa: F821 -- provided by JupyterHub when it loads this file

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent  # the course environment's scripts (jupyterhub-singleuser)
STATE = Path(os.environ.get("COURSE_HUB_STATE", HERE / "state")).resolve()
STATE.mkdir(parents=True, exist_ok=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- Network: the public port, and the hub's and proxy's internal ports on loopback only.
ip = os.environ.get("COURSE_HUB_IP", "127.0.0.1")
port = int(os.environ.get("COURSE_HUB_PORT", "8000"))
c.JupyterHub.bind_url = f"http://{ip}:{port}"
# Random internal ports, so that several hubs (tests, benchmark, a trial) can run side by side.
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{_free_port()}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{_free_port()}"
# configurable-http-proxy from npm: `npm ci --prefix deploy` installs it (package-lock.json).
proxy = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [str(proxy) if proxy.exists() else "configurable-http-proxy"]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")

# --- The hub's own state.
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")

# --- Every student's server: the course environment, JupyterLab, one BLAS thread.
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {
    "PATH": f"{BIN}{os.pathsep}/usr/local/bin:/usr/bin:/bin",
    # NumPy's BLAS would start one thread per core in every kernel: on a shared server that
    # only adds contention (the course's arrays are small) and memory.
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    # A slider figure draws the pictures one step away while its kernel idles (a student's
    # own machine has the CPU to spare); here that CPU is the other students' moves.
    "COURSE_DRAW_AHEAD": "0",
}
# Limits: SystemdSpawner (and Kubernetes' KubeSpawner) enforce them; LocalProcessSpawner only
# passes them to the server as MEM_LIMIT / CPU_LIMIT environment variables.
c.Spawner.mem_limit = os.environ.get("COURSE_HUB_MEM_LIMIT", "1G")
c.Spawner.cpu_limit = float(os.environ.get("COURSE_HUB_CPU_LIMIT", "1.0"))
# A class logging in at the same moment on a busy machine: give servers time to start.
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90

password = os.environ.get("COURSE_HUB_PASSWORD", "")
if password:  # trial: shared password, every server as this Unix user
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = password
    c.Authenticator.allow_all = True
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "users" / "{username}")
    if os.geteuid() == 0:  # a trial in a container: Jupyter refuses root unless told
        c.Spawner.args = ["--ServerApp.allow_root=True"]
else:  # server: Unix accounts; systemd units with enforced limits when available
    c.JupyterHub.authenticator_class = "pam"
    c.Authenticator.allow_all = True  # every Unix account; or list c.Authenticator.allowed_users
    if Path("/run/systemd/system").is_dir() and shutil.which("systemd-run"):
        try:
            import systemdspawner  # noqa: F401 -- pip install jupyterhub-systemdspawner
        except ImportError:
            pass
        else:
            c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
            c.SystemdSpawner.isolate_tmp = True
            c.SystemdSpawner.isolate_devices = True
            c.SystemdSpawner.disable_user_sudo = True

# --- Idle culler: stop servers idle for an hour (their kernels' memory comes back).
cull_timeout = int(os.environ.get("COURSE_HUB_CULL_TIMEOUT", "3600"))
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={cull_timeout}",
            f"--cull-every={max(60, cull_timeout // 6)}",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
