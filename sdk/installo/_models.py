"""The base of every response model: tolerant of fields and enum values it does not know."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import pydantic
from pydantic import ConfigDict

__all__ = ["BaseModel", "InstalloObject", "OpenEnum"]


class BaseModel(pydantic.BaseModel):
    """A response model; unknown fields are kept (``model_extra``), never an error."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, protected_namespaces=())

    @property
    def _request_id(self) -> str | None:
        """The `Request-Id` of the response this object came from (like openai-python's
        `_request_id`); None for an object nested in another or built by hand."""
        private = self.__pydantic_private__
        return None if private is None else private.get("_request_id")

    @_request_id.setter
    def _request_id(self, value: str | None) -> None:
        # Kept with pydantic's private attributes, but set only on the objects a response
        # answers: declared as a private attribute, it made pydantic initialise one on every
        # object a response nests (~100 in a checkout with its offers), most of the parse.
        if self.__pydantic_private__ is None:
            object.__setattr__(self, "__pydantic_private__", {"_request_id": value})
        else:
            self.__pydantic_private__["_request_id"] = value

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
