"""The report's HTML pages: its Markdown rendered and made self-contained.

Charts are inline SVG, the style sheet (``report.css``, next to this module) is in the
page, no script, font or image is fetched. The Markdown is rendered by markdown-it with
raw HTML off, so names are escaped.
"""

import functools
import re
from html import escape
from importlib.resources import files

_IMG = re.compile(r'<p><img src="([^"]+\.svg)" alt="([^"]*)" ?/?></p>')


@functools.cache
def page_style() -> str:
    """The pages' style sheet (``report.css``)."""
    return files(__package__).joinpath("report.css").read_text(encoding="utf-8")


def html_page(title: str, markdown: str, svgs: dict[str, str], nav: str) -> str:
    """A self-contained page: the Markdown rendered (raw HTML off), its SVG images inlined."""
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)

    def inline(match: re.Match) -> str:
        svg = svgs.get(match.group(1))
        if svg is None:
            return match.group(0)
        return f'<figure class="chart" role="img" aria-label="{match.group(2)}">{svg}</figure>'

    body = _IMG.sub(inline, body)
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{escape(title)}</title>\n<style>\n{page_style()}</style>\n</head>\n<body>\n<nav>{nav}</nav>\n"
            f"<main>\n{body}</main>\n<footer>Made by <code>blitzgame class report</code>.</footer>\n</body>\n</html>\n")


__all__ = ["html_page", "page_style"]
