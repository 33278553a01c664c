"""Panel widgets (and a card) whose clicks are handled at once.

Panel waits 50 ms after a property change from the browser before handling it, so that a
burst of changes (a slider dragged, a word typed) is handled once. A click on a toggle, a
radio button, a checkbox or a list entry is one change: the wait only delays the answer (a
mode switch or "Where does it hurt?" took ~70 ms to answer for ~17 ms of server work). These
classes name their clicked property in Panel's ``_priority_changes``, which Panel handles on
the next turn of the event loop instead. Sliders and typed text keep Panel's wait.
"""

from __future__ import annotations

from typing import ClassVar

import panel as pn


class Toggle(pn.widgets.Toggle):
    _priority_changes: ClassVar[list[str]] = ["active"]


class RadioButtonGroup(pn.widgets.RadioButtonGroup):
    _priority_changes: ClassVar[list[str]] = ["active"]


class Checkbox(pn.widgets.Checkbox):
    _priority_changes: ClassVar[list[str]] = ["active"]


class Select(pn.widgets.Select):
    _priority_changes: ClassVar[list[str]] = ["value"]


class Card(pn.Card):
    """Opening or closing the card (a click on its header) is immediate."""

    _priority_changes: ClassVar[list[str]] = ["collapsed"]


class AutocompleteInput(pn.widgets.AutocompleteInput):
    """Choosing a suggestion (``value``) is immediate; typing (``value_input``) still waits."""

    _priority_changes: ClassVar[list[str]] = ["value"]
