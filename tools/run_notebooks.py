"""Re-create each notebooks/NN_name.ipynb from NN_name.py and execute it, storing the outputs.

Usage: python tools/run_notebooks.py [notebooks/01_data.py ...]   (default: every notebook)

The .py is the source; the .ipynb is overwritten. No execution timings are recorded, so a
re-run changes only what the code really prints (and the ids of widget models): cell ids are
numbered in order rather than random, so they change only when cells are added or removed.
"""

from __future__ import annotations

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
        resources={"metadata": {"path": str(source.parent)}},
    )
    client.execute()
    nbformat.write(notebook, source.with_suffix(".ipynb"))
    print(f"executed {source.relative_to(ROOT)}")


def main(paths: list[str]) -> None:
    sources = [Path(p).resolve() for p in paths] or sorted((ROOT / "notebooks").glob("[0-9]*.py"))
    for source in sources:
        run(source.with_suffix(".py"))


if __name__ == "__main__":
    main(sys.argv[1:])
