"""``cli_output``: the command line's tables (rich, ``box.SIMPLE``) as plain text when piped."""

import io
import re

from blitzgame.cli_output import plain_lines, rendered, show, table


def test_a_table_is_headers_a_rule_and_aligned_rows():
    lines = plain_lines([table(["Lab", "Cash"], [["Northstar AI", "$8.2B"], ["Helix", "$31M"]], "lr")])
    assert lines == ["Lab            Cash",
                     "───────────────────",
                     "Northstar AI  $8.2B",
                     "Helix          $31M"]


def test_indent_wrap_and_spacing():
    lines = plain_lines([table(["Id", "Text"], [["a", "one two three four"], ["b", "x"]], "ll", indent=2,
                               wrap={1: 9}, spaced=True)])
    assert lines == ["  Id  Text",
                     "  ─────────────",
                     "  a   one two",
                     "      three",
                     "      four",
                     "",
                     "  b   x"]


def test_piped_output_has_no_colour_codes_no_trailing_spaces_and_never_wraps(capsys):
    long = " ".join(["word"] * 100)
    show("before", table(["Name", "Summary", "N"], [["a", long, "1"], ["bb", "short", "22"]], "llr"), "after")
    text = capsys.readouterr().out
    assert "\x1b[" not in text
    lines = text.splitlines()
    assert lines[0] == "before" and lines[-1] == "after" and len(lines) == 6
    assert all(line == line.rstrip() for line in lines)
    assert lines[3].endswith(long + "   1")  # one line, however long


def test_cells_are_text_not_markup():
    [_, _, row] = plain_lines([table(["Bot"], [["[bold]x[/bold] :smile:"]], "l")])
    assert row == "[bold]x[/bold] :smile:"


def test_a_terminal_gets_bold_headers(monkeypatch):
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    lines = rendered(table(["Lab"], [["Helix"]], "l"), Terminal())
    assert "\x1b[1m" in lines[0] and lines[-1] == "Helix"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


WIDE = (["Lab", "GPUs online", "Cash"], [["Northstar AI", "738,887", "$34.2B"], ["Helix Labs", "1,895", "$854M"]], "lrr")


def test_a_terminal_too_narrow_folds_headers_and_names_but_never_a_figure(monkeypatch):
    monkeypatch.setenv("COLUMNS", "28")  # the natural table is 33 wide
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in rendered(table(*WIDE), _Terminal())]  # (bold headers)
    assert max(len(line) for line in lines) <= 28 and len(lines) > 4
    text = "\n".join(lines)
    assert "738,887" in text and "$34.2B" in text and "1,895" in text and "$854M" in text  # figures whole
    assert "Northstar" in text and "Labs" in text


def test_a_terminal_too_narrow_even_for_that_gets_a_block_per_row(monkeypatch):
    monkeypatch.setenv("COLUMNS", "18")
    assert rendered(table(*WIDE, indent=2), _Terminal()) == [
        "  Lab          Northstar AI",
        "  GPUs online  738,887",
        "  Cash         $34.2B",
        "",
        "  Lab          Helix Labs",
        "  GPUs online  1,895",
        "  Cash         $854M"]
