"""Turn pydantic validation errors into short messages a content editor can act on."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from anatomy.content import general as schema_general
from anatomy.content import schema
from anatomy.errors import did_you_mean

# Numeric ranges, said as one range rather than pydantic's one-sided messages.
_BOUNDS: dict[str, tuple[float, float]] = {
    "along": (0, 1),
    "radius_mm": (10, 200),
    "year": (1900, 2100),
    "percent": (0, 100),
    "any_minor_percent": (0, 100),
}
_RANGE_ERRORS = {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}


def _field_names() -> list[str]:
    names: set[str] = set()
    for module in (schema, schema_general):
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, BaseModel) and obj is not BaseModel:
                names.update(obj.model_fields)
    return sorted(names)


_FIELDS = _field_names()


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def describe_error(err: Any) -> tuple[tuple[str | int, ...], str]:
    """``(location, message)`` for one entry of ``ValidationError.errors()``.

    The location drops pydantic's internal parts (``[key]``, union tags) so it is a key
    path into the YAML.
    """
    loc = tuple(part for part in err["loc"] if part != "[key]")
    kind, value = err["type"], err.get("input")
    field = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if kind == "missing":
        return loc, "required key is missing"
    if kind == "extra_forbidden":
        return loc, f"unknown key{did_you_mean(str(loc[-1]), _FIELDS)} (see docs/annotations.md)"
    if kind in _RANGE_ERRORS and field in _BOUNDS:
        lo, hi = _BOUNDS[field]
        return loc, f"must be between {lo:g} and {hi:g} (got {_shown(value)})"
    if kind == "value_error":
        return loc, str(err["msg"]).removeprefix("Value error, ")
    if kind == "string_pattern_mismatch":
        return loc, (f"{_shown(value)} is not a valid id: use lower-case snake_case "
                     "(letters, digits, underscores)")
    if kind == "string_too_short":
        return loc, "must not be empty"
    if kind == "too_short":
        return loc, "must not be an empty list"
    if kind == "literal_error":
        return loc, f"{_shown(value)} is not allowed: {err['msg'].removeprefix('Input ')}"
    return loc, f"{err['msg'].removeprefix('Input ')} (got {_shown(value)})"
