"""Rasterise static/tracker/icons/favicon.svg into favicon.ico (16, 32 and 48 px) and the 180 px touch icon.

Run once after changing the SVG (`.venv/bin/python scripts/make_favicons.py`); the outputs are committed.
Uses Debian's Chromium through Playwright, as the browser tests do. An .ico may hold PNG images whole.
"""

import base64
import struct
from pathlib import Path

from playwright.sync_api import sync_playwright

ICONS = Path(__file__).resolve().parent.parent / "static" / "tracker" / "icons"
SIZES = (16, 32, 48)


def render(page, svg, size):
    page.set_viewport_size({"width": size, "height": size})
    page.set_content(
        f'<html><body style="margin:0"><img src="data:image/svg+xml;base64,{svg}" width="{size}" height="{size}"'
        ' style="display:block"></body></html>'
    )
    return page.screenshot(omit_background=True)


def ico(images):
    """An ICO file holding each (size, png bytes) as a PNG entry."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, data = b"", b""
    for size, png in images:
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), offset + len(data))
        data += png
    return header + entries + data


def main():
    svg = base64.b64encode((ICONS / "favicon.svg").read_bytes()).decode()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        (ICONS / "favicon.ico").write_bytes(ico([(size, render(page, svg, size)) for size in SIZES]))
        (ICONS / "apple-touch-icon.png").write_bytes(render(page, svg, 180))
        browser.close()


if __name__ == "__main__":
    main()
