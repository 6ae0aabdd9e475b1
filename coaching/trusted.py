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

M = TypeVar("M", bound=BaseModel)
_new = object.__new__
_set_dict = object.__setattr__
# BaseModel's own slots, set through their descriptors: `object.__setattr__` looks each
# name up along the model's class hierarchy first, which cost as much as the rest.
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


_ALL_FIELDS: dict[type[BaseModel], set[str]] = {}
"""Each model's field names: as every field is given, every instance of a model shares one
set as its fields-set. Sharing is safe because pydantic copies it for `model_copy` and only
ever adds a field's name to it, which is already there."""


def trusted(model: type[M], fields: dict[str, Any]) -> M:
    """An instance of `model` holding `fields` (all of them, each already the right type)."""
    instance = _new(model)
    _set_dict(instance, "__dict__", fields)
    names = _ALL_FIELDS.get(model)
    if names is None:
        names = _ALL_FIELDS[model] = set(model.model_fields)
    _set_fields_set(instance, names)
    _set_extra(instance, None)
    _set_private(instance, None)
    return instance
