"""What the command line prints: lines of text, and tables drawn by rich.

A table is a ``rich.table.Table`` in ``box.SIMPLE`` (headers over a rule, no frame, columns
two spaces apart), printed through a ``rich.console.Console`` on stdout: bold headers at a
terminal, plain text with no colour codes when piped or redirected. Only the columns of
long text a table names wrap at their width; on a terminal too narrow for a table, figures
keep their cells whole under folded headers and names fold between their words, and on one
too narrow even for that, each row is printed as a block of "header  value" lines. Piped
output has no width limit, so nothing is ever wrapped or cut there, and no line ends in
spaces. rich loads only when a table is drawn, so building the parser stays quick.
"""

import sys
from collections.abc import Sequence
from typing import Any

PIPED_WIDTH = 1000  # not a terminal: wide enough that a table keeps its natural width


def out(text: str = "") -> None:
    """One line of text on stdout."""
    print(text)


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], align: str, indent: int = 0, *,
          wrap: dict[int, int | None] | None = None, spaced: bool = False) -> Any:
    """Rows of cells (text, or ``rich.text.Text``) as a rich table.

    ``align`` has one 'l' or 'r' per column; ``indent`` spaces go before the table. No column
    wraps but those in ``wrap`` (column index: the most characters a line of it may take,
    or None for as many as fit); ``spaced`` puts a blank line between rows.
    """
    from rich import box
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    wrap = wrap or {}
    class Fitted(Table):
        """A table that knows, for a terminal too narrow for it (``rendered``), each column's widest
        figure, longest word and header's longest word: it folds headers and names between words
        and never cuts a figure or a word."""

        fit: list[tuple[int, int, int]]  # per column: (widest cell, longest word, header's longest word)
        records: tuple[list[str], list[list[str]]]  # the headers and the rows' cells as text, for a block per row

    cells = [[cell if isinstance(cell, Text) else Text(str(cell)) for cell in row] for row in rows]
    grid = Fitted(box=box.SIMPLE, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0))
    for header, side, k in zip(headers, align, range(len(headers)), strict=True):
        grid.add_column(Text(header), justify="right" if side == "r" else "left", overflow="fold", max_width=wrap.get(k))
    grid.fit = [(max((c[k].cell_len for c in cells), default=0),
                 max((len(w) for c in cells for w in c[k].plain.split()), default=0),
                 max((len(w) for w in header.split()), default=0)) for k, header in enumerate(headers)]
    grid.records = (list(headers), [[" ".join(cell.plain.split()) for cell in row] for row in cells])
    for row in cells:
        grid.add_row(*row, end_section=spaced)
    return Padding(grid, (0, 0, 0, indent), expand=False) if indent else grid


def console(file=None) -> Any:
    """A rich console on ``file`` (default stdout): colour only at a terminal, no width limit
    when piped, no markup or highlighting of the text it is given."""
    from rich.console import Console

    stream = sys.stdout if file is None else file
    try:
        terminal = stream.isatty()
    except (AttributeError, ValueError):
        terminal = False
    return Console(file=file, width=None if terminal else PIPED_WIDTH, highlight=False, markup=False,
                   emoji=False, soft_wrap=False)


def show(*items: Any) -> None:
    """Print lines (``str``) and tables, in order, on stdout."""
    for item in items:
        if isinstance(item, str):
            out(item)
        else:
            print("\n".join(rendered(item)))


def _fit(item: Any, screen) -> bool:
    """Narrow a ``table`` that is wider than the terminal the least that keeps it whole: figures
    at their own width under a folded header, names folded between their words. False if even
    that is wider than the terminal."""
    from rich.measure import Measurement

    grid = getattr(item, "renderable", item)  # (inside ``Padding`` when indented)
    fit = getattr(grid, "fit", None)
    if fit is None or Measurement.get(screen, screen.options.update_width(PIPED_WIDTH), item).maximum <= screen.width:
        return True
    least = getattr(item, "left", 0) + 2 * (len(fit) - 1)  # the indent, then a space and the padding between columns
    for column, (widest, word, header_word) in zip(grid.columns, fit):
        if column.justify == "right":
            column.max_width = max(widest, header_word)
        else:
            column.min_width = max(word, header_word)
        least += max(widest if column.justify == "right" else word, header_word)
    return least <= screen.width


def _blocks(item: Any) -> list[str]:
    """A table as a block of lines per row, each cell under its header's name ("Cash  $8.2B"),
    a blank line between rows: for a terminal too narrow for its columns side by side."""
    grid = getattr(item, "renderable", item)
    headers, rows = grid.records
    pad = " " * getattr(item, "left", 0)
    width = max(len(header) for header in headers)
    lines: list[str] = []
    for row in rows:
        if lines:
            lines.append("")
        lines += [f"{pad}{header:<{width}}  {cell}".rstrip() for header, cell in zip(headers, row)]
    return lines


def rendered(item: Any, file=None) -> list[str]:
    """A table (any rich renderable) as the lines ``show`` prints for it, trailing spaces cut."""
    screen = console(file)
    if not _fit(item, screen):
        return _blocks(item)
    with screen.capture() as captured:
        screen.print(item)
    return [line.rstrip() for line in captured.get().splitlines()]


def plain_lines(items: Sequence[Any]) -> list[str]:
    """Lines and tables as the plain text a pipe receives (for tests and for text files)."""
    import io

    lines: list[str] = []
    for item in items:
        lines += [item] if isinstance(item, str) else rendered(item, io.StringIO())
    return lines


__all__ = ["PIPED_WIDTH", "console", "out", "plain_lines", "rendered", "show", "table"]
