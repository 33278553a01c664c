"""The general sections of ``annotations.yaml``: the explanatory text about dry needling.

Each section carries text at two levels (``patient`` and ``clinician``) and its sources; some
add structured parts (mechanisms with contested flags, adverse-event figures per study,
absolute and relative contraindications). Text fields may use simple Markdown (paragraphs,
lists, emphasis). Documented in ``docs/annotations.md``.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

_Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
_Percent = Annotated[float, Field(ge=0.0, le=100.0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Section(_Strict):
    """One explanatory section, for patients and for clinicians, with sources."""

    title: _Text
    patient: _Text
    clinician: _Text
    sources: Annotated[list[_Id], Field(min_length=1)]
    contested: bool = False
    contested_note: _Text | None = None


class Mechanism(_Strict):
    """One proposed way dry needling may act, and how sure anyone is about it."""

    name: _Text
    explanation: _Text
    contested: bool
    contested_note: _Text | None = None
    sources: Annotated[list[_Id], Field(min_length=1)]


class MechanismsSection(Section):
    """``how_it_may_work``: the proposed mechanisms."""

    mechanisms: Annotated[list[Mechanism], Field(min_length=1)]


class EventRate(_Strict):
    """One kind of adverse event and how often it was reported."""

    event: _Text
    percent: _Percent


class AdverseEventStudy(_Strict):
    """The published figures of one adverse-event survey."""

    source: _Id
    sample: _Text
    treatments: Annotated[int, Field(ge=1)]
    any_minor_percent: _Percent
    common_minor: Annotated[list[EventRate], Field(min_length=1)]
    serious: _Text


class AdverseEventsSection(Section):
    """``adverse_events``: survey figures plus the serious events to know about."""

    studies: Annotated[list[AdverseEventStudy], Field(min_length=1)]
    serious_events: Annotated[list[_Text], Field(min_length=1)]


class ContraindicationsSection(Section):
    """``contraindications``: lists differ between guidelines; both kinds are given."""

    absolute: Annotated[list[_Text], Field(min_length=1)]
    relative: Annotated[list[_Text], Field(min_length=1)]


class General(_Strict):
    """The fixed set of general sections that drive the explanatory text panel."""

    what_is_dry_needling: Section
    how_it_may_work: MechanismsSection
    evidence: Section
    adverse_events: AdverseEventsSection
    contraindications: ContraindicationsSection
    dry_needling_vs_acupuncture: Section
    who_performs_it: Section
    trigger_points_explained: Section
    disclaimer: Section

    def sections(self) -> list[tuple[str, Section]]:
        """``(key, section)`` pairs in display order."""
        return [(name, getattr(self, name)) for name in type(self).model_fields]
