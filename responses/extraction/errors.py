"""Errors raised while turning an uploaded file into letter text, and the limits that bound the reading.

The limits keep any accepted file (up to MAX_LETTER_BYTES) readable in seconds and well under 500 MB: a
file past one of them is refused with a message that says which limit, never read half-way.
"""

MAX_LETTER_BYTES = 20 * 1024 * 1024

# A letter or a government response runs to tens of pages (the Infected Blood response: 68); beyond this a
# PDF is not a letter, and counting its pages is all the work we do.
MAX_PDF_PAGES = 1_000
# A .docx is a zip archive: what it unpacks to is bounded before anything is parsed (zip bombs, and
# documents whose XML expands a hundredfold). A 300-page report's document.xml is under 10 MB; 20 MB of
# XML reads in about 10 s and 300 MB.
MAX_DOCX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_DOCX_ENTRIES = 5_000

# Machine-readable reasons, so the admin and the commands can react without parsing messages.
EMPTY = "empty"
UNSUPPORTED_FORMAT = "unsupported_format"
UNDECODABLE = "undecodable"
NEEDS_OCR = "needs_ocr"
OCR_FAILED = "ocr_failed"
ENCRYPTED = "encrypted"
CORRUPT = "corrupt"
TOO_LARGE = "too_large"

CODES = (EMPTY, UNSUPPORTED_FORMAT, UNDECODABLE, NEEDS_OCR, OCR_FAILED, ENCRYPTED, CORRUPT, TOO_LARGE)


class LetterError(Exception):
    """A file that cannot be read as a letter; `message` is fit to show to an editor."""

    def __init__(self, message: str, code: str):
        if code not in CODES:
            raise ValueError(f"unknown LetterError code {code!r}")
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message
