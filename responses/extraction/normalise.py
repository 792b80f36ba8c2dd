"""Undo what PDF and Word export do to a letter's text, so sentences read as written.

Input may contain form feeds between pages (the PDF reader puts them there). Output uses one
"\n" between lines of a block (address, signature) and a blank line between paragraphs.
"""

import re
from bisect import bisect_left
from collections import Counter

_CHAR_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2012": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u202f": " ",
        "\t": " ",
        "\u200b": "",
        "\u200c": "",
        "\u200d": "",
        "\u00ad": "",
        "\ufeff": "",
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\u2028": "\n",
        "\u2029": "\n\n",
    }
)

_BULLET = re.compile(
    r"^[ ]*(?:[\u2022\u25cf\u25aa\u25a0\u25e6\u2023\u2219\u00b7\u27a2\u25ba\u2713\uf0b7\uf0a7\uf076\uf0d8]\s*|[*-]\s+)"
)
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-\u2013 ]*\d{1,3}[-\u2013 ]*(?:(?:of|/)\s*\d{1,3})?$|^page\s+\d{1,3}\b.*$", re.IGNORECASE
)
# Page numbers that can only be page numbers, wherever they stand (text files have no page breaks to go by).
_PAGE_MARK_LINE = re.compile(
    r"^\s*(?:-\s*\d{1,3}\s*-|page\s+\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?|\d{1,3}\s+of\s+\d{1,3})\s*$",
    re.IGNORECASE,
)
# A government protective marking on a line of its own ("OFFICIAL", "OFFICIAL-SENSITIVE", "DfT - OFFICIAL"):
# a running header or footer wherever it stands, never letter text. Upper case only.
_PROTECTIVE_MARKING = re.compile(
    r"^\s*(?:[\w&'(). ]{1,60}\s[-\u2013|]\s)?(?:OFFICIAL(?:[- ]SENSITIVE)?|UNCLASSIFIED|NOT\s+PROTECTIVELY\s+MARKED)"
    r"(?:\s[-\u2013|]\s[\w&'(). ]{1,60})?\s*$"
)
_TERMINAL = re.compile(r"[.!?:;\"')\]*]$")
_FUNCTION_WORDS = frozenset(
    "a an and & the of for to in on at by with from into that which as or nor but our their its his her "
    "this these those new".split()
)
# Prefixes that keep their hyphen when a word is broken across lines ("multi-\nagency").
_HYPHEN_PREFIXES = frozenset(
    "multi cross co non self well long short high low under over anti pre post inter sub ex part full "
    "semi mid pan re de one two three four five year day month week world front place evidence".split()
)
_LINE_HYPHEN = re.compile(r"\b(\w+)-\n[ ]*([a-zA-Z]\w*)")


_SPECIAL_CHARACTERS = re.compile("[" + "".join(re.escape(chr(code)) for code in _CHAR_MAP) + "]")


def _clean_characters(text: str) -> str:
    # A regex over the rare special characters is much faster than str.translate over every character.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPECIAL_CHARACTERS.sub(lambda match: _CHAR_MAP[ord(match.group(0))], text)
    text = re.sub(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", "", text)
    return text


def _edge_key(line: str) -> str:
    key = re.sub(r"\s+", " ", line.strip().lower())
    # Short running lines carry page numbers and dates that change; a long line must repeat exactly.
    return re.sub(r"\d+", "#", key) if len(key.split()) <= 8 else key


def _strip_running_lines(pages: list[str]) -> list[str]:
    """Drop page numbers and headers/footers repeated at the top or bottom of most pages."""
    edge = 3
    page_lines = [page.split("\n") for page in pages]
    counts: Counter = Counter()
    for lines in page_lines:
        filled = [i for i, line in enumerate(lines) if line.strip()]
        keys = {_edge_key(lines[i]) for i in filled[:edge] + filled[-edge:]}
        counts.update(keys)
    threshold = max(2, (len(pages) + 1) // 2)
    repeated = {key for key, n in counts.items() if n >= threshold and key}
    # A chapter's running title heads each of its pages ("Chapter 2: Action taken since 2017", "Executive
    # summary"): too few pages for the rule above, but the same heading-like line at the top of three or more
    # pages. Its first copy is the chapter's heading and stays; the later copies at page tops go.
    top_counts: Counter = Counter()
    for lines in page_lines:
        filled = [i for i, line in enumerate(lines) if line.strip()]
        top_counts.update({_exact_key(lines[i]) for i in filled[:2] if _heading_like(lines[i])})
    running_titles = {key for key, n in top_counts.items() if n >= 3 and key}
    seen_titles: set[str] = set()
    cleaned = []
    for lines in page_lines:
        filled = [i for i, line in enumerate(lines) if line.strip()]
        drop = set()
        for i in filled[:edge] + filled[-edge:]:
            stripped = lines[i].strip()
            if _edge_key(stripped) in repeated or _PAGE_NUMBER.match(stripped):
                drop.add(i)
        for i in filled[:2]:
            key = _exact_key(lines[i])
            if key in running_titles and i not in drop:
                if key in seen_titles:
                    drop.add(i)
                seen_titles.add(key)
        cleaned.append("\n".join(line for i, line in enumerate(lines) if i not in drop))
    return cleaned


def _exact_key(line: str) -> str:
    return re.sub(r"\s+", " ", line.strip().lower())


def _heading_like(line: str) -> bool:
    stripped = line.strip()
    return 0 < len(stripped.split()) <= 14 and not _TERMINAL.search(stripped) and stripped[:1].isupper()


def _running_lines_by_page_marks(lines: list[str], reach: int = 2) -> set[int]:
    """Indices of header/footer lines in text that lost its page breaks ("Page 2 of 5" kept, no form feed).

    A short line that sits next to two or more page marks ("OFFICIAL", "Department X - Response to ...")
    is a running header or footer; every copy of it next to a page mark, and a copy at the very top of
    the letter, goes. One page mark proves nothing, so nothing is dropped then.
    """
    marks = [i for i, line in enumerate(lines) if _PAGE_MARK_LINE.match(line)]
    if len(marks) < 2:
        return set()
    near: dict[str, set[int]] = {}
    for mark in marks:
        for i in range(max(0, mark - reach), min(len(lines), mark + reach + 1)):
            stripped = lines[i].strip()
            if i == mark or not stripped or len(stripped.split()) > 16 or _PAGE_MARK_LINE.match(stripped):
                continue
            near.setdefault(_edge_key(stripped), set()).add(i)
    drop: set[int] = set()
    for key, indices in near.items():
        # The page mark each line sits next to: the first mark at or after i - reach (marks are sorted).
        pages = {marks[bisect_left(marks, i - reach)] for i in indices}
        if len(pages) < 2:
            continue
        drop |= indices
        top = next((i for i, line in enumerate(lines) if line.strip()), None)
        if top is not None and _edge_key(lines[top]) == key:
            drop.add(top)
    return drop


def _join_hyphenated(text: str) -> str:
    if "-\n" not in text:
        return text
    words_seen = set(re.findall(r"[a-z]+(?:-[a-z]+)*", text.lower()))

    def repl(match: re.Match) -> str:
        head, tail = match.group(1), match.group(2)
        if tail[0].isupper() or head.lower() in _HYPHEN_PREFIXES or head.isdigit():
            return f"{head}-{tail}"
        if f"{head}-{tail}".lower() in words_seen and f"{head}{tail}".lower() not in words_seen:
            return f"{head}-{tail}"
        return f"{head}{tail}"

    return _LINE_HYPHEN.sub(repl, text)


def _last_word(line: str) -> str:
    parts = line.rstrip().rsplit(" ", 1)
    return parts[-1].lower() if parts else ""


def _starts_list_item(line: str) -> bool:
    return bool(re.match(r"^\s*(?:- |\(?\d{1,2}[.)]\s|\(?[a-z][.)]\s|\([ivx]+\)\s)", line))


def _join_wrapped_lines(block: list[str], wrap_width: int | None) -> list[str]:
    """Join the lines of a block that were wrapped mid-sentence. Each joined line is kept as a list of its
    pieces and joined once at the end, so a block of 200,000 short lines costs linear time, not quadratic."""
    out: list[list[str]] = []
    length = 0  # of the last physical line of the line being built
    for line in block:
        if (
            out
            and not _starts_list_item(line)
            and not _label_starts(line, out[-1][-1])
            and not _CITATION_END.search(out[-1][-1])
        ):
            tail = out[-1][-1]  # the end of the line being built: its last character and word
            ends_open = not _TERMINAL.search(tail)
            # A recommendation's label line that closes its sentence ends the quoted recommendation.
            full = wrap_width is not None and length >= 0.7 * wrap_width
            if full and _LABEL_LINE.match(out[-1][0]) and _SENTENCE_CLOSE.search(tail.rstrip()):
                full = False
            continues = ends_open and (line[:1].islower() or _last_word(tail) in _FUNCTION_WORDS)
            if full or continues:
                piece = line.lstrip()
                out[-1].append(piece)
                length = len(piece)  # the physical line just joined: was it full?
                continue
        out.append([line])
        length = len(line)
    return [" ".join(pieces) for pieces in out]


def _one_word_lines(block: list[str]) -> bool:
    """A block set one word a line (some PDF producers): its lines are words of running text."""
    filled = [line for line in block if line.strip()]
    return len(filled) >= 12 and sum(1 for line in filled if len(line.split()) == 1) >= 0.8 * len(filled)


# A line that ends a paragraph: its last character closes a sentence.
# (A report's paragraph reference may follow: "... to which we have referred. (113.6)")
_SENTENCE_CLOSE = re.compile(r"[.!?][\"')\]*]*(?:\s*\(\d{1,3}(?:\.\d{1,3})*\))?$")
# A sentence closed by the report's paragraph reference ends the recommendation quoted; its answer follows.
_CITATION_END = re.compile(r"[.!?]\s*\(\d{1,3}(?:\.\d{1,3})+\)\s*$")
_PROSE_WORDS = 4  # "Acme Ltd." or "J. Smith" in an address block is not a sentence closing a paragraph
# A recommendation's or concern's label starts a paragraph: "Recommendation 2: That ...", "Concern 3".
_LABEL_LINE = re.compile(
    r"^\s*(?:(?:HoL\s+|Inquiry\s+|Committee\s+)*(?:Recommendations?|Matters?\s+of\s+concern|Concerns?|Conclusions?)"
    r"\s+(?:\d{1,3}(?:\.\d{1,3})*|[A-Z]\d{0,2})\b(?!\s*[),;]|\s+(?:and|or|to|of|in)\b)"
    r"|(?:Government|Department|Our|The\s+Government's)\s+response\b)",
    re.IGNORECASE,
)


def _label_starts(line: str, before: str) -> bool:
    """Whether `line` starts with a label that opens a paragraph, the line before it ending as `before` (a line
    ending "... described in the response to" runs on into "Recommendation 6) ...")."""
    return bool(_LABEL_LINE.match(line)) and _last_word(before) not in _FUNCTION_WORDS


_HEADING_MAX_WORDS = 14


def _is_heading_line(line: str, wrap_width: int | None) -> bool:
    stripped = line.strip()
    words = stripped.split()
    return (
        0 < len(words) <= _HEADING_MAX_WORDS
        and not re.search(r"[.!?;:,]$", stripped)
        and (stripped[:1].isupper() or stripped[:1].isdigit())
        and words[-1].lower() not in _FUNCTION_WORDS
        and (wrap_width is None or len(stripped) < 0.7 * wrap_width)
    )


def _paragraph_break(line: str, nxt: str, wrap_width: int | None) -> bool:
    """Whether a line break between two (joined) lines of a block ends a paragraph.

    Text copied from a web page, or read from a PDF that leaves no blank line between paragraphs, separates
    paragraphs by a single line break: a line closing a sentence after prose, a numbered paragraph or list
    item starting, or a heading above a paragraph of prose. Address and signature blocks (short lines, no
    full stops) keep their lines together.
    """
    if "|" in line or "|" in nxt:
        return False  # a row of a table flattened into text
    if _starts_list_item(nxt) or _label_starts(nxt, line):
        return True
    if _SENTENCE_CLOSE.search(line.rstrip()) and len(line.split()) >= _PROSE_WORDS:
        return True
    if re.match(r"^\s*(?:dear\b|to whom it may concern)", line, re.IGNORECASE) and len(nxt.split()) >= 12:
        return True  # "Dear Chair," then the first paragraph
    return _is_heading_line(line, wrap_width) and len(nxt.split()) >= 12


def _split_block(lines: list[str], wrap_width: int | None) -> list[str]:
    paragraphs = [[lines[0]]]
    for previous, line in zip(lines, lines[1:], strict=False):
        if _paragraph_break(previous, line, wrap_width):
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return ["\n".join(paragraph) for paragraph in paragraphs]


def _wrap_width(lines: list[str]) -> int | None:
    lengths = sorted(len(line) for line in lines if line.strip())
    if len(lengths) < 8:
        return None
    p90 = lengths[int(len(lengths) * 0.9) - 1]
    full = sum(1 for length in lengths if length >= 0.7 * p90)
    # Hard-wrapped text (PDF, e-mail) has many lines of a steady width; text with one paragraph per line,
    # or a short note of address lines, does not.
    if 35 <= p90 <= 160 and full >= 8 and full >= 0.3 * len(lengths):
        return p90
    return None


def _paragraph_continues(last_line: str, last_line_words: int, paragraph_words: int, nxt: str) -> bool:
    """Whether paragraph `nxt` continues the one before, which ends with `last_line` (that line has
    `last_line_words` words, the paragraph `paragraph_words`; counts kept by the caller, in linear time)."""
    last_line = last_line.rstrip()
    first = nxt.lstrip()
    if not last_line or not first or _TERMINAL.search(last_line) or _starts_list_item(first):
        return False
    if _label_starts(first, last_line):
        return False  # "Government response to recommendation 1" after a page break starts the answer
    if re.match(r"^[A-Za-z]{1,12}\s*:", first):
        return False  # a label ("cc: the Clerk", "Enc: report") starts a line of its own
    if first[0].islower() or _last_word(last_line) in _FUNCTION_WORDS:
        return True
    # A long body paragraph cut mid-sentence by a page break; short lines are headings or addresses.
    return last_line_words >= 12 and (first[0] == "(" or paragraph_words >= 25)


def normalise(text: str) -> str:
    text = _clean_characters(text)
    pages = text.split("\f")
    if len(pages) > 1:
        pages = _strip_running_lines(pages)
    text = "\n\n".join(page.strip("\n") for page in pages)
    raw_lines = text.split("\n")
    running = _running_lines_by_page_marks(raw_lines)
    lines = [
        _BULLET.sub("- ", line.rstrip()) if _BULLET.match(line) else line.rstrip()
        for i, line in enumerate(raw_lines)
        if i not in running and not _PAGE_MARK_LINE.match(line) and not _PROTECTIVE_MARKING.match(line)
    ]
    # A bullet starts its own paragraph so list items never merge into the sentence before them.
    spaced: list[str] = []
    for line in lines:
        if line.startswith("- ") and spaced and spaced[-1].strip():
            spaced.append("")
        spaced.append(re.sub(r" {2,}", " ", line.strip()))
    text = _join_hyphenated("\n".join(spaced))
    wrap_width = _wrap_width(text.split("\n"))
    blocks = [block.split("\n") for block in re.split(r"\n\s*\n", text) if block.strip()]
    blocks = [
        [" ".join(line.strip() for line in block)] if _one_word_lines(block) else block for block in blocks
    ]
    # (paragraph, whether it opens a block): only a block's first paragraph may continue the one before (a page
    # or blank line cut a sentence); a break made inside a block by _split_block stands.
    paragraphs = [
        (paragraph, n == 0)
        for block in blocks
        for n, paragraph in enumerate(_split_block(_join_wrapped_lines(block, wrap_width), wrap_width))
    ]
    merged: list[list[str]] = []  # each paragraph as its pieces, joined once at the end (linear time)
    last_line, last_line_words, paragraph_words = "", 0, 0
    for para, opens_block in paragraphs:
        piece_last_line = para.rsplit("\n", 1)[-1]
        piece_last_line_words = len(piece_last_line.split())
        if merged and opens_block and _paragraph_continues(last_line, last_line_words, paragraph_words, para):
            piece = para.lstrip()
            merged[-1].append(piece)
            paragraph_words += len(piece.split())
            # Joined with a space: the new piece's first line continues the old last line.
            last_line_words = piece_last_line_words + (0 if "\n" in piece else last_line_words)
        else:
            merged.append([para])
            paragraph_words = len(para.split())
            last_line_words = piece_last_line_words
        last_line = piece_last_line
    return "\n\n".join(" ".join(pieces) for pieces in merged).strip() + "\n" if merged else ""
