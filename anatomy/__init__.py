"""Myoatlas: a 3D atlas of myofascial trigger points and referred pain.

Layers (imports point one way):

- ``anatomy.model`` / ``anatomy.content.schema``: the validated domain (no geometry, no UI)
- ``anatomy.geometry``: meshes in and out, landmarks, surface queries, lookup
- ``anatomy.scene.render``: builds the 3D scene description
- ``anatomy.ui``: the thin Panel layer
- ``anatomy.meshbuild``: regenerates ``meshes/`` (needs the ``[build]`` extra)
"""

__version__ = "0.1.0"
