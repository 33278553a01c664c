"""The app's "Handout" button: downloads the handout of what the page shows now.

The file is built on click by :func:`anatomy.export.handout.build_handout` for the state's
muscle, trigger point, side and mode (a self-contained HTML file; see that module).
"""

from __future__ import annotations

import io
from typing import Any

import panel as pn

from anatomy.errors import AtlasError
from anatomy.export.handout import build_handout


def handout_filename(muscle: str, trigger_point: str, side: str, mode: str) -> str:
    """``handout-<muscle>[-<trigger point>]-<side>-<mode>.html`` (ids are safe characters)."""
    parts = ["handout", muscle, *([trigger_point] if trigger_point else []), side, mode]
    return "-".join(parts) + ".html"


def handout_bytes(state: Any) -> io.BytesIO:
    """The handout of the state's current selection, as a file object.

    Raises
    ------
    AtlasError
        When no muscle is selected.
    """
    if not state.muscle:
        raise AtlasError("select a muscle first: the handout is about one muscle")
    html = build_handout(state.atlas, state.muscle, state.trigger_point or None,
                         side=state.side, mode=state.mode)
    return io.BytesIO(html.encode("utf-8"))


def handout_button(state: Any) -> pn.widgets.FileDownload:
    """A download button for the current view's handout; disabled until a muscle is chosen."""

    def build() -> io.BytesIO | None:
        try:
            return handout_bytes(state)
        except AtlasError as exc:
            state.notice = exc.message
            return None

    button = pn.widgets.FileDownload(
        callback=build, embed=False, label="Handout", color="primary",
        filename="handout.html", disabled=True, css_classes=["handout-button"],
        width=110, margin=(14, 8),
        description="Download a printable, offline handout about this muscle for this mode",
    )

    def update(*_: Any) -> None:
        button.disabled = not state.muscle
        if state.muscle:
            button.filename = handout_filename(state.muscle, state.trigger_point, state.side,
                                               state.mode)

    state.param.watch(update, ["muscle", "trigger_point", "side", "mode"])
    update()
    return button
