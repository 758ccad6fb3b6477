"""Integer types for request parameters and fields that reach the database, with the bounds stated in the
spec: a value no column can hold is the client's mistake (422), not an OverflowError (500)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

# A BIGINT on PostgreSQL, and the largest integer SQLite binds. Narrow it further with Query/Path/Field.
Int64 = Annotated[int, Field(ge=INT64_MIN, le=INT64_MAX)]
