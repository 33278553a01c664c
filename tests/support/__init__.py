"""Helpers shared by the test directories, imported as ``support`` (``from support import ...``).

``tests/conftest.py`` puts ``tests/`` on the import path (pytest's default ``prepend`` import
mode does this for a root ``conftest.py`` outside any package), as it does for
``synthetic_atlas``. Scripts that live outside any package (``bench/``, ``tools/``,
``deploy/``) are loaded from their files by :func:`support.scripts.load_script`.
"""
