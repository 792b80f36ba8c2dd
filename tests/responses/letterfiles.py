"""Build PDF and Word letter files at test time, so no binaries live in the repository.

The PDF writer is deliberately tiny: one Helvetica text object per line, real xref offsets, WinAnsi
encoding. It is enough for pdfium to read a text layer exactly as it reads a real letter; scan_of() turns its pages
into images, as a scanner would.
"""

import io


def _pdf_string(text: str) -> str:
    raw = text.encode("cp1252", errors="replace")
    out = []
    for byte in raw:
        char = chr(byte)
        if char in "()\\":
            out.append("\\" + char)
        elif 32 <= byte < 127:
            out.append(char)
        else:
            out.append(f"\\{byte:03o}")
    return "".join(out)


def make_pdf(pages: list[list[str]], *, with_text: bool = True) -> bytes:
    """A PDF with one page per list of lines; "" in a list leaves a paragraph gap."""
    objects: list[bytes] = []
    page_ids = []
    font_id = 3
    next_id = 4
    contents = []
    for lines in pages:
        ops = []
        if with_text:
            y = 800
            for line in lines:
                if line:
                    ops.append(f"BT /F1 10 Tf 56 {y} Td ({_pdf_string(line)}) Tj ET")
                    y -= 13
                else:
                    y -= 13
        else:
            ops.append("0.5 g 56 400 300 200 re f")  # a grey box standing in for a scanned image
        stream = "\n".join(ops).encode("latin-1")
        contents.append(stream)
        page_ids.append((next_id, next_id + 1))
        next_id += 2
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{page} 0 R" for page, _ in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for (_page, content), stream in zip(page_ids, contents, strict=True):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {content} 0 R "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
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


def scan_of(pdf: bytes, dpi: int = 200) -> bytes:
    """The same pages as a scanner makes them: each page one grey image, no text layer at all.

    Rendered by pdfium from a text PDF, so the words on the image are known and OCR can be checked."""
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(pdf)
    scanned = pdfium.PdfDocument.new()
    try:
        for number in range(len(source)):
            page = source[number]
            width, height = page.get_size()
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            new_page = scanned.new_page(width, height)
            image = pdfium.PdfImage.new(scanned)
            image.set_bitmap(bitmap)
            image.set_matrix(pdfium.PdfMatrix().scale(width, height))
            new_page.insert_obj(image)
            new_page.gen_content()
        out = io.BytesIO()
        scanned.save(out)
        return out.getvalue()
    finally:
        scanned.close()
        source.close()


def encrypt_pdf(data: bytes, password: str = "secret") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(data)).pages:
        writer.add_page(page)
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_docx(paragraphs: list[str], header: list[str] = ()) -> bytes:
    import docx

    document = docx.Document()
    if header:
        section_header = document.sections[0].header
        section_header.paragraphs[0].text = header[0]
        for line in header[1:]:
            section_header.add_paragraph(line)
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def wrap(text: str, width: int = 88) -> list[str]:
    """Hard-wrap prose the way a PDF lays it out, breaking long words with a hyphen now and then."""
    lines: list[str] = []
    for paragraph in text.split("\n\n"):
        block = paragraph.split("\n")
        if len(block) > 1 or len(paragraph) < 60:
            lines.extend(block)  # address and signature blocks keep their lines
            lines.append("")
            continue
        current = ""
        for word in paragraph.split():
            if len(current) + len(word) + 1 > width:
                if len(word) > 9 and width - len(current) > 6:
                    cut = width - len(current) - 2
                    lines.append(f"{current} {word[:cut]}-".strip())
                    current = word[cut:]
                    continue
                lines.append(current)
                current = word
            else:
                current = f"{current} {word}".strip()
        if current:
            lines.append(current)
        lines.append("")
    return lines
