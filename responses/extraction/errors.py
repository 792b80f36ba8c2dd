"""Errors raised while turning an uploaded file into letter text."""

MAX_LETTER_BYTES = 20 * 1024 * 1024

# Machine-readable reasons, so the admin and the commands can react without parsing messages.
EMPTY = "empty"
UNSUPPORTED_FORMAT = "unsupported_format"
UNDECODABLE = "undecodable"
NEEDS_OCR = "needs_ocr"
ENCRYPTED = "encrypted"
CORRUPT = "corrupt"
TOO_LARGE = "too_large"

CODES = (EMPTY, UNSUPPORTED_FORMAT, UNDECODABLE, NEEDS_OCR, ENCRYPTED, CORRUPT, TOO_LARGE)


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
