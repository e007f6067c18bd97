"""What every wire model shares: the protocol version, limits, and the strict base class."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

PROTOCOL_VERSION = 1
MAX_EVENTS_PER_PUSH = 500
MAX_PULL_LIMIT = 1000

Code = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
Qty = Annotated[int, Field(strict=True, gt=0, le=1_000_000)]


class Wire(BaseModel):
    """Base of every wire model: unknown fields are an error, values are immutable once parsed."""

    model_config = ConfigDict(extra="forbid", frozen=True)
