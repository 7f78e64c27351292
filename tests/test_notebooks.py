"""The stored notebooks: paired with their sources, fully executed, clean outputs.

nbval (run by the same `pytest`) re-executes each notebook and compares its outputs; these
tests guard what nbval cannot see: a cell that was never executed passes nbval silently.
"""

import importlib
import json
import numbers as numbers_module
import re
from pathlib import Path

import jupytext
import nbformat
import numpy as np
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
SOURCES = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py"))
STORED = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
IDS = [p.stem for p in SOURCES]

MEMORY_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,}\b")
LOCAL_PATH = re.compile(r"(/work/|/root/|/home/|/tmp/|/private/|[A-Z]:\\\\Users)")


def _cells(path):
    return [(c.cell_type, c.source.strip()) for c in nbformat.read(path, as_version=4).cells]


def _outputs_text(cell) -> str:
    """Everything a code cell's outputs say, as text (images left out)."""
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type == "error":
            parts.append("\n".join(output.traceback))
        else:
            data = output.get("data", {})
            parts += [
                v if isinstance(v, str) else json.dumps(v)
                for k, v in data.items()
                if not k.startswith("image/")
            ]
    return "\n".join(parts)


def test_there_are_notebooks():
    assert SOURCES, "no notebooks/NN_name.py found"


def test_every_source_has_a_stored_notebook_and_back():
    assert [p.stem for p in STORED] == [p.stem for p in SOURCES]


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_pair_has_the_same_cells(source):
    from_source = [(c.cell_type, c.source.strip()) for c in jupytext.read(source).cells]
    assert from_source == _cells(source.with_suffix(".ipynb")), (
        f"{source.name} and its .ipynb differ: run `make notebooks`"
    )


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_every_code_cell_was_executed_in_order(source):
    notebook = nbformat.read(source.with_suffix(".ipynb"), as_version=4)
    counts = [c.execution_count for c in notebook.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1)), "re-execute with `make notebooks`"
    assert notebook.metadata.get("kernelspec", {}).get("name") == "python3"


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_stored_outputs_are_clean(source):
    notebook = nbformat.read(source.with_suffix(".ipynb"), as_version=4)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        where = f"{source.stem} cell {index}"
        assert "execution" not in cell.metadata, f"{where}: execution timings stored"
        for output in cell.outputs:
            assert output.output_type != "error", f"{where}: stored error"
            if output.output_type == "stream":
                assert output.name == "stdout", f"{where}: output on stderr"
        text = _outputs_text(cell)
        assert "Traceback" not in text, f"{where}: traceback"
        assert "Warning" not in text, f"{where}: a warning in the output"
        assert not MEMORY_ADDRESS.search(text), f"{where}: memory address in the output"
        assert not LOCAL_PATH.search(text), f"{where}: local path in the output"


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_notebook_opens_with_goals_and_ends_with_exercises(source):
    cells = nbformat.read(source.with_suffix(".ipynb"), as_version=4).cells
    assert cells[0].cell_type == "markdown" and "learn" in cells[0].source.lower()
    markdown = "\n".join(c.source for c in cells if c.cell_type == "markdown").lower()
    assert "summary" in markdown and "exercise" in markdown


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_notebook_is_cut_into_slides(source):
    cells = nbformat.read(source.with_suffix(".ipynb"), as_version=4).cells
    kinds = [c.metadata.get("slideshow", {}).get("slide_type") for c in cells]
    assert kinds[0] == "slide", "the title cell starts the first slide"
    assert kinds.count("slide") >= 3
    assert all(k in (None, "slide", "subslide", "fragment", "skip", "-", "notes") for k in kinds)


# ---- no answer printed above its exercise --------------------------------------------------

NUMBER = re.compile(r"[-+−]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(%?)")
CHECK_CALL = re.compile(r"\bq(\d+)\.check\(")


def _printed_numbers(text: str) -> list[float]:
    """Every number a text shows, in order; "99.2%" counts as 0.992 and as 99.2."""
    numbers = []
    for match in NUMBER.finditer(text):
        value = float(match.group(0).rstrip("%").replace("−", "-"))
        numbers.append(value)
        if match.group(1):
            numbers.append(value / 100)
    return numbers


def _plain_outputs(cell) -> str:
    """What a code cell printed or displayed as plain text (no HTML, no widget state)."""
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif "data" in output:
            parts.append(output.data.get("text/plain", ""))
    return "\n".join(parts)


def _candidates(numbers: list[float], shape: tuple[int, ...]):
    """Runs of consecutive printed numbers shaped like the answer."""
    size = int(np.prod(shape)) if shape else 1
    for start in range(len(numbers) - size + 1):
        run = numbers[start : start + size]
        yield np.reshape(run, shape) if shape else run[0]


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_no_output_above_an_exercise_holds_its_answer(source):
    """No number (or run of numbers shaped like the answer) printed above an exercise's
    check passes that check: the student has to work it out. Answers that are functions or
    words are checked as a process instead (tests/test_exercises.py)."""
    module = importlib.import_module(f"course_utils.exercises.nb{source.name[:2]}")
    exercises = {
        name: q for name, q in vars(module).items() if name[:1] == "q" and hasattr(q, "judge")
    }
    cells = nbformat.read(source.with_suffix(".ipynb"), as_version=4).cells
    numbers: list[float] = []
    leaks = []
    for cell in cells:
        if cell.cell_type != "code":
            continue
        found = CHECK_CALL.search(cell.source)
        if found:
            q = exercises[f"q{found.group(1)}"]
            answer = q.solve()
            if isinstance(answer, numbers_module.Number) or isinstance(answer, np.ndarray):
                shape = np.shape(answer)
                for candidate in _candidates(numbers, shape):
                    if q.judge(candidate).correct:
                        leaks.append(f"{q.title}: {candidate!r} is printed above it")
                        break
            continue  # a check's own line says nothing about the answer
        numbers += _printed_numbers(_plain_outputs(cell))
    assert not leaks, leaks
