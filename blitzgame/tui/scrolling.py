"""Scrolling by the page from a key, for screens whose scroller need not have the focus."""

from textual.widget import Widget


def scroll_pages(scroller: Widget, pages: int, animate: bool = True) -> None:
    """Scroll ``scroller`` a page down (``pages`` > 0) or up."""
    (scroller.scroll_page_down if pages > 0 else scroller.scroll_page_up)(animate=animate)
