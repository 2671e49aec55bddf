"""pydantic's validation errors as lines a player can act on: field, what was expected, what came."""

from pydantic import ValidationError


def _shown(value: object, width: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= width else text[:width - 3] + "..."


def located(error: ValidationError) -> list[tuple[tuple[str | int, ...], str]]:
    """``(loc, message (got value))`` per problem, for callers that place the field themselves
    (a scenario file's errors name the line); whole tables are not echoed."""
    found = []
    for problem in error.errors():
        message = problem["msg"].removeprefix("Value error, ")
        got = problem.get("input")
        hidden = isinstance(got, (dict, list)) or got is None or problem["type"] == "missing"
        found.append((tuple(problem["loc"]), message + ("" if hidden else f" (got {_shown(got)})")))
    return found


def problems(error: ValidationError, top: str = "(top level)") -> list[str]:
    """One ``field.path: message (got value)`` per problem; whole tables are not echoed."""
    return [f"{'.'.join(str(part) for part in loc) or top}: {message}" for loc, message in located(error)]


def one_line(error: ValidationError, limit: int = 3, top: str = "(top level)") -> str:
    """The first ``limit`` problems joined on one line, with a count of the rest."""
    found = problems(error, top)
    shown = found[:limit]
    if len(found) > limit:
        shown.append(f"and {len(found) - limit} more problem(s)")
    return "; ".join(shown)
