"""Headless Chromium for the report test: load a page, find its charts, and look at their pixels.

Chromium comes from tests/browser_tools.py (skipped on a workstation without it, a failure
under CI).
"""

import base64
import io
import json
from pathlib import Path

import numpy as np
from browser_tools import chromium_page, log_of, wait_until

# the page's charts: their boxes in page coordinates, once the page has loaded
CHART_BOXES = """
JSON.stringify(document.readyState !== "complete" ? null : Array.from(document.querySelectorAll("figure.chart svg"),
  (svg) => { const r = svg.getBoundingClientRect();
             return {x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height}; }))
"""


def ink(png: bytes) -> tuple[float, int]:
    """(share of pixels that are not white, distinct strong colours with at least 30 pixels each)."""
    from matplotlib.image import imread

    pixels = imread(io.BytesIO(png), format="png")[..., :3]
    inked = float(np.mean(pixels.min(axis=2) < 0.9))
    strong = pixels[(pixels.max(axis=2) - pixels.min(axis=2)) > 0.25]  # coloured, not grey or black
    if not len(strong):
        return inked, 0
    _, counts = np.unique(np.round(strong * 7).astype(int), axis=0, return_counts=True)
    return inked, int(np.sum(counts >= 30))


async def chart_pixels(page: Path, tmp_path: Path) -> list[tuple[dict, float, int]]:
    """Load ``page`` in headless Chromium; for each chart: its box, share of inked pixels and colours."""
    async with chromium_page(tmp_path) as tools:
        await tools.call("Page.navigate", url=page.resolve().as_uri())

        async def boxes():
            text = await tools.evaluate(CHART_BOXES)
            return json.loads(text) if text else None

        found = await wait_until(boxes, "the report page", 30, tools.browser, log_of(tools.log))
        stats = []
        for k, box in enumerate(found):
            shot = await tools.call("Page.captureScreenshot", format="png", clip={**box, "scale": 1},
                                    captureBeyondViewport=True)
            png = base64.b64decode(shot["data"])
            (tmp_path / f"chart-{k}.png").write_bytes(png)
            stats.append((box, *ink(png)))
        return stats
