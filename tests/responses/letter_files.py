"""Letters and letter files written for the ingestion tests: styles other than the seed letters, and the
file kinds a letter arrives in (.txt, .pdf with a text layer, .docx) plus the broken ones."""

import textwrap

from tests.responses import letterfiles


def pfd_reply(
    *,
    deceased="Samuel Price",
    letter_date="14 March 2025",
    report_date="10 January 2025",
    department="Ministry of Justice",
    signatory="Lord Timpson",
    role="Minister of State for Prisons, Parole and Probation",
):
    """A ministry's reply to a coroner's PFD report: concerns as headings, a dated, a vague and an undated
    promise under them."""
    return f"""{department}
102 Petty France
London SW1H 9AJ

Mr Daniel Okafor
HM Area Coroner for North Testshire

{letter_date}

Dear Mr Okafor,

Thank you for your Regulation 28 report to prevent future deaths dated {report_date} following the inquest into the death of {deceased}. I am grateful for the opportunity to respond.

Matter of concern 1

Prison staff did not receive the healthcare records when the prisoner was transferred.

We will issue revised guidance on the transfer of healthcare records to all prisons by June 2025.

Matter of concern 2

Night staff were not trained in the use of the emergency code system.

We will deliver refresher training on emergency codes to all night staff before the end of 2025. We will also review the training materials shortly.

Yours sincerely,

{signatory}
{role}
"""


def undated_reply():
    """The same kind of letter with no date anywhere a reader could take for the letter's, and a time
    phrase that only the letter's date can resolve ("later this year")."""
    text = pfd_reply(letter_date="").replace("dated 10 January 2025 ", "")
    return text.replace("before the end of 2025", "later this year")


LINES_PER_PAGE = 55


def make_pdf(text):
    """A PDF whose text layer holds `text`, wrapped at 95 characters, over as many pages as it takes."""
    lines = []
    for paragraph in text.split("\n"):
        lines.extend(textwrap.wrap(paragraph, 95) or [""])
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)] or [[""]]
    return letterfiles.make_pdf(pages)


def make_drawing_pdf():
    """A PDF page with a drawing and no text at all: OCR finds nothing on it."""
    return letterfiles.make_pdf([[""]], with_text=False)


def make_scanned_pdf(text):
    """`text` as a scanned letter: page images with no text layer, read only by OCR."""
    return letterfiles.scan_of(make_pdf(text))


def make_encrypted_pdf(text):
    return letterfiles.encrypt_pdf(make_pdf(text))


def make_corrupt_pdf():
    return b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nthis file was cut short"


def make_docx(text):
    return letterfiles.make_docx([paragraph.strip() for paragraph in text.split("\n\n")])


PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))
UNDECODABLE_BYTES = b"Letter text " + b"\x81\x8d\x8f\x90\x9d" * 40
