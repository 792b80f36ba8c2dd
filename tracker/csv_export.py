"""CSV exports that a spreadsheet opens as data, never as formulas. Every CSV the service writes goes through
`csv_cell` (one cell) or `csv_response` (a whole streamed file).

OWASP's rule for CSV injection: a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read
by Excel, LibreOffice and Google Sheets as a formula (`=HYPERLINK(...)`, `+cmd|' /C calc'!A0`, `@SUM(...)`), so
such a cell is written with a leading apostrophe, which spreadsheets take as "this is text" (and which shows).
Quotes, commas and line breaks inside a cell are quoted by the csv module, so no value can start a new cell.

Numbers are numbers: an int, float or Decimal that our code puts in a row is written as it is, so a negative
number such as days "-3" still reads as -3 (a number cannot carry a formula). Text that merely looks like a
negative number ("-3" typed into a free-text field) is text and gets the apostrophe: we never guess.
Dates are written in ISO form (2025-04-20), None as an empty cell.
"""

import csv
import datetime
import decimal

from django.http import StreamingHttpResponse

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """The value as a CSV cell: text that a spreadsheet would evaluate is neutralised; numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | decimal.Decimal):
        return value
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


class _Echo:
    """A file-like object whose write() returns the line, so csv.writer can feed a streamed response."""

    def write(self, value):
        return value


def csv_lines(header, rows):
    """The header and each row (an iterable of values) as CSV lines, every cell through csv_cell."""
    writer = csv.writer(_Echo())
    yield writer.writerow([csv_cell(name) for name in header])
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def csv_response(filename, header, rows):
    """A streamed CSV download: rows are read lazily, so an export of every row holds no memory for them."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
