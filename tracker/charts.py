"""Small bar charts drawn on the server as SVG: no JavaScript, no third-party library.

Each chart is an image with a title and description for screen readers; the page puts a table with the
same figures beside it, so the chart is never the only way to read them.
"""

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

BAR_COLOUR = "#1d70b8"  # GOV.UK blue; contrast against white > 4.5:1
TEXT_COLOUR = "#0b0c0c"
GRID_COLOUR = "#b1b4b6"


def horizontal_bars(rows, *, title, description, label_width=180, width=640, bar_height=24, gap=8):
    """rows: [(label, value)]. One bar per row, value written at the end of the bar."""
    if not rows:
        return ""
    top = max(value for _, value in rows) or 1
    plot_width = width - label_width - 60
    height = len(rows) * (bar_height + gap) + gap
    parts = [_open_svg(width, height, title, description)]
    for index, (label, value) in enumerate(rows):
        y = gap + index * (bar_height + gap)
        length = round(plot_width * value / top) if value else 0
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle" fill="{}">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
                '<text x="{}" y="{}" dominant-baseline="middle" fill="{}">{}</text>',
                label_width - 8,
                y + bar_height / 2,
                TEXT_COLOUR,
                _short(label, 24),
                label_width,
                y,
                length,
                bar_height,
                BAR_COLOUR,
                label_width + length + 6,
                y + bar_height / 2,
                TEXT_COLOUR,
                value,
            )
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def vertical_bars(rows, *, title, description, width=640, height=260, highlight=None):
    """rows: [(label, value)], e.g. one per month; labels are shown every few bars to stay legible."""
    if not rows:
        return ""
    top = max(value for _, value in rows) or 1
    left, bottom, right, top_margin = 36, 48, 8, 16
    plot_height = height - bottom - top_margin
    slot = (width - left - right) / len(rows)
    bar_width = max(2, slot * 0.7)
    label_every = max(1, round(len(rows) / 8))
    parts = [_open_svg(width, height, title, description)]
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"></line>'
            '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>'
            '<text x="{}" y="{}" text-anchor="end" fill="{}">0</text>',
            left,
            top_margin + plot_height,
            width - right,
            top_margin + plot_height,
            GRID_COLOUR,
            left - 4,
            top_margin + 10,
            TEXT_COLOUR,
            top,
            left - 4,
            top_margin + plot_height,
            TEXT_COLOUR,
        )
    )
    for index, (label, value) in enumerate(rows):
        bar_height = round(plot_height * value / top) if value else 0
        x = left + index * slot + (slot - bar_width) / 2
        fill = "#d4351c" if highlight and highlight(label) else BAR_COLOUR
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>',
                f"{x:.1f}",
                top_margin + plot_height - bar_height,
                f"{bar_width:.1f}",
                bar_height,
                fill,
                label,
                value,
            )
        )
        if index % label_every == 0:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" fill="{}" font-size="12">{}</text>',
                    f"{x + bar_width / 2:.1f}",
                    height - bottom + 18,
                    TEXT_COLOUR,
                    label,
                )
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _open_svg(width, height, title, description):
    return (
        f'<svg class="tracker-chart" role="img" aria-labelledby="{_id(title)}-t {_id(title)}-d" '
        f'viewBox="0 0 {width} {height}" width="100%" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="arial, sans-serif" font-size="14">'
        f'<title id="{_id(title)}-t">{escape(title)}</title><desc id="{_id(title)}-d">{escape(description)}</desc>'
    )


def _id(text):
    return "chart-" + "".join(c if c.isalnum() else "-" for c in text.lower())[:40]


def _short(text, limit):
    return text if len(text) <= limit else text[: limit - 1] + "…"
