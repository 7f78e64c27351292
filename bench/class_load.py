"""How many students one server holds: the course's JupyterHub under a simulated class.

    .venv/bin/python bench/class_load.py            # what `make bench-class` runs
    .venv/bin/python bench/class_load.py --levels 1,2,4 --phase 20 --no-write

Starts the hub of deploy/ in trial mode on 127.0.0.1 (shared password, local processes), then
for N = 1, 2, 4, 8, 16, 24, 32, ... students: logs the new students in (the hub's login form),
starts their servers, pulls the course with nbgitpuller (from this repository's HEAD), runs
notebook 05 in a kernel each, and lets every student move the batch-size slider to a random
other position every 2-4 s for ``--phase`` seconds, through the widget's comm messages on the
kernel's websocket -- what JupyterLab sends when a student lets go of the slider. An update's
latency runs from sending the comm message to receiving the figure's new PNG.

Per N it reports the latency p50/p90, the CPU spent per update (hub, proxy, servers and
kernels), the memory per student (the student's server and kernel: RSS, and PSS, which
counts shared libraries once) and failures. It stops after the first N whose p90 passes
``--p90`` (250 ms), when memory would run out, or when the time budget (10 min) would be
exceeded. Students are kept from one N to the next. Everything goes to 127.0.0.1, and
everything started is stopped at the end. The table is written to bench/results.md (its own
section, between markers; the rest of the file is left alone).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import random
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy"))
import classroom  # noqa: E402

RESULTS = ROOT / "bench" / "results.md"
HEADING = "## Class load on JupyterHub"  # this script's section: up to the next "## " heading
MiB = 2**20


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--levels", default="1,2,4,8,16,24,32,48,64", help="class sizes, in order")
    p.add_argument("--phase", type=float, default=30.0, help="seconds of slider moves per N")
    p.add_argument("--every", default="2,4", help="seconds between a student's moves (min,max)")
    p.add_argument("--p90", type=float, default=0.250, help="stop after p90 passes this (s)")
    p.add_argument("--budget", type=float, default=600.0, help="hard cap on the run (s)")
    p.add_argument("--join", type=int, default=4, help="students joining at once")
    p.add_argument("--keep-going", action="store_true", help="do not stop at the p90 limit")
    p.add_argument("--no-write", action="store_true", help="print only; leave results.md")
    return p.parse_args()


async def slider_phase(students, seconds, every, rng):
    """Every student moves its slider at random times; returns latencies and failures."""
    latencies: list[float] = []
    failures: list[str] = []
    stop = time.monotonic() + seconds

    async def one(student, seed):
        r = random.Random(seed)
        slider, image, labels = student.batch_size_slider()
        index = student.models[slider]["state"]["index"]
        await asyncio.sleep(r.uniform(0, every[1]))  # students do not move in step
        while time.monotonic() < stop:
            index = r.choice([k for k in range(len(labels)) if k != index])
            try:
                latency, _ = await student.move_slider(slider, image, index, timeout=30)
                latencies.append(latency)
            except Exception as e:  # a timeout or a dead kernel is a failure, not a crash
                failures.append(f"{student.name}: {type(e).__name__} {e}"[:200])
                return
            await asyncio.sleep(r.uniform(*every))

    await asyncio.gather(*(one(s, int(rng.integers(2**31))) for s in students))
    return latencies, failures


def cpu_seconds(processes) -> float:
    total = 0.0
    for p in processes:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            continue
    return total


async def run(args) -> tuple[list[dict], dict]:
    levels = [int(n) for n in args.levels.split(",")]
    every = tuple(float(x) for x in args.every.split(","))
    rng = np.random.default_rng(0)
    t0 = time.monotonic()
    info = {
        "started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_before": os.getloadavg(),
        "stopped_because": "all levels done",
    }
    rows: list[dict] = []
    students: list[classroom.Student] = []
    join_seconds: list[float] = []
    joined_so_far = 0  # names are never reused, even after a failed join
    with tempfile.TemporaryDirectory(prefix="class-load-") as state:
        repo, branch = classroom.course_repo(Path(state) / "course")
        hub = classroom.Hub(Path(state) / "hub")
        await asyncio.to_thread(hub.start)
        info["hub_start_s"] = time.monotonic() - t0
        try:
            for n in levels:
                # Will this level fit in the budget? (joining is measured as we go)
                per_join = max(join_seconds) if join_seconds else 60.0  # pessimistic
                new = n - len(students)
                needed = per_join * np.ceil(new / args.join) + args.phase + 30
                if time.monotonic() - t0 + needed > args.budget:
                    info["stopped_because"] = f"N = {n} would pass the {args.budget:.0f} s budget"
                    break
                free = psutil.virtual_memory().available
                if rows and new * rows[-1]["pss"] > free - 2 * 2**30:
                    info["stopped_because"] = f"N = {n} would leave less than 2 GiB of memory"
                    break
                join_failures: list[str] = []
                sem = asyncio.Semaphore(args.join)

                async def join(name, sem=sem, failures=join_failures):
                    async with sem:
                        start = time.monotonic()
                        try:
                            s = await classroom.prepare(hub, name, repo, branch)
                        except Exception as e:
                            failures.append(f"{name}: {type(e).__name__} {e}"[:200])
                            return None
                        join_seconds.append(time.monotonic() - start)
                        return s

                names = [f"student{k + 1}" for k in range(joined_so_far, joined_so_far + new)]
                joined_so_far += new
                joined = await asyncio.gather(*(join(name) for name in names))
                students += [s for s in joined if s is not None]
                procs = hub.processes()
                kernels = [p for p in procs if "ipykernel_launcher" in " ".join(p.cmdline())]
                cpu0, kernel0 = cpu_seconds(procs), cpu_seconds(kernels)
                latencies, failures = await slider_phase(students, args.phase, every, rng)
                cpu = cpu_seconds(procs) - cpu0
                kernel_cpu = cpu_seconds(kernels) - kernel0
                per_student = hub.student_processes()
                mem = [classroom.memory(ps) for ps in per_student.values()]
                lat = np.array(latencies) if latencies else np.array([np.nan])
                row = {
                    "n": n,
                    "active": len(students),
                    "updates": len(latencies),
                    "p50": float(np.percentile(lat, 50)),
                    "p90": float(np.percentile(lat, 90)),
                    "max": float(lat.max()),
                    "cpu_per_update": cpu / max(len(latencies), 1),
                    "kernel_cpu_per_update": kernel_cpu / max(len(latencies), 1),
                    "rss": float(np.mean([m[0] for m in mem])) if mem else np.nan,
                    "pss": float(np.mean([m[1] for m in mem])) if mem else np.nan,
                    "failures": len(join_failures) + len(failures),
                    "failure_notes": join_failures + failures,
                    "available": psutil.virtual_memory().available,
                    "load": os.getloadavg()[0],
                    "join_s": float(np.mean(join_seconds)) if join_seconds else np.nan,
                }
                rows.append(row)
                print(
                    f"N={n:>3} ({row['active']} active): {row['updates']} updates, "
                    f"p50 {row['p50'] * 1e3:.0f} ms, p90 {row['p90'] * 1e3:.0f} ms, "
                    f"CPU/update {row['cpu_per_update'] * 1e3:.0f} ms "
                    f"(kernel {row['kernel_cpu_per_update'] * 1e3:.0f} ms), "
                    f"RSS {row['rss'] / MiB:.0f} MiB, PSS {row['pss'] / MiB:.0f} MiB/student, "
                    f"failures {row['failures']}, load {row['load']:.1f}, "
                    f"join {row['join_s']:.0f} s",
                    flush=True,
                )
                for note in row["failure_notes"][:5]:
                    print("   ", note)
                if row["p90"] > args.p90 and not args.keep_going:
                    info["stopped_because"] = f"p90 passed {args.p90 * 1e3:.0f} ms at N = {n}"
                    break
        finally:
            for s in students:
                await s.close()
            await asyncio.to_thread(hub.stop)
    info["load_after"] = os.getloadavg()
    info["elapsed_s"] = time.monotonic() - t0
    info["every"] = every
    info["phase"] = args.phase
    return rows, info


def section(rows: list[dict], info: dict, p90_limit: float) -> str:
    ok = [r for r in rows if r["p90"] <= p90_limit and r["failures"] == 0]
    capacity = max((r["n"] for r in ok), default=0)
    lines = [
        f"{HEADING} (`make bench-class`, bench/class_load.py)",
        "",
        f"Measured {info['started']} on {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}; "
        f"load average {info['load_before'][0]:.1f} before, {info['load_after'][0]:.1f} after. "
        "**Other work shared the cores during this run, so the latencies are pessimistic**; "
        "re-run `make bench-class` on a quiet machine.",
        "",
        f"The hub of deploy/ in trial mode on 127.0.0.1; each student logs in, pulls the course "
        f"with nbgitpuller, runs notebook 05 and moves its batch-size slider to a random other "
        f"position every {info['every'][0]:.0f}-{info['every'][1]:.0f} s for "
        f"{info['phase']:.0f} s per N (comm messages on the kernel's websocket; latency = "
        "message sent -> new PNG received). CPU/update: CPU seconds of the hub, proxy, servers "
        "and kernels during the phase, per update (in brackets: the kernels alone). Memory: "
        "each student's server + kernel (PSS counts shared libraries once; RSS counts them in "
        "every process).",
        "",
        "| N | updates | p50 ms | p90 ms | max ms | CPU/update ms (kernel) | RSS MiB/student "
        "| PSS MiB/student | failures | load |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['n']} | {r['updates']} | {r['p50'] * 1e3:.0f} | {r['p90'] * 1e3:.0f} "
            f"| {r['max'] * 1e3:.0f} | {r['cpu_per_update'] * 1e3:.0f} "
            f"({r['kernel_cpu_per_update'] * 1e3:.0f}) | {r['rss'] / MiB:.0f} "
            f"| {r['pss'] / MiB:.0f} | {r['failures']} | {r['load']:.1f} |"
        )
    measured = [r for r in rows if r["updates"]]
    cpu = np.median([r["cpu_per_update"] for r in measured]) if measured else np.nan
    pss = np.median([r["pss"] for r in rows]) if rows else np.nan
    mean_every = np.mean(info["every"])
    lines += [
        "",
        f"Run as `bench/class_load.py {' '.join(sys.argv[1:])}`. "
        f"Stopped: {info['stopped_because']}; {info['elapsed_s']:.0f} s in all "
        f"(hub start {info['hub_start_s']:.0f} s). "
        f"**Capacity measured: {capacity} student(s)** with p90 <= {p90_limit * 1e3:.0f} ms "
        "and no failure.",
        "",
        f"Load-independent estimate: an update costs {cpu * 1e3:.0f} ms of CPU, so one core "
        f"at half load (to keep the queue short) serves {0.5 * mean_every / cpu:.0f} students "
        f"moving a slider every {mean_every:.0f} s; memory is {pss / MiB:.0f} MiB (PSS) per "
        "student.",
    ]
    return "\n".join(lines) + "\n"


def write(text: str) -> None:
    """Replace this script's section of results.md (or append it); leave the rest alone."""
    old = RESULTS.read_text() if RESULTS.exists() else ""
    pattern = re.compile(r"^" + re.escape(HEADING) + r".*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(old):
        new = pattern.sub(lambda _: text + "\n", old, count=1).rstrip() + "\n"
    else:
        new = old.rstrip() + "\n\n" + text
    RESULTS.write_text(new)


def main() -> None:
    args = parse()
    rows, info = asyncio.run(run(args))
    text = section(rows, info, args.p90)
    print(text)
    if not args.no_write:
        write(text)
        print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
