"""Reading rate sheets from files, with errors a person can act on.

Pydantic reports problems as location tuples; people read `carriers[1].services[0].tiers`. Every
loader turns the first problem into a `ValidationError` whose field names the file and the place in
it, and nothing half-loaded ever escapes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pydantic

from core.domain.errors import ValidationError
from core.routing.rates.sheet import RateSheet, SubPathError

Loc = tuple[str | int, ...]
SAMPLE_RESOURCE = "rates/sample_rates.json"


def format_loc(loc: Loc) -> str:
    """('carriers', 1, 'services', 0, 'tiers') -> 'carriers[1].services[0].tiers'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.isidentifier():
            out += f".{part}" if out else part
        else:
            out += f"[{part!r}]"
    return out


def first_problem(exc: pydantic.ValidationError) -> tuple[Loc, str]:
    """The location and message of the first problem, with a count of the rest."""
    errors = exc.errors(include_url=False)
    err = errors[0]
    loc: Loc = tuple(err["loc"])
    cause = (err.get("ctx") or {}).get("error")
    if isinstance(cause, SubPathError):
        loc, message = loc + cause.path, str(cause)
    elif isinstance(cause, Exception):
        message = str(cause)
    else:
        message = err["msg"]
        bad = err.get("input")
        if err["type"] != "missing" and isinstance(bad, str | int | float | Decimal):
            message += f" (got {bad!r})"
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more problem(s))"
    return loc, message


def parse_rate_sheet(
    data: object, *, source: str | None = None, where: Callable[[Loc], str] | None = None
) -> RateSheet:
    """Validate plain data (parsed JSON, a form) into a sheet.

    The error's field is `<source>, <path>`, or whatever `where` says (a CSV loader names lines).
    """
    try:
        return RateSheet.model_validate(data)
    except pydantic.ValidationError as exc:
        loc, message = first_problem(exc)
        if where is not None:
            place = where(loc)
        else:
            place = f"{source}, {format_loc(loc)}" if source else format_loc(loc)
        raise ValidationError(message, field=place) from None


def parse_rate_sheet_json(text: str, *, source: str) -> RateSheet:
    """JSON numbers become Decimal before validation so 8.05 is exactly 8.05."""
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"not valid JSON: {exc.msg} (column {exc.colno})", field=f"{source}, line {exc.lineno}"
        ) from None
    return parse_rate_sheet(data, source=source)


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ValidationError("file not found", field=str(path)) from None
    except UnicodeDecodeError as exc:
        raise ValidationError(f"not UTF-8 text (byte {exc.start})", field=str(path)) from None
    except OSError as exc:
        raise ValidationError(f"cannot read the file: {exc.strerror}", field=str(path)) from None


def load_rate_sheet(path: str | Path) -> RateSheet:
    """A sheet from `*.json` or from a CSV bundle named by its `*.csv` rates file (see csv_format)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        return parse_rate_sheet_json(read_text(path), source=str(path))
    if suffix == ".csv":
        from core.routing.rates.csv_format import read_rate_sheet_csv

        return read_rate_sheet_csv(path)
    raise ValidationError("a rate sheet is a .json file or a .csv rates file", field=str(path))


def load_sample_rate_sheet() -> RateSheet:
    """The fictional carriers shipped with the product (demo network, tests, first start)."""
    text = resources.files("resources").joinpath(SAMPLE_RESOURCE).read_text(encoding="utf-8")
    return parse_rate_sheet_json(text, source=f"resources/{SAMPLE_RESOURCE}")
