"""Re-create each notebooks/NN_name.ipynb from NN_name.py and execute it, storing the outputs.

Usage: python tools/run_notebooks.py [notebooks/01_data.py ...]   (default: every notebook)

The .py is the source; the .ipynb is overwritten. No execution timings are recorded, so a
re-run changes only what the code really prints: cell ids and widget model ids are numbered
in order rather than random, so they change only when cells or widgets are added or removed.

Slider cells are stored for a reader whose kernel has not run yet (``for_first_open``): the
widget view, which JupyterLab can only show once a kernel has made its model, is replaced by
a line saying so and the slider's picture.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

# jupytext, nbformat and nbclient are imported where used: tools/student_copy.py imports
# for_first_open from here and must start quickly (nbformat alone takes seconds to import).

ROOT = Path(__file__).resolve().parents[1]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def run(source: Path) -> None:
    import jupytext
    import nbformat
    from nbclient import NotebookClient

    notebook = jupytext.read(source)
    notebook.metadata["kernelspec"] = KERNELSPEC
    _sort_metadata_filter(notebook.metadata.get("jupytext", {}))
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
    text = nbformat.writes(nbformat.from_dict(for_first_open(json.loads(text))))
    source.with_suffix(".ipynb").write_text(text)
    print(f"executed {source.relative_to(ROOT)}")


def _sort_metadata_filter(jupytext_metadata: dict) -> None:
    """Sort jupytext's ``cell_metadata_filter`` ("tags,slideshow,-all").

    jupytext lists the keys in set order, which changes between runs (string hashing is
    salted per process): sorted, a re-run leaves the line as it was.
    """
    keys = jupytext_metadata.get("cell_metadata_filter")
    if keys:
        kept = sorted(key for key in keys.split(",") if not key.startswith("-"))
        dropped = sorted(key for key in keys.split(",") if key.startswith("-"))
        jupytext_metadata["cell_metadata_filter"] = ",".join(kept + dropped)


def _numbered_widget_ids(text: str) -> str:
    """Replace the random widget model ids by numbers in the order the notebook shows them."""
    import nbformat

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


def for_first_open(notebook: dict) -> dict:
    """The notebook (nbformat 4 as a dict, changed in place) as it should open before any run.

    JupyterLab shows a stored widget view only once a kernel has created its model: before
    that, a trusted notebook shows "Error displaying widget: model not found" and an untrusted
    one the widget's text repr. Lab shows one mime type per output (for an untrusted notebook
    the first "safe" one by rank: HTML, markdown, LaTeX, image, then plain text), so a picture
    and words take two outputs. Each widget-view output becomes

    - a markdown line: which sliders, and that they move once the notebook has run;
    - the widget's picture (``image/png``: the bundle's own, or else the PNG of the first
      Image model inside the widget), its ``text/plain`` the same words; the output's
      metadata keeps the view's model id under ``course_utils.widget_view``.

    Running the notebook replaces both with the live widget. The notebook-level widget state
    is kept (tests read the sliders' settings from it) without the Image models' buffers,
    which only repeated the pictures now stored as ``image/png``. Applying it twice changes
    nothing more.
    """
    metadata = notebook.setdefault("metadata", {})
    state = metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        outputs = []
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if output.get("output_type") not in ("display_data", "execute_result") or not view:
                outputs.append(output)
                continue
            words, markdown = _slider_words(view["model_id"], state, output["data"])
            outputs.append(
                {
                    "output_type": "display_data",
                    "metadata": {},
                    "data": {"text/markdown": markdown, "text/plain": words},
                }
            )
            picture = output["data"].get("image/png") or _state_png(view["model_id"], state)
            if picture:
                outputs.append(
                    {
                        "output_type": "display_data",
                        "metadata": {"course_utils": {"widget_view": view}},
                        "data": {"image/png": picture, "text/plain": words},
                    }
                )
        cell["outputs"] = outputs
    for model in state.values():
        if model.get("model_name") == "ImageModel":
            model.pop("buffers", None)
    return notebook


def _descendants(model_id: str, state: dict) -> list[dict]:
    """The widget model ``model_id`` and every model it refers to, depth first."""
    found, pending, seen = [], [model_id], set()
    while pending:
        current = pending.pop(0)
        if current in seen or current not in state:
            continue
        seen.add(current)
        found.append(state[current])
        refs = re.findall(r"IPY_MODEL_([0-9a-f]{32})", json.dumps(state[current]["state"]))
        pending = refs + pending
    return found


def _slider_words(model_id: str, state: dict, data: dict) -> tuple[str, str]:
    """What the page says in place of a widget: plain text and markdown.

    The sliders' names come from the stored widget state; without it (JupyterLab does not
    save the state by default) from the widget's one-line ``text/plain``.
    """
    names = [
        m["state"]["description"]
        for m in _descendants(model_id, state)
        if m.get("model_name", "").endswith("SliderModel") and m["state"].get("description")
    ]
    plain = data.get("text/plain", "")
    plain = "".join(plain) if isinstance(plain, list) else plain
    if not names and "run the notebook" in plain and "\n" not in plain.strip():
        return plain.strip(), f"*{plain.strip()} (Run ▸ Run All Cells).*"
    if not names:
        words = "An interactive widget: run the notebook (Run ▸ Run All Cells) to use it."
        return words, f"*{words}*"
    listed = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
    bold = [f"**{name}**" for name in names]
    bold_listed = ", ".join(bold[:-1]) + f" and {bold[-1]}" if len(bold) > 1 else bold[0]
    plural = "sliders move" if len(names) > 1 else "slider moves"
    when = "once the notebook has run (Run ▸ Run All Cells)"
    return (
        f"The {listed} {plural} {when}.",
        f"*The {bold_listed} {plural} {when}. Until then, the figure as stored:*",
    )


def _state_png(model_id: str, state: dict) -> str | None:
    """The base64 PNG held by the first Image model inside the widget, if any."""
    for model in _descendants(model_id, state):
        if model.get("model_name") == "ImageModel" and model["state"].get("format") == "png":
            for buffer in model.get("buffers", []):
                if buffer.get("path") == ["value"] and buffer.get("encoding") == "base64":
                    return buffer["data"]
    return None


def main(paths: list[str]) -> None:
    sources = [Path(p).resolve() for p in paths] or sorted((ROOT / "notebooks").glob("[0-9]*.py"))
    for source in sources:
        run(source.with_suffix(".py"))


if __name__ == "__main__":
    main(sys.argv[1:])
