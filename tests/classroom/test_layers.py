"""The classroom kit keeps `blitzgame` quick to start: matplotlib loads only for a report."""

from import_probe import loaded_after


def test_the_parser_and_the_class_commands_load_neither_matplotlib_nor_the_engine():
    found = loaded_after("from blitzgame.cli import build_parser; build_parser()\n"
                         "import blitzgame.classroom.cli, blitzgame.classroom.manifest")
    assert "matplotlib" not in found and "numba" not in found and "textual" not in found


def test_a_report_needs_no_textual_and_status_no_matplotlib():
    found = loaded_after("import blitzgame.classroom.report, blitzgame.classroom.autoplay, blitzgame.classroom.team")
    assert "textual" not in found and "matplotlib" not in found  # matplotlib comes with the first chart
