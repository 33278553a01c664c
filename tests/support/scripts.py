"""The repository's scripts (``bench/``, ``tools/``, ``deploy/``) as modules, for tests.

Those directories hold scripts, not packages, so tests load a script from its file once per
process instead of editing ``sys.path``. A script is registered under its own name (the file's
stem unless told otherwise), so that a later ``import`` of that name gets the same module.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]


def load_script(relative: str, name: str | None = None) -> ModuleType:
    """The script at ``relative`` (to the repository root) as a module, loaded once.

    Parameters
    ----------
    relative
        The script's path from the repository root, e.g. ``"bench/bokeh_session.py"``.
    name
        Its module name (default: the file's stem).

    Raises
    ------
    ImportError
        If another file is already imported under that name.
    """
    path = (REPO / relative).resolve()
    name = name or path.stem
    loaded = sys.modules.get(name)
    if loaded is not None:
        if Path(str(loaded.__file__)).resolve() != path:
            raise ImportError(f"{name!r} is already {loaded.__file__}, not {path}")
        return loaded
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # before running it: dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module
