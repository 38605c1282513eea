"""The base of every response model: tolerant of fields and enum values it does not know."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import pydantic
from pydantic import ConfigDict, PrivateAttr

__all__ = ["BaseModel", "InstalloObject", "OpenEnum"]


class BaseModel(pydantic.BaseModel):
    """A response model; unknown fields are kept (``model_extra``), never an error."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, protected_namespaces=())

    # The `Request-Id` of the response this object came from (like openai-python's `_request_id`).
    _request_id: str | None = PrivateAttr(default=None)

    def to_dict(self) -> dict[str, Any]:
        """Answer the object as JSON-compatible data, the way the API sent it."""
        return self.model_dump(mode="json", exclude_unset=False)


class OpenEnum(StrEnum):
    """A string enum that accepts values it does not know, so a newer server never breaks us.

    An unknown value becomes a member-like instance that compares equal to its string.
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value.upper()
        member._value_ = value
        return member


class InstalloObject(BaseModel):
    """Fields every API object carries."""

    id: str
    object: str
    created: datetime | None = None
    livemode: bool = False
