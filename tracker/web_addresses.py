"""What counts as a web address, written once: http or https, with a host, and nothing a browser would read as
something else (no `javascript:`, `data:`, `file:` or `ftp:` address, no spaces or control characters).

Plain Python (no Django): the importers' row readers (tracker.pfd.rows) use it as they are, the forms, the
admin and the models through tracker.validators, and the pages through the `web_link` filter, which shows a
stored address as a link only when it is one.
"""

import re
from urllib.parse import urlsplit

WEB_SCHEMES = ("http", "https")
NOT_A_WEB_ADDRESS = (
    "Enter a web address starting with https:// (or http://), such as https://www.gov.uk/…: "
    "javascript:, data:, file: and other kinds of address are not accepted."
)
_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f]")


def is_web_address(value):
    """True for an http(s) address with a host name; False for anything else, including ''."""
    value = value or ""
    if _UNSAFE.search(value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unbalanced [ in the host
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)
