"""pydantic's validation errors as lines a player can act on: field, what was expected, what came."""

from pydantic import ValidationError


def _shown(value: object, width: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= width else text[:width - 3] + "..."


def problems(error: ValidationError, top: str = "(top level)") -> list[str]:
    """One ``field.path: message (got value)`` per problem; whole tables are not echoed."""
    lines = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem["loc"]) or top
        message = problem["msg"].removeprefix("Value error, ")
        got = problem.get("input")
        hidden = isinstance(got, (dict, list)) or got is None or problem["type"] == "missing"
        lines.append(f"{where}: {message}" + ("" if hidden else f" (got {_shown(got)})"))
    return lines


def one_line(error: ValidationError, limit: int = 3, top: str = "(top level)") -> str:
    """The first ``limit`` problems joined on one line, with a count of the rest."""
    found = problems(error, top)
    shown = found[:limit]
    if len(found) > limit:
        shown.append(f"and {len(found) - limit} more problem(s)")
    return "; ".join(shown)
