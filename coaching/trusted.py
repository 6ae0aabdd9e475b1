"""Pydantic models built from values that are already of their fields' types.

A weekly run builds ~250,000 small frozen models (commitments read back from the store,
digest lines and items computed from them); validating each one cost more than reading
the rows. Where every value comes from our own typed code (or a row our own validated
code wrote), `trusted` builds the model as pydantic's `model_construct` does, minus its
per-field default handling, so every field must be given. Anything from outside (a user,
a platform, an LLM, a stored JSON document) still goes through normal validation.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

_set = object.__setattr__
M = TypeVar("M", bound=BaseModel)


def trusted(model: type[M], fields: dict[str, Any]) -> M:
    """An instance of `model` holding `fields` (all of them, each already the right type)."""
    instance = model.__new__(model)
    _set(instance, "__dict__", fields)
    _set(instance, "__pydantic_fields_set__", set(fields))
    _set(instance, "__pydantic_extra__", None)
    _set(instance, "__pydantic_private__", None)
    return instance
