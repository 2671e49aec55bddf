"""pydantic's validation errors as lines a player can act on: field, what was expected, what came."""

import difflib
from typing import get_args

from pydantic import BaseModel, ValidationError


def _shown(value: object, width: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= width else text[:width - 3] + "..."


def field_names(model: type[BaseModel]) -> set[str]:
    """Every field name of ``model`` and of the models nested in it (in lists and tables too)."""
    names: set[str] = set()
    seen: set[type] = set()

    def walk(annotation) -> None:
        for arg in get_args(annotation):
            walk(arg)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel) and annotation not in seen:
            seen.add(annotation)
            for name, info in annotation.model_fields.items():
                names.add(info.alias or name)
                walk(info.annotation)

    walk(model)
    return names


def did_you_mean(word: str, choices) -> str:
    """`` (did you mean 'nordics'?)`` for a word a letter's case or a typo away from one of ``choices``
    (a hub id, a field), else ``""``."""
    choices = list(choices)
    close = [c for c in choices if c.lower() == str(word).lower()] or difflib.get_close_matches(str(word), choices, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def located(error: ValidationError, known: set[str] = frozenset()) -> list[tuple[tuple[str | int, ...], str]]:
    """``(loc, message (got value))`` per problem, for callers that place the field themselves
    (a scenario file's errors name the line); whole tables are not echoed. A field that is not
    one is named as such, with the closest of the ``known`` names if one is close."""
    found = []
    for problem in error.errors():
        message = problem["msg"].removeprefix("Value error, ")
        if problem["type"] == "extra_forbidden" and problem["loc"]:
            key = str(problem["loc"][-1])  # (the caller names the field: the message says what is wrong with it)
            close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.7)
            message = "not a field here" + (f": did you mean {close[0]!r}?" if close else "")
        if problem["type"] == "frozen_instance":  # ``orders.hire = 5.0``
            message += "; make a changed copy instead: model_copy(update={...})"
        got = problem.get("input")
        hidden = isinstance(got, (dict, list)) or got is None or problem["type"] == "missing"
        found.append((tuple(problem["loc"]), message + ("" if hidden else f" (got {_shown(got)})")))
    return found


def problems(error: ValidationError, top: str = "(top level)", known: set[str] = frozenset()) -> list[str]:
    """One ``field.path: message (got value)`` per problem; whole tables are not echoed (``known``
    as ``located`` takes it)."""
    return [f"{'.'.join(str(part) for part in loc) or top}: {message}" for loc, message in located(error, known)]


def one_line(error: ValidationError, limit: int = 3, top: str = "(top level)", known: set[str] = frozenset()) -> str:
    """The first ``limit`` problems joined on one line, with a count of the rest."""
    found = problems(error, top, known)
    shown = found[:limit]
    if len(found) > limit:
        shown.append(f"and {len(found) - limit} more problem(s)")
    return "; ".join(shown)
