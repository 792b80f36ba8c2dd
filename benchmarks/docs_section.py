"""Each benchmark owns one "## Title" section of docs/benchmarks.md and rewrites only that section."""

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def replace_section(section, path=DOCS):
    """Put `section` (text starting with its "## Title" line) in place of the section of that title, or
    append it; the other sections are left as they are."""
    title = section.splitlines()[0]
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    section = section.rstrip("\n") + "\n\n"
    pattern = re.compile(rf"^{re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text.rstrip("\n") + "\n")
