"""Myoatlas: a 3D atlas of myofascial trigger points and referred pain.

The subpackages are layers; imports point down only (``docs/architecture.md``):

- ``anatomy.commands`` and ``anatomy.cli``: the ``myoatlas`` command
- ``anatomy.ui``: the Panel app (the only layer that imports Panel)
- ``anatomy.export`` and ``anatomy.session``: the handout and static site; a session's state
- ``anatomy.text``: the words each mode shows
- ``anatomy.scene``, ``anatomy.atlas``, ``anatomy.meshbuild``: what is drawn; the checked atlas;
  the mesh build (needs the ``[build]`` extra)
- ``anatomy.geometry`` and ``anatomy.content``: meshes and surface queries; the validated content
- ``anatomy.errors``, ``anatomy.frame``, ``anatomy.paths``: the error type, the frame and names
"""

__version__ = "0.1.0"
