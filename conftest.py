"""How `make test` shares its tests between the cores (pytest-xdist, ``-n auto --dist loadgroup``).

At the root (not in tests/) so that it also holds for a run of the notebooks alone.

Units: tests that must run in one process, in order, go to one worker as one unit: each
notebook's cells under nbval (one kernel runs them in turn), and the tests of one expensive
server or page (the hub, the presenting route, the notebooks opened and run in Lab: one Lab
and one page for all six; each worker that ran some of them paid Lab's start and first page
load, 12-15 s under `make test`).
Every other test is a unit of its own. The units are read from the test ids by the scheduler
below: xdist's own ``xdist_group`` marks work by appending "@group" to the test ids, which
pytest 9.2 no longer lets a plugin do (pytest-dev/pytest-xdist#1386), so tests are grouped
here without marks.
Order: the longest units first, so that no worker is left with a long one at the end while
the other idles (the many short unit tests come last and even out the finish).
"""

from __future__ import annotations

import os

import pytest

ONE_UNIT = {  # test file -> the unit all its tests form
    "test_lab_notebooks.py": "lab",
    "test_hub.py": "hub",
    "test_present.py": "present",
}

# The longest units first (by --durations on 2 cores, 2026-11-27): each entry names a unit or
# the start of a test id. The site build (~30 s, once per run, shared by the workers through a
# file lock: tests/conftest.py) is started by the first test that needs it: the instructor
# site's page test, placed right after the Lab runs, so the two workers start on them
# together (alone: a second site test there would wait for the build) and the build is done
# long before the decks need it.
LONGEST_FIRST = (
    "lab",
    "tests/browser/test_site.py::test_every_page_loads_cleanly_offline[instructor]",
    "present",
    "hub",
    "tests/test_student_copy.py::test_a_students_answer_survives_a_course_update",
    # The notebooks' own order, longest first (kernel time: 06, 04, 05 ~2.8 s; 01, 02 ~2.3 s;
    # 03 ~1.7 s): six notebooks on two workers finish together.
    "nbval notebooks/06",
    "nbval notebooks/04",
    "nbval notebooks/05",
    "nbval notebooks/01",
    "nbval notebooks/02",
    "nbval ",
    "tests/browser/",
    "tests/test_build.py",
    "tests/test_widgets.py",
)


def unit(nodeid: str) -> str:
    """The unit of work a test belongs to (its own id if it can run anywhere)."""
    path = nodeid.partition("::")[0]
    file = path.rsplit("/", 1)[-1]
    if file.endswith(".ipynb"):
        return f"nbval {path}"
    return ONE_UNIT.get(file, nodeid)


def _rank(nodeid: str) -> int:
    group = unit(nodeid)
    for rank, start in enumerate(LONGEST_FIRST):
        if group.startswith(start) or nodeid.startswith(start):
            return rank
    return len(LONGEST_FIRST)


def pytest_collection_modifyitems(config, items):
    """Under xdist, the order in which the workers report the tests is the order of the queue."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        items.sort(key=lambda item: _rank(item.nodeid))  # stable: cells stay in order


try:
    from xdist.scheduler import LoadScopeScheduling
except ImportError:  # pytest without xdist: one process, nothing to share
    LoadScopeScheduling = None
else:

    class UnitScheduling(LoadScopeScheduling):
        """xdist's load-by-scope scheduling, with this file's units as the scopes."""

        def _split_scope(self, nodeid: str) -> str:
            return unit(nodeid)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if LoadScopeScheduling is not None and config.getvalue("dist") == "loadgroup":
        return UnitScheduling(config, log)
    return None
