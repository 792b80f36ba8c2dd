"""Make the .txt beside each real PDF in tests/real/letters, exactly as pypdfium2 reads it.

Each page's text has its CRLF line ends turned into LF and trailing line breaks dropped; pages are
joined with a line holding only a form feed ("\\n\\f\\n"), so a reader can tell where a page ended.
Nothing else is changed: no cleaning by hand (the point is to measure the extractor on text as read).

    .venv/bin/python tests/real/pdf_to_text.py tests/real/letters/NAME.pdf [...]
"""

import sys
from pathlib import Path

import pypdfium2

PAGE_BREAK = "\n\f\n"


def pdf_text(path: Path) -> str:
    document = pypdfium2.PdfDocument(str(path))
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n").rstrip("\n"))
            textpage.close()
            page.close()
    finally:
        document.close()
    return PAGE_BREAK.join(pages) + "\n"


if __name__ == "__main__":
    for name in sys.argv[1:]:
        pdf = Path(name)
        pdf.with_suffix(".txt").write_text(pdf_text(pdf), encoding="utf-8")
        print(pdf.with_suffix(".txt"))
