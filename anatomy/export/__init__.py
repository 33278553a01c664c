"""Exports that run without Python: the patient handout and the static atlas site.

- :mod:`anatomy.export.packing`: compact geometry (quantised, compressed) for web pages;
- :mod:`anatomy.export.scenes`: which meshes, markers and zones a page shows;
- :mod:`anatomy.export.assets`: vtk.js, the page viewer script, styles, safe inlining;
- :mod:`anatomy.export.handout`: one self-contained HTML file per muscle / trigger point;
- :mod:`anatomy.export.site`: ``index.html`` plus one page per muscle, for any web server.

No Panel import: the text comes from :mod:`anatomy.text.selection` and :mod:`anatomy.text.explainer`
(plain functions), the packing from :mod:`anatomy.scene.web`.
"""
