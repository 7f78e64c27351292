"""Speed of the landscape engine against its targets (issue 4). Run: ``make bench``.

The machine is shared and noisy, so every figure is a ratio of two workloads timed in the
same run, interleaved (A, B, A, B, ...), reported as the median of the per-pair ratios.
Writes the table to bench/results.md. Never part of `make test`'s pass/fail.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path
from statistics import median

import numpy as np

import course_utils as cu

ROOT = Path(__file__).resolve().parents[1]
REPEATS = 7


def naive_draft_landscape(X, y, w1, w2):
    """The original draft's method: a Python double loop, probabilities, logs, np.append."""
    ww1, ww2 = np.meshgrid(w1, w2)
    losses = np.array([])
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for i in range(ww1.shape[0]):
            for j in range(ww1.shape[1]):
                p = 1 / (1 + np.exp(-ww1[i, j] * X[:, 0] - ww2[i, j] * X[:, 1]))
                loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
                losses = np.append(losses, loss)
    return losses.reshape(ww1.shape)


def exp_log1p_floor(n_elements: int) -> None:
    """One NumPy exp and one log1p pass over n_elements, on a cache-sized block, one thread."""
    block = np.random.default_rng(0).uniform(-30, 0, 1 << 15)
    out = np.empty_like(block)
    for _ in range(n_elements // block.size):
        np.exp(block, out=out)
        np.log1p(out, out=out)


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
    data = cu.make_two_gaussians(5.0, 1.0, 200, 200, seed=0)
    w1, w2 = grid(50)
    ratio, fast, slow = interleaved_ratio(
        lambda: naive_draft_landscape(data.X, data.y, w1, w2),
        lambda: cu.loss_landscape(data.X, data.y, w1, w2),
        repeats=5,
    )
    draft = naive_draft_landscape(data.X, data.y, w1, w2)
    ours = cu.loss_landscape(data.X, data.y, w1, w2)
    finite = np.isfinite(draft)
    # where the draft is finite, it differs only by its own rounding in 1 - p
    gap = np.max(np.abs(draft[finite] / ours[finite] - 1))
    note = (
        f"draft {fast * 1e3:.0f} ms, ours {slow * 1e3:.2f} ms; the draft is inf at "
        f"{np.sum(~finite)} of {draft.size} grid points, elsewhere within {gap:.0e} of ours"
    )
    return (
        "loss_landscape speed-up over the draft's loop (N=400, 50×50)",
        ratio,
        ">= 10×",
        ratio >= 10,
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
    return (
        "loss_landscape / exp+log1p floor (N=10,000, 200×200)",
        ratio,
        "<= 1.0×",
        ratio <= 1.0,
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
    return (
        "one epoch of minibatch_landscapes / loss_landscape (B=32, N=10,000, 100×100)",
        ratio,
        "<= 1.5×",
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
    return (
        "peak memory growth of loss_landscape, MB (N=100,000, 100×100)",
        peak,
        "<= 300 MB",
        peak <= 300,
        note,
    )


def bench_slider():
    try:
        from course_utils.widgets import batch_size_explorer
    except ImportError:
        return (
            "batch-size slider redraw, ms (notebook 05 defaults)",
            float("nan"),
            "<= 150 ms",
            False,
            "widget not found",
        )
    data = cu.make_two_gaussians(2.0, 1.0, 200, 200, seed=0)  # as in notebook 05
    widget = batch_size_explorer(data.X, data.y, batch_size=16)
    slider = widget.sliders["batch_size"]
    values = list(slider.options) if hasattr(slider, "options") else [slider.min, slider.max]
    values = [v[1] if isinstance(v, tuple) else v for v in values]
    times = []
    for _ in range(3):
        for value in values:
            if value == slider.value:
                continue
            times.append(_seconds(lambda v=value: setattr(slider, "value", v)))
    ms = median(times) * 1e3
    note = f"median of {len(times)} moves over {len(values)} values, max {max(times) * 1e3:.0f} ms"
    return (
        "batch-size slider: value change to redrawn PNG, ms (notebook 05)",
        ms,
        "<= 150 ms",
        ms <= 150,
        note,
    )


def bench_notebooks():
    notebooks = sorted(str(p) for p in (ROOT / "notebooks").glob("[0-9]*.ipynb"))
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--nbval",
        "--nbval-current-env",
        *notebooks,
    ]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    passed = result.returncode == 0
    note = f"{len(notebooks)} notebooks under nbval, {'all passed' if passed else 'FAILED'}"
    return (
        "executing every notebook as nbval does, s",
        seconds,
        "<= 60 s",
        seconds <= 60 and passed,
        note,
    )


def main() -> None:
    benches = [
        bench_vs_draft,
        bench_vs_floor,
        bench_epoch,
        bench_memory,
        bench_slider,
        bench_notebooks,
    ]
    rows = []
    for bench in benches:
        name, value, target, ok, note = bench()
        rows.append((name, value, target, ok, note))
        print(
            f"{'PASS' if ok else 'MISS'}  {name}: {value:.2f} (target {target}) — {note}",
            flush=True,
        )
    lines = [
        "# Benchmark results",
        "",
        f"`make bench` on {date.today().isoformat()}: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, NumPy {np.__version__}. Ratios are medians of "
        f"interleaved pairs measured in one run ({REPEATS} pairs unless noted).",
        "",
        "| figure | measured | target | met | detail |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [f"| {n} | {v:.2f} | {t} | {'yes' if ok else 'no'} | {d} |" for n, v, t, ok, d in rows]
    (ROOT / "bench" / "results.md").write_text("\n".join(lines) + "\n")
    print("written to bench/results.md")


if __name__ == "__main__":
    main()
