"""Where a key sits in a TOML file, so an error about a field can name its line.

``tomllib`` gives values without positions. ``key_lines`` scans the text of a file that
``tomllib`` has already parsed (so it is valid TOML) and records the line of every table
header and every ``key =``, under the same path pydantic reports in an error's ``loc``:
``('shocks', 2, 'quarter')`` is the ``quarter =`` line of the third ``[[shocks]]`` table,
``('hubs', 'virginia')`` the ``[hubs.virginia]`` header. ``line_of`` finds the line of a
``loc``, falling back to its nearest enclosing table when the key itself is missing.
Values spanning lines (multi-line strings and arrays) are skipped whole, so text inside
them is never taken for a key.
"""

import json
import re

Loc = tuple[str | int, ...]

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_TOML_AT = re.compile(r"at line (\d+), column (\d+)")


def _split_key(text: str) -> tuple[str, ...]:
    """'hubs."new york".mw' -> ('hubs', 'new york', 'mw')."""
    keys, k = [], 0
    while k < len(text):
        c = text[k]
        if c in " \t.":
            k += 1
        elif c == '"':
            end = k + 1
            while text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            keys.append(json.loads(text[k:end + 1]))  # TOML's basic-string escapes are JSON's, near enough
            k = end + 1
        elif c == "'":
            end = text.index("'", k + 1)
            keys.append(text[k + 1:end])
            k = end + 1
        else:
            match = _BARE.match(text, k)
            if not match:
                break
            keys.append(match.group())
            k = match.end()
    return tuple(keys)


def _key_end(line: str, opener: str) -> int:
    """Where the key of a line ends: the index of ``opener`` ('=' or ']') outside quotes."""
    quote = None
    k = 0
    while k < len(line):
        c = line[k]
        if quote:
            if c == "\\" and quote == '"':
                k += 1
            elif c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif line.startswith(opener, k):
            return k
        k += 1
    return -1


def _value_end(lines: list[str], row: int, col: int) -> int:
    """The last line of the value starting at ``lines[row][col]`` (arrays and strings may span lines)."""
    depth, state = 0, None  # state: the string being read ('"', "'", '\"\"\"', "'''") or None
    while row < len(lines):
        line, k = lines[row], col
        while k < len(line):
            if state is None:
                if line.startswith('"""', k) or line.startswith("'''", k):
                    state, k = line[k:k + 3], k + 3
                    continue
                c = line[k]
                if c in "\"'":
                    state = c
                elif c in "[{":
                    depth += 1
                elif c in "]}":
                    depth -= 1
                elif c == "#":
                    break
                k += 1
            elif len(state) == 1:
                if line[k] == "\\" and state == '"':
                    k += 2
                    continue
                if line[k] == state:
                    state = None
                k += 1
            else:
                if line[k] == "\\" and state == '"""':
                    k += 2
                    continue
                if line.startswith(state, k):
                    k += 3
                    while line.startswith(state[0], k):  # up to two quotes may close the string's text
                        k += 1
                    state = None
                    continue
                k += 1
        if state is not None and len(state) == 1:
            state = None  # a one-line string cannot run past its line
        if state is None and depth <= 0:
            return row
        row, col = row + 1, 0
    return len(lines) - 1


def key_lines(text: str) -> dict[Loc, int]:
    """The 1-based line of every table and key of a valid TOML document, by path."""
    lines = text.splitlines()
    found: dict[Loc, int] = {}
    arrays: dict[Loc, int] = {}  # array-of-tables path -> tables seen so far
    current: Loc = ()
    row = 0
    while row < len(lines):
        line = lines[row].strip()
        number = row + 1
        if not line or line.startswith("#"):
            row += 1
            continue
        if line.startswith("["):
            double = line.startswith("[[")
            body = line[2:] if double else line[1:]
            keys = _split_key(body[:_key_end(body, "]")])
            path: Loc = ()
            for key in keys[:-1] if double else keys:  # a header names tables inside the latest array element
                path += (key,)
                if path in arrays:
                    path += (arrays[path] - 1,)
            if double:
                path += (keys[-1],)
                arrays[path] = arrays.get(path, 0) + 1
                found.setdefault(path, number)
                path += (arrays[path] - 1,)
            for k in range(1, len(path) + 1):
                found.setdefault(path[:k], number)
            current = path
            row += 1
            continue
        equals = _key_end(line, "=")
        if equals < 0:  # cannot happen in valid TOML; move on rather than guess
            row += 1
            continue
        keys = _split_key(line[:equals])
        for k in range(1, len(keys) + 1):
            found.setdefault(current + keys[:k], number)
        indent = len(lines[row]) - len(lines[row].lstrip())
        row = _value_end(lines, row, indent + equals + 1) + 1
    return found


def line_of(lines: dict[Loc, int], loc: Loc) -> int | None:
    """The line of ``loc``, or of its nearest enclosing key or table in the file; None if none is."""
    for k in range(len(loc), 0, -1):
        if loc[:k] in lines:
            return lines[loc[:k]]
    return None


def toml_error_line(error: Exception) -> int | None:
    """The line a ``tomllib.TOMLDecodeError`` points at."""
    number = getattr(error, "lineno", None)
    if isinstance(number, int):
        return number
    match = _TOML_AT.search(str(error))
    return int(match.group(1)) if match else None
