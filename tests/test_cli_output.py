"""``cli_output``: the command line's tables (rich, ``box.SIMPLE``) as plain text when piped."""

import io

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
