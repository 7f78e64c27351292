"""Every speed target of the course (issues 4 and 15), in one run. Run: ``make bench``.

Kernel side: the landscape engine and SGD. The machine is shared and noisy, so these figures
are ratios of two workloads timed in the same run, interleaved (A, B, A, B, ...), reported as
the median of the per-pair ratios. Then what a person feels: the notebooks under nbval, every
slider in JupyterLab in Chromium (bench/browser_sliders.py), the site's weight and load time
(bench/site_weight.py, which also times the build). ``--full`` (``make bench FULL=1``) also
times ``make test``. Before each section a fixed NumPy workload probes the host's speed, the
drift the load average does not show. Prints every figure against its target and writes
bench/results.md, keeping the sections other benchmarks wrote there. Never part of `make
test`'s pass/fail.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
import traceback
import tracemalloc
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from statistics import median
from typing import NamedTuple

import nbformat
import numpy as np

import course_utils as cu
from course_utils.sgd import _schedule, sgd_paths

sys.path.insert(0, str(Path(__file__).resolve().parent))
import browser_sliders  # noqa: E402
import site_weight  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.md"
REPEATS = 7
KERNEL_RUNS = 3  # one-at-a-time nbval runs for the notebooks' kernel times (a median of runs)
NBVAL_RUNS = 3  # runs of all the notebooks as make test runs them, for the wall time's median
# The host's speed, probed before each section: one thread's exp+log1p over this many numbers.
# The machine is shared, and its speed drifts through the day by up to 1.8x with the load
# average near 1 (the other tenants' load does not show in it); the probe shows that drift.
PROBE_ELEMENTS = 40_000_000
# The probe's time at the quietest hour on record: 4942 ms for the floor's 4.0e8 elements in the
# run of 2026-11-27 11:17 UTC (commit 9cc7f56), the fastest of seven full runs that day.
QUIET_PROBE_MS = 494


@dataclass
class Row:
    """One figure against its target; ``ok`` None for a figure with no target of its own."""

    name: str
    measured: str
    target: str
    ok: bool | None
    detail: str = ""


def draft_example_data(distance, sigma, class0_count=200, class1_count=200):
    """The draft's ``create_exmaple_data``, as written: columns x1, x2, label; global RNG."""
    pos = distance / (2 * math.sqrt(distance))
    return np.concatenate(
        [
            np.concatenate(
                [
                    np.random.normal(pos, sigma, [class0_count, 2]),  # noqa: NPY002
                    np.zeros([class0_count, 1]),
                ],
                axis=1,
            ),
            np.concatenate(
                [
                    np.random.normal(-pos, sigma, [class1_count, 2]),  # noqa: NPY002
                    np.ones([class1_count, 1]),
                ],
                axis=1,
            ),
        ]
    )


def draft_linear_classy_pred(w1, w2, data):
    """The draft's ``linear_classy_pred``, as written."""
    return 1 / (1 + np.exp(-w1 * data[:, 0] - w2 * data[:, 1]))


def draft_cross_entropy_fun(y, p):
    """The draft's ``cross_entropy_fun``, as written: no minus sign, so minus the loss."""
    return np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def draft_get_losses(w1, w2, data):
    """The draft's ``get_losses``, as written: a Python double loop with ``np.append``."""
    ww1, ww2 = np.meshgrid(w1, w2)
    losses = np.array([])
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for i in range(ww1.shape[0]):
            for j in range(ww1.shape[1]):
                preds = draft_linear_classy_pred(ww1[i, j], ww2[i, j], data)
                losses = np.append(losses, draft_cross_entropy_fun(data[:, 2], preds))
    return ww1.ravel(), ww2.ravel(), losses


def exp_log1p_floor(n_elements: int) -> None:
    """One NumPy exp and one log1p pass over n_elements, on a cache-sized block, one thread."""
    block = np.random.default_rng(0).uniform(-30, 0, 1 << 15)
    out = np.empty_like(block)
    for _ in range(n_elements // block.size):
        np.exp(block, out=out)
        np.log1p(out, out=out)


def host_probe_ms() -> float:
    """The host's speed now: ms for ``PROBE_ELEMENTS`` of the floor's work (median of 3)."""
    return 1e3 * median(_seconds(lambda: exp_log1p_floor(PROBE_ELEMENTS)) for _ in range(3))


def _seconds(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def interleaved_ratio(numerator, denominator, repeats=REPEATS) -> tuple[float, float, float]:
    """Median of t(numerator)/t(denominator) over interleaved pairs, and the median times."""
    numerator(), denominator()  # warm up
    pairs = [(_seconds(numerator), _seconds(denominator)) for _ in range(repeats)]
    ratios = [a / b for a, b in pairs]
    return median(ratios), median(a for a, _ in pairs), median(b for _, b in pairs)


def grid(n):
    return np.linspace(-6, 6, n), np.linspace(-6, 6, n)


def bench_vs_draft():
    # The draft's own workload: its data generator (seeded here), its grid, its loop.
    state = np.random.get_state()  # noqa: NPY002
    np.random.seed(0)  # noqa: NPY002
    data = draft_example_data(5, 1)
    np.random.set_state(state)  # noqa: NPY002
    w1 = np.linspace(-1, 1, 50)
    w2 = np.linspace(-1, 1, 50)
    X, y = data[:, :2], data[:, 2]
    ratio, slow, fast = interleaved_ratio(
        lambda: draft_get_losses(w1, w2, data),
        lambda: cu.loss_landscape(X, y, w1, w2),
    )
    draft = -draft_get_losses(w1, w2, data)[2]  # the draft returns minus the loss
    ours = cu.loss_landscape(X, y, w1, w2).ravel()
    finite = np.isfinite(draft)
    # where the draft is finite, it differs only by its own rounding in 1 - p
    gap = np.max(np.abs(draft[finite] / ours[finite] - 1))
    note = (
        f"draft {slow * 1e3:.0f} ms, ours {fast * 1e3:.2f} ms; the draft's loss (minus what "
        f"it returns) is inf at {np.sum(~finite)} of {draft.size} grid points, elsewhere "
        f"within {gap:.0e} of ours"
    )
    return Row(
        "loss_landscape speed-up over the draft's loop (its data, N=400; its 50×50 grid on ±1)",
        f"{ratio:.1f}×",
        "≥ 25×",
        ratio >= 25,
        note,
    )


def bench_vs_floor():
    data = cu.make_two_gaussians(5.0, 1.0, 5000, 5000, seed=0)
    w1, w2 = grid(200)
    n_elements = data.n * w1.size * w2.size
    ratio, ours, floor = interleaved_ratio(
        lambda: cu.loss_landscape(data.X, data.y, w1, w2),
        lambda: exp_log1p_floor(n_elements),
    )
    note = f"ours {ours * 1e3:.0f} ms, floor {floor * 1e3:.0f} ms ({n_elements:.1e} elements)"
    return Row(
        "loss_landscape / exp+log1p floor (N=10,000, 200×200)",
        f"{ratio:.2f}×",
        "≤ 0.6×",
        ratio <= 0.6,
        note,
    )


def bench_epoch():
    data = cu.make_two_gaussians(5.0, 1.0, 5000, 5000, seed=0)
    w1, w2 = grid(100)
    ratio, epoch, full = interleaved_ratio(
        lambda: cu.minibatch_landscapes(data.X, data.y, w1, w2, batch_size=32),
        lambda: cu.loss_landscape(data.X, data.y, w1, w2),
    )
    note = f"epoch of 312 batches {epoch * 1e3:.0f} ms, full landscape {full * 1e3:.0f} ms"
    return Row(
        "one epoch of minibatch_landscapes / loss_landscape (B=32, N=10,000, 100×100)",
        f"{ratio:.2f}×",
        "≤ 1.5×",
        ratio <= 1.5,
        note,
    )


def bench_memory():
    data = cu.make_two_gaussians(5.0, 1.0, 50_000, 50_000, seed=0)
    w1, w2 = grid(100)
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    cu.loss_landscape(data.X, data.y, w1, w2)
    peak = (tracemalloc.get_traced_memory()[1] - base) / 2**20
    tracemalloc.stop()
    note = f"an unchunked N×G matrix would be {data.n * w1.size * w2.size * 8 / 2**30:.1f} GiB"
    return Row(
        "peak memory growth of loss_landscape (N=100,000, 100×100)",
        f"{peak:.1f} MB",
        "≤ 300 MB",
        peak <= 300,
        note,
    )


def bench_kernel_slider():
    from course_utils.widgets import batch_size_explorer

    data = cu.make_two_gaussians(2.0, 1.0, 200, 200, seed=0)  # as in notebook 05
    times = []
    for sweep in range(3):
        # First visits only, as in the browser benchmark: a fresh explorer per sweep (a value
        # shown before comes from the figure's picture cache and costs no drawing).
        widget = batch_size_explorer(data.X, data.y, batch_size=16)
        slider = widget.sliders["batch_size"]
        values = list(slider.options)
        for value in values[::-1] if sweep % 2 else values:
            if value != slider.value:
                times.append(_seconds(lambda v=value, s=slider: setattr(s, "value", v)))
    note = (
        f"value change to new PNG in the kernel, {len(times)} first visits over {len(values)} "
        f"values, max {max(times) * 1e3:.0f} ms; the browser adds the round trip and the decoding"
    )
    return Row(
        "05 batch-size slider, kernel side only",
        f"{median(times) * 1e3:.0f} / {np.percentile(times, 90) * 1e3:.0f} ms",
        "(part of the 100 ms below)",
        None,
        note,
    )


def bench_sgd():
    """sampling="independent" against "epochs": N = 4000, 16 runs × 1000 steps."""
    data = cu.make_two_gaussians(2.0, 1.0, 2000, 2000, seed=0)
    w0 = cu.find_minimum(data.X, data.y).w
    rows = []
    for batch_size, repeats in ((8, 5), (64, 3), (512, 3)):

        def run(sampling, b=batch_size):
            return lambda: sgd_paths(data.X, data.y, w0, 0.05, b, 1000, range(16), sampling)

        ratio, fresh, epochs = interleaved_ratio(run("independent"), run("epochs"), repeats)
        schedule, _, _ = interleaved_ratio(
            lambda b=batch_size: [_schedule(data.n, b, 1000, s, "independent") for s in range(16)],
            lambda b=batch_size: [_schedule(data.n, b, 1000, s, "epochs") for s in range(16)],
            repeats,
        )
        note = (
            f"independent {fresh * 1e3:.0f} ms, epochs {epochs * 1e3:.0f} ms ({repeats} pairs); "
            f"the batch indices alone: {schedule:.1f}×"
        )
        rows.append(
            Row(
                f"sgd_paths independent / epochs (B={batch_size}, N=4000, 16 runs × 1000 steps)",
                f"{ratio:.2f}×",
                "≤ 3×",
                ratio <= 3,
                note,
            )
        )
    return rows


def _workers(output: str) -> str:
    """How many xdist workers a pytest run used, from its output ("created: 2/2 workers")."""
    found = re.search(r"(\d+)/\d+ workers", output) or re.search(r"(\d+) workers", output)
    return f"{found.group(1)} workers" if found else "workers: not reported"


class NbvalRun(NamedTuple):
    """One pytest run of nbval: wall s, CPU s of pytest and all it started, kernel s by notebook."""

    wall: float
    cpu: float
    kernel: dict[str, float]
    result: subprocess.CompletedProcess


def _nbval_run(notebooks: list[str], *options: str) -> NbvalRun:
    """One pytest run of nbval over ``notebooks``, with ``options`` before them."""
    with tempfile.TemporaryDirectory(prefix="bench-nbval-") as folder:
        report = Path(folder) / "nbval.xml"
        command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *options]
        command += [f"--junitxml={report}", "-o", "junit_duration_report=call", *notebooks]
        before = _children_cpu()
        start = time.perf_counter()
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        cpu = _children_cpu() - before
        kernel = defaultdict(float)
        for case in ET.parse(report).iter("testcase"):
            kernel[case.get("classname").removeprefix("notebooks.")] += float(case.get("time"))
    return NbvalRun(seconds, cpu, dict(kernel), result)


def _children_cpu() -> float:
    """User and system CPU seconds of this process's finished children and their own."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _import_cells_only(notebooks: list[str], folder: Path) -> list[str]:
    """``notebooks`` cut to their first code cell (the imports), written to ``folder``."""
    paths = []
    for path in map(Path, notebooks):
        notebook = nbformat.read(path, as_version=4)
        notebook.cells = [cell for cell in notebook.cells if cell.cell_type == "code"][:1]
        nbformat.write(notebook, folder / path.name)
        paths.append(str(folder / path.name))
    return paths


def bench_notebooks():
    """Every notebook under nbval: the wall time as `make test` runs them, each one's kernel time.

    The wall time is the median of ``NBVAL_RUNS`` runs with pyproject.toml's pytest options
    (nbval under pytest-xdist, ``-n auto``, each notebook one unit of one worker). Each run is
    paired with a run of the same notebooks cut to their first code cell, the imports: what
    pytest, its workers, the kernels' start and the imports cost before any of the course's own
    cells (the floor under the wall time on this machine). A notebook's kernel time (its cells,
    kernel start not included) is what a student waits for running it: it is taken from runs
    with one notebook at a time (``-n 0``), since under ``-n auto`` a notebook shares the cores
    with another notebook's kernel.
    """
    notebooks = sorted(str(p) for p in (ROOT / "notebooks").glob("[0-9]*.ipynb"))
    together, floor = [], []
    # In the project (a hidden folder, never collected by itself), so that the root conftest.py
    # and pyproject.toml's options hold for the cut notebooks too.
    with tempfile.TemporaryDirectory(prefix=".bench-imports-", dir=ROOT) as folder:
        imports_only = _import_cells_only(notebooks, Path(folder))
        for _ in range(NBVAL_RUNS):
            together.append(_nbval_run(notebooks))
            floor.append(_nbval_run(imports_only))
    alone = [_nbval_run(notebooks, "-n", "0") for _ in range(KERNEL_RUNS)]
    walls = [run.wall for run in together]
    seconds = median(walls)
    kernel = {name: [run.kernel[name] for run in alone] for name in alone[0].kernel}
    outputs = "".join(run.result.stdout for run in together + floor + alone)
    failed = sorted(set(re.findall(r"^FAILED (\S+)", outputs, flags=re.MULTILINE)))
    passed = all(run.result.returncode == 0 for run in together + floor + alone)
    how = f"as make test runs them (nbval, pytest -n auto: {_workers(together[0].result.stdout)})"
    note = f"median of {len(walls)} runs ({min(walls):.1f}–{max(walls):.1f} s); " + (
        f"{len(notebooks)} notebooks {how}, all outputs as stored; "
        f"CPU {median(run.cpu for run in together):.1f} s of pytest, its workers and the kernels"
        if passed
        else f"FAILED: {', '.join(failed) or outputs[-200:]}"
    )
    floor_walls = [run.wall for run in floor]
    rows = [
        Row(
            "every notebook under nbval, one pytest run (wall)",
            f"{seconds:.1f} s",
            "≤ 12 s",
            seconds <= 12 and passed,
            note,
        ),
        Row(
            "the same run with each notebook cut to its import cell (wall)",
            f"{median(floor_walls):.1f} s",
            "–",
            None,
            f"median of {len(floor)} runs ({min(floor_walls):.1f}–{max(floor_walls):.1f} s), "
            "each after one of the runs above; what pytest, its workers, "
            f"{len(notebooks)} kernels' start and imports cost before any of the course's cells; "
            f"CPU {median(run.cpu for run in floor):.1f} s",
        ),
    ]
    for name, runs in sorted(kernel.items()):
        cells = median(runs)
        rows.append(
            Row(
                f"{name.removesuffix('.ipynb')}: kernel time (its cells under nbval)",
                f"{cells:.2f} s",
                "≤ 3 s",
                cells <= 3,
                f"median of {len(runs)} runs ({min(runs):.2f}–{max(runs):.2f} s), one notebook "
                "at a time (-n 0); kernel start not included",
            )
        )
    return rows


SLIDER_TABLE: list[str] = []  # filled by bench_sliders, written to results.md
PAGE_TABLE: list[str] = []  # filled by bench_site


def bench_sliders(moves=12):
    timings = browser_sliders.measure(moves=moves, log=lambda text: print(text, flush=True))
    SLIDER_TABLE[:] = [browser_sliders.table(timings)]
    rows = []
    for t in timings:
        if t.error or not t.times_ms:
            rows.append(
                Row(
                    f"slider {t.name}: key → figure in Lab",
                    "error",
                    "p90 ≤ 100 ms",
                    False,
                    str(t.error),
                )
            )
            continue
        rows.append(
            Row(
                f"slider {t.name}: key → redrawn figure in Lab (median / p90)",
                f"{t.median:.0f} / {t.p90:.0f} ms",
                "p90 ≤ 100 ms",
                t.p90 <= 100,
                f"{len(t.times_ms)} one-step moves (drawn ahead), max {max(t.times_ms):.0f} ms"
                + (f"; a jump to the far end: {t.jump_ms:.0f} ms" if t.jump_ms is not None else ""),
            )
        )
    notebooks = len({t.notebook for t in timings})
    rows.append(
        Row(
            "sliders found in JupyterLab",
            f"{sum(1 for t in timings if t.figure)}",
            "every slider",
            None,
            f"in {notebooks} notebooks' pages, found on the page (not listed in the benchmark)",
        )
    )
    return rows


def bench_site(site_dir: Path | None):
    with tempfile.TemporaryDirectory(prefix="bench-site-") as folder:
        if site_dir:
            site = site_weight.student_site(site_dir.resolve())
        else:
            site = site_weight.build(Path(folder))
        weights, heavy, loads, load_events = site_weight.measure(
            site, log=lambda t: print(t, flush=True)
        )
        total = site.total_bytes
    limit = 1.5e6
    PAGE_TABLE[:] = [
        "The page's own file, every byte a first visit fetches (the page and what it loads: "
        "its stylesheet and pictures; the maths is typeset into the page at build time), and "
        "one load at 10 Mbit/s with 40 ms latency, cache off: ms from navigation to the load "
        "event and the maths shown, then a painted frame (bench/site_weight.py).",
        "",
        "| page | file | first visit fetches | rendered at 10 Mbit/s | file ≤ 1.5 MB |",
        "| --- | --- | --- | --- | --- |",
    ] + [
        f"| {page} | {size / 1e6:.2f} MB | {fetched / 1e6:.2f} MB | {ms / 1e3:.2f} s | "
        f"{'yes' if size <= limit else 'no'} |"
        for page, (size, fetched, ms) in sorted(weights.items())
    ]
    rows = []
    if site.build_seconds is not None:
        rows.append(
            Row(
                "make build after set-up (build/build.py into a temporary folder)",
                f"{site.build_seconds:.1f} s",
                "≤ 45 s",
                site.build_seconds <= 45,
                "one build, timed by the benchmark",
            )
        )
    rows.append(
        Row(
            "student site, all files",
            f"{total / 1e6:.1f} MB",
            "≤ 20 MB",
            total <= 20e6,
            f"{site.layout}; {len(site.files)} files, {len(weights)} pages",
        )
    )
    over = [p for p, (size, _, _) in weights.items() if size > limit]
    largest = max(weights, key=lambda p: weights[p][0])
    first_visit = max(fetched for _, fetched, _ in weights.values())
    rows.append(
        Row(
            "every page of the student site (its HTML file)",
            f"largest {weights[largest][0] / 1e6:.2f} MB",
            "≤ 1.5 MB each",
            not over,
            f"{largest}; {len(over)} of {len(weights)} pages over; a first visit with no "
            f"cache fetches up to {first_visit / 1e6:.2f} MB (table below)",
        )
    )
    if heavy:
        ms = median(loads)
        rows.append(
            Row(
                "05's page loaded and rendered at 10 Mbit/s, 40 ms latency",
                f"{ms / 1e3:.2f} s",
                "≤ 1.5 s",
                ms <= 1500,
                f"{heavy}: median of {len(loads)} loads, cache off (CDP network throttling); "
                f"its load event at {median(load_events) / 1e3:.2f} s; maths typeset at build "
                f"time (SVG), no MathJax in the browser; slowest page of one load each: "
                f"{max(ms for _, _, ms in weights.values()) / 1e3:.2f} s",
            )
        )
    return rows


def bench_make_test():
    """`make test` itself, as the CI runs it (`bash .ci/run`): every test, on every core."""
    start = time.perf_counter()
    result = subprocess.run(["make", "test"], cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    # pytest's summary line ("2186 passed in 217.77s"), not make's closing lines after it
    summaries = re.findall(r"^=+ (.* in [\d.]+s.*?) =+$", result.stdout, flags=re.MULTILINE)
    summary = summaries[-1] if summaries else "no pytest summary"
    return Row(
        "make test from a set-up venv",
        f"{seconds / 60:.1f} min",
        "≤ 3 min",
        seconds <= 180 and result.returncode == 0,
        f"pytest -n auto ({_workers(result.stdout)}): {summary}"[:200],
    )


SECTIONS = {
    "kernel": "landscape engine, memory, 05's slider in the kernel",
    "sgd": "independent against epochs sampling",
    "notebooks": "nbval",
    "sliders": "every slider in JupyterLab in Chromium",
    "site": "site build, weight and load time",
    "full": "make test (only with --full)",
}
MY_HEADINGS = ("## Targets", "## Sliders in JupyterLab", "## Student site pages")


def run_section(name: str, options) -> list[Row]:
    benches = {
        "kernel": lambda: [
            bench_vs_draft(),
            bench_vs_floor(),
            bench_epoch(),
            bench_memory(),
            bench_kernel_slider(),
        ],
        "sgd": bench_sgd,
        "notebooks": bench_notebooks,
        "sliders": lambda: bench_sliders(options.moves),
        "site": lambda: bench_site(options.site),
        "full": lambda: [bench_make_test()],
    }
    try:
        return benches[name]()
    except Exception as error:  # noqa: BLE001 - one broken section, the others still measured
        traceback.print_exc()
        return [Row(f"{name}: {SECTIONS[name]}", "error", "", False, str(error).splitlines()[0])]


def _kept_sections() -> list[str]:
    """Sections of bench/results.md this script does not write (e.g. the class capacity)."""
    if not RESULTS.exists():
        return []
    kept, current = [], None
    for line in RESULTS.read_text().splitlines():
        if line.startswith("## "):
            current = None if line.startswith(MY_HEADINGS) else [line]
            if current is not None:
                kept.append(current)
        elif current is not None:
            current.append(line)
    return ["\n".join(section).rstrip() for section in kept]


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|")


def write_results(
    rows: list[Row], started: str, loads: list[float], probes: dict[str, float], seconds: float
) -> None:
    slow = max(probes.values()) / QUIET_PROBE_MS
    each = ", ".join(f"{name} {ms:.0f}" for name, ms in probes.items())
    lines = [
        "# Benchmark results",
        "",
        f"`make bench` on {started}: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"NumPy {np.__version__}; {seconds / 60:.1f} min in all. Ratios are medians of "
        f"interleaved pairs ({REPEATS} pairs unless noted).",
        "",
        "The machine is shared and its speed drifts. Before each section a fixed NumPy workload "
        f"(exp and log1p over {PROBE_ELEMENTS:,} numbers, one thread) took, in ms: {each} "
        f"({QUIET_PROBE_MS} at the quietest hour on record). CPU-bound times here may be up to "
        f"{slow:.2f}× a quiet machine's (the ratios much less so). The 1-minute load "
        f"average was {min(loads):.1f}–{max(loads):.1f}; it does not show the other tenants' "
        "load.",
        "",
        "## Targets",
        "",
        "| figure | measured | target | met | detail |",
        "| --- | --- | --- | --- | --- |",
    ]
    met = {True: "yes", False: "**no**", None: "–"}
    lines += [
        f"| {_cell(r.name)} | {_cell(r.measured)} | {_cell(r.target)} | {met[r.ok]} | "
        f"{_cell(r.detail)} |"
        for r in rows
    ]
    if SLIDER_TABLE:
        lines += [
            "",
            "## Sliders in JupyterLab",
            "",
            f"Key press (``keydown``) to the last change of the figure's ``img`` src, "
            f"{browser_sliders.QUIET_MS} ms of quiet and an idle kernel ending a move; moves "
            "go towards the farther end of the range, one arrow-key step each, each to a value "
            "not shown before; the p90 to the decoded picture is shown too. Once the "
            "notebook has run, and after each move, the kernel draws the pictures one step "
            "away while it idles (a student stepping with the keys gets those, the first step "
            "too); a jump is not drawn ahead, so one Home/End press to "
            "the other end of the range (a value not shown before) is timed on its own.",
            "",
            *SLIDER_TABLE,
        ]
    if PAGE_TABLE:
        lines += ["", "## Student site pages", "", *PAGE_TABLE]
    for section in _kept_sections():
        lines += ["", section]
    RESULTS.write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="also time make test (long)")
    parser.add_argument(
        "--only",
        help=f"comma-separated sections of {list(SECTIONS)}; "
        "prints only, bench/results.md is left alone",
    )
    parser.add_argument("--site", type=Path, help="measure this built site instead of building")
    parser.add_argument("--moves", type=int, default=12, help="key presses per slider")
    options = parser.parse_args()
    names = [n for n in SECTIONS if n != "full" or options.full]
    if options.only:
        names = options.only.split(",")
        unknown = set(names) - set(SECTIONS)
        if unknown:
            parser.error(f"unknown sections {sorted(unknown)}; choose from {list(SECTIONS)}")
    started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    start, rows, loads, probes = time.perf_counter(), [], [], {}
    for name in names:
        loads.append(os.getloadavg()[0])
        probes[name] = host_probe_ms()
        print(
            f"== {name}: {SECTIONS[name]} (load {loads[-1]:.1f}; host probe {probes[name]:.0f} "
            f"ms, {probes[name] / QUIET_PROBE_MS:.2f}x the quietest on record)",
            flush=True,
        )
        section_start = time.perf_counter()
        for row in run_section(name, options):
            rows.append(row)
            verdict = {True: "PASS", False: "MISS", None: "    "}[row.ok]
            print(
                f"{verdict}  {row.name}: {row.measured} (target {row.target}) — {row.detail}",
                flush=True,
            )
        print(f"   ({time.perf_counter() - section_start:.0f} s)", flush=True)
    seconds = time.perf_counter() - start
    misses = [r for r in rows if r.ok is False]
    print(
        f"{len(rows) - len(misses)} of {len(rows)} figures within target or informative; "
        f"{len(misses)} missed; {seconds / 60:.1f} min"
    )
    if not options.only:
        write_results(rows, started, loads, probes, seconds)
        print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
