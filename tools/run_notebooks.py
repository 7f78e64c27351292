"""Re-create each notebooks/NN_name.ipynb from NN_name.py and execute it, storing the outputs.

Usage: python tools/run_notebooks.py [notebooks/01_data.py ...]   (default: every notebook)

The .py is the source; the .ipynb is overwritten. No execution timings are recorded, so a
re-run changes only what the code really prints: cell ids and widget model ids are numbered
in order rather than random, so they change only when cells or widgets are added or removed.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def run(source: Path) -> None:
    notebook = jupytext.read(source)
    notebook.metadata["kernelspec"] = KERNELSPEC
    for number, cell in enumerate(notebook.cells):
        cell.id = f"cell-{number:02d}"
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        record_timing=False,
        coalesce_streams=True,  # one text output per cell, however the kernel chunked it
        resources={"metadata": {"path": str(source.parent)}},
    )
    client.execute()
    text = _numbered_widget_ids(nbformat.writes(notebook))
    source.with_suffix(".ipynb").write_text(text)
    print(f"executed {source.relative_to(ROOT)}")


def _numbered_widget_ids(text: str) -> str:
    """Replace the random widget model ids by numbers in the order the notebook shows them."""
    notebook = json.loads(text)
    state = notebook["metadata"].get("widgets", {})
    state = state.get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    order: list[str] = []
    pending = re.findall(r'"model_id": "([0-9a-f]{32})"', text)
    while pending:  # the displayed widgets first, then what they refer to, depth first
        model = pending.pop(0)
        if model in order or model not in state:
            continue
        order.append(model)
        refs = re.findall(r"IPY_MODEL_([0-9a-f]{32})", json.dumps(state[model], sort_keys=True))
        pending = refs + pending
    order += sorted(set(state) - set(order))
    numbers = {model: f"{number:032d}" for number, model in enumerate(order, start=1)}
    text = re.sub(r"[0-9a-f]{32}", lambda m: numbers.get(m.group(0), m.group(0)), text)
    return nbformat.writes(nbformat.reads(text, as_version=4))  # state re-sorted by id


def main(paths: list[str]) -> None:
    sources = [Path(p).resolve() for p in paths] or sorted((ROOT / "notebooks").glob("[0-9]*.py"))
    for source in sources:
        run(source.with_suffix(".py"))


if __name__ == "__main__":
    main(sys.argv[1:])
