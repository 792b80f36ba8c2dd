"""Letters and letter files written for the ingestion tests: styles other than the seed letters, and the
file kinds a letter arrives in (.txt, .pdf with a text layer, .docx) plus the broken ones."""

import io
import textwrap

from docx import Document
from pypdf import PdfReader, PdfWriter


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


def make_pdf(text):
    """A one-page PDF whose text layer holds `text` (Helvetica, wrapped at 95 characters)."""
    lines = []
    for paragraph in text.split("\n"):
        lines.extend(textwrap.wrap(paragraph, 95) or [""])
    escaped = [line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines]
    stream = "BT /F1 9 Tf 11 TL 50 800 Td " + " ".join(f"({line}) '" for line in escaped) + " ET"
    return _pdf(stream.encode("latin-1"), with_font=True)


def make_scanned_pdf():
    """A PDF page with a drawing and no text layer, as a scanner makes."""
    return _pdf(b"0.5 g 50 50 400 600 re f", with_font=False)


def _pdf(content, *, with_font):
    resources = b"/Resources << /Font << /F1 5 0 R >> >>" if with_font else b"/Resources << >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + resources + b" /Contents 4 0 R >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def make_encrypted_pdf(text):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(text))))
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_corrupt_pdf():
    return b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nthis file was cut short"


def make_docx(text):
    document = Document()
    for paragraph in text.split("\n\n"):
        document.add_paragraph(paragraph.strip())
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))
UNDECODABLE_BYTES = b"Letter text " + b"\x81\x8d\x8f\x90\x9d" * 40
