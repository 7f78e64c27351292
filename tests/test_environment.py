"""The conda route (environment.yml) installs the same packages as the pip route (pyproject)."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _split(requirement: str) -> tuple[str, str]:
    name, spec = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", requirement).groups()
    return re.sub(r"[-_.]+", "-", name).lower(), spec.replace(" ", "")


def _pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements += extra
    own = _split(project["name"])[0]
    return {name: spec for name, spec in map(_split, requirements) if name != own}


def _conda_requirements() -> dict[str, str]:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    entries = [d for d in environment["dependencies"] if isinstance(d, str)]
    return {k: v for k, v in map(_split, entries) if k not in {"python", "pip"}}


def test_conda_and_pip_list_the_same_packages_and_ranges():
    assert _conda_requirements() == _pyproject_requirements()


def test_ranges_not_pins():
    assert all("==" not in spec for spec in _pyproject_requirements().values())


def test_conda_route_installs_the_project_itself():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_entries = [d["pip"] for d in environment["dependencies"] if isinstance(d, dict)]
    assert any("--editable ." in entry for entries in pip_entries for entry in entries)
