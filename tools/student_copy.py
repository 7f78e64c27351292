"""A student's own copy of the notebooks in work/ (ignored by git), kept up to date with the course.

Usage:
    python tools/student_copy.py lab [jupyter lab options]   # what `make lab` runs
    python tools/student_copy.py sync                        # only bring work/ up to date
    python tools/student_copy.py reset 05                    # what `make reset NB=05` runs

JupyterLab serves work/, so nothing a student does writes the tracked notebooks/ pairs, and
`git pull` never meets a student's answers. Each `sync` (the first step of `lab`) compares
the course's notebooks with the student's copies, with nbgitpuller's rules:

- a notebook new in the course is copied in; one the student deleted is restored;
- a notebook changed in the course replaces the student's copy if the student has not edited
  it; an edited one is kept, and the course's new version is saved beside it as
  ``NN_name.updated.ipynb``;
- a notebook removed from the course is removed from work/ if unedited, else kept.

"Edited" means that a cell's text or type differs from the version the student was given:
running a notebook and saving its outputs is not an edit. What the student was given is
recorded in ``work/.course-manifest.json``. Every step is printed. Nothing here needs the
network.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "notebooks"
WORK = ROOT / "work"
MANIFEST = ".course-manifest.json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# Nearest jupytext config wins: the copies are plain notebooks, never paired with a .py.
JUPYTEXT_CONFIG = (
    "# The student's copies are plain notebooks: no paired .py files here.\n"
    "# (It overrides the repository's jupytext.toml, should Lab be started from there.)\n"
    'formats = "ipynb"\n'
)
README = (
    "Your own copy of the course's notebooks. Git ignores this folder: edit and save freely.\n"
    "`make lab` brings course updates in (your edited notebooks are kept; the course's new\n"
    "version is saved beside them as NN_name.updated.ipynb); `make reset NB=05` gives you\n"
    "the course's version of notebook 05 again (yours is kept as NN_name.before-reset.ipynb).\n"
)


def fingerprint(path: Path) -> str | None:
    """A hash of the notebook's cells (type and text): what counts as the student's edits.

    Outputs, execution counts and metadata are left out, so running a notebook is not an
    edit. None when the file is not a readable notebook (then it counts as edited).
    """
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = json.dumps(
            [[c["cell_type"], "".join(c["source"])] for c in cells], ensure_ascii=False
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _for_first_open():
    """tools/run_notebooks.py's ``for_first_open`` (one rule for the course and the copies)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    try:
        from run_notebooks import for_first_open
    finally:
        sys.path.pop(0)
    return for_first_open


def _student_version(course_file: Path) -> str:
    """The course notebook as a student gets it: no jupytext pairing, figures before a run."""
    for_first_open = _for_first_open()
    notebook = json.loads(course_file.read_text(encoding="utf-8"))
    notebook.get("metadata", {}).pop("jupytext", None)
    for_first_open(notebook)  # already done when the notebook was stored; does no harm
    return json.dumps(notebook, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def _scrub_widget_views(path: Path) -> bool:
    """Store a student's run notebook for the next first open, as the course's are stored.

    Lab saves a run notebook with its widget views but (by default) not the widgets' state:
    reopened, each would read "Error displaying widget: model not found" until run again.
    Only outputs change (cells are untouched); returns whether the file changed.
    """
    text = path.read_text(encoding="utf-8")
    if WIDGET_VIEW not in text:
        return False
    try:
        notebook = json.loads(text)
    except ValueError:
        return False
    for_first_open = _for_first_open()
    before = json.dumps(notebook, sort_keys=True)
    for_first_open(notebook)
    if json.dumps(notebook, sort_keys=True) == before:
        return False
    temporary = path.with_name(path.name + ".part")
    temporary.write_text(
        json.dumps(notebook, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    os.replace(temporary, path)
    return True


def _write_copy(course_file: Path, target: Path) -> None:
    temporary = target.with_name(target.name + ".part")
    temporary.write_text(_student_version(course_file), encoding="utf-8")
    os.replace(temporary, target)


def _free_name(work: Path, stem: str, suffix: str, manifest_name: str | None = None) -> Path:
    """``stem.suffix.ipynb``, or ``stem.suffix-2.ipynb``... if the student has that file."""
    for number in range(1, 1000):
        name = f"{stem}.{suffix}.ipynb" if number == 1 else f"{stem}.{suffix}-{number}.ipynb"
        if not (work / name).exists() or name == manifest_name:
            return work / name
    raise RuntimeError(f"too many {stem}.{suffix}*.ipynb files in {work}")


def _load_manifest(work: Path) -> dict:
    try:
        manifest = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest.get("notebooks", {}) if isinstance(manifest, dict) else {}


def _save_manifest(work: Path, entries: dict) -> None:
    text = json.dumps({"version": 1, "notebooks": entries}, indent=1, sort_keys=True) + "\n"
    (work / MANIFEST).write_text(text, encoding="utf-8")


def sync(course: Path = COURSE, work: Path = WORK) -> list[str]:
    """Bring ``work`` up to date with ``course``; returns what was done, one line per step."""
    first_time = not work.exists()
    work.mkdir(parents=True, exist_ok=True)
    # Not hidden: Lab's contents manager (which applies jupytext) does not see hidden files.
    (work / "jupytext.toml").write_text(JUPYTEXT_CONFIG, encoding="utf-8")
    if not (work / "README.txt").exists():
        (work / "README.txt").write_text(README, encoding="utf-8")
    entries = _load_manifest(work)
    done: list[str] = []
    course_files = {p.name: p for p in sorted(course.glob("[0-9][0-9]_*.ipynb"))}
    for name, course_file in course_files.items():
        mine = work / name
        course_print = fingerprint(course_file)
        entry = entries.get(name)
        if not mine.exists():
            _write_copy(course_file, mine)
            entries[name] = {"given": course_print, "seen": course_print}
            if entry is None and not first_time:
                done.append(f"added      {name} (new in the course)")
            elif entry is not None:
                done.append(f"restored   {name} (you had deleted it)")
            continue
        my_print = fingerprint(mine)
        if my_print == course_print and my_print is not None:
            entries[name] = {**(entry or {}), "given": course_print, "seen": course_print}
            continue  # the same cells as the course's: nothing to do
        if entry is not None and entry.get("seen") == course_print:
            continue  # the course has not changed since the last sync
        if entry is not None and my_print == entry.get("given"):
            _write_copy(course_file, mine)
            entries[name] = {"given": course_print, "seen": course_print}
            done.append(f"updated    {name} (you had not edited it)")
            continue
        # Edited by the student (or a file of theirs with the course's name): keep it.
        previous = (entry or {}).get("updated_file")
        beside = _free_name(work, name.removesuffix(".ipynb"), "updated", previous)
        if beside.exists() and fingerprint(beside) != (entry or {}).get("updated_print"):
            beside = _free_name(work, name.removesuffix(".ipynb"), "updated")
        _write_copy(course_file, beside)
        entries[name] = {
            "given": (entry or {}).get("given"),
            "seen": course_print,
            "updated_file": beside.name,
            "updated_print": course_print,
        }
        done.append(f"kept       {name} (you edited it); the course's new version is {beside.name}")
    for notebook in sorted(work.glob("*.ipynb")):
        if _scrub_widget_views(notebook):
            done.append(f"prepared   {notebook.name}: its sliders show their picture until run")
    for name in sorted(set(entries) - set(course_files)):
        mine = work / name
        if mine.exists() and fingerprint(mine) == entries[name].get("given"):
            mine.unlink()
            done.append(f"removed    {name} (no longer in the course; you had not edited it)")
        elif mine.exists():
            done.append(f"kept       {name} (no longer in the course; you edited it)")
        del entries[name]
    _save_manifest(work, entries)
    if first_time:
        done.insert(
            0, f"created    {work.name}/ with your own copy of {len(course_files)} notebooks"
        )
    return done


def reset(number: str, course: Path = COURSE, work: Path = WORK) -> list[str]:
    """Give the student the course's version of notebook ``number`` (``05`` or ``05_minibatch``).

    The student's copy, if it differs from the course's, is kept as
    ``NN_name.before-reset.ipynb``.
    """
    key = number.removesuffix(".ipynb")
    matches = [p for p in sorted(course.glob("[0-9][0-9]_*.ipynb")) if p.stem.startswith(key)]
    if not key or len(matches) != 1:
        names = ", ".join(p.stem for p in sorted(course.glob("[0-9][0-9]_*.ipynb")))
        raise ValueError(
            f"NB={number!r} must name one notebook: its number or name, one of {names}"
        )
    sync(course, work)  # the manifest and work/ exist; new notebooks come in
    course_file = matches[0]
    mine = work / course_file.name
    done = []
    if mine.exists() and fingerprint(mine) != fingerprint(course_file):
        backup = _free_name(work, course_file.stem, "before-reset")
        os.replace(mine, backup)
        done.append(f"saved      your {mine.name} as {backup.name}")
    _write_copy(course_file, mine)
    entries = _load_manifest(work)
    course_print = fingerprint(course_file)
    entries[course_file.name] = {"given": course_print, "seen": course_print}
    _save_manifest(work, entries)
    done.append(f"reset      {mine.name} to the course's version")
    return done


def _report(done: list[str], work: Path) -> None:
    if done:
        print(f"Your notebooks ({work}):")
        for line in done:
            print(f"  {line}")
    else:
        print(f"Your notebooks ({work}) are up to date with the course.")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["lab", "sync", "reset"])
    parser.add_argument("rest", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.command == "reset":
        if len(args.rest) != 1:
            parser.error("reset takes one notebook: its number, e.g. 05")
        try:
            done = reset(args.rest[0])
        except ValueError as error:
            parser.exit(2, f"{error}\n")
        _report(done, WORK)
        return
    _report(sync(), WORK)
    if args.command == "lab":
        sys.stdout.flush()
        command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={WORK}"]
        os.execv(sys.executable, command + args.rest)


if __name__ == "__main__":
    main(sys.argv[1:])
