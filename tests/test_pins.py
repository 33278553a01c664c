"""Pinned versions: constraints.txt fits pyproject's ranges, and this environment has them.

The suite runs in an editable install of the checkout (``bash tools/run-tests``), which
``hatch_build.py`` pins to ``constraints.txt``: every installed distribution that the file
names must be at its pinned version.
"""

from __future__ import annotations

import importlib.util
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # hatchling brings tomli on older Pythons
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent


def _hook():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("myoatlas_hatch_build", REPO / "hatch_build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pins() -> dict[str, tuple[str, str | None]]:
    """{canonical name: (version, extra or None)}, read by the hook itself."""
    out = {}
    for text in _hook().pinned_requirements((REPO / "constraints.txt").read_text()):
        req = Requirement(text)
        (spec,) = req.specifier
        extra = None if req.marker is None else str(req.marker).split('"')[1]
        out[canonicalize_name(req.name)] = (spec.version, extra)
    return out


def _project() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text())["project"]


def test_every_dependency_is_pinned_inside_its_range():
    pins = _pins()
    project = _project()
    wanted = [(r, None) for r in project["dependencies"]]
    wanted += [(r, "test") for r in project["optional-dependencies"]["test"]]
    for text, extra in wanted:
        req = Requirement(text)
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} has no pin in constraints.txt"
        pinned, section = pins[name]
        assert req.specifier.contains(pinned, prereleases=True), f"{req.name}=={pinned} vs {req}"
        if extra is None:
            assert section is None, f"{req.name} is a runtime dependency but pinned for {section}"


def test_this_environment_has_the_pinned_versions():
    off = []
    for name, (pinned, _extra) in _pins().items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            off.append(f"{name} missing")
            continue
        if installed != pinned:
            off.append(f"{name} {installed} (pinned {pinned})")
    assert not off, "not the pinned versions: " + ", ".join(off)


def test_the_hook_pins_test_only_packages_behind_the_extra():
    hook = _hook()
    reqs = hook.pinned_requirements("numpy==2.0.0\n# a comment\n# extra: test\npytest==9.0\n")
    assert reqs == ["numpy==2.0.0", 'pytest==9.0 ; extra == "test"']
