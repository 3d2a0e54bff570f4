"""`Text`: the type of every string the API reads (bodies, query and path parameters).

The databases refuse some strings Python and JSON accept: PostgreSQL cannot store a NUL
character, and neither database can encode a lone UTF-16 surrogate (`"\\ud800"` is valid
JSON). Refusing them here answers 422 naming the field, instead of a database error deep
inside an action.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator


def _storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text (no lone surrogates)") from None
    return value


Text = Annotated[str, AfterValidator(_storable)]
