"""The naive baseline the extractor must beat: every sentence with a promise word is a commitment.

It prints the same JSON shape as `manage.py extract_letter FILE --format json`, so the shared scorer can run it:

    python /work/shared/tools/score_extraction.py --letters tests/real/letters --gold tests/real/gold -v \
        --command ".venv/bin/python benchmarks/naive_baseline.py {file}"

No dates, no departments, no concerns: only sentences. A sentence is cut at ., ! or ? followed by white space, and
at blank lines; single line breaks are joined (text read from PDFs is hard-wrapped). It is deliberately simple and
must stay so: it is the yardstick issue 10 measures the extractor against ("every sentence with will / intend /
commit" scored F1 0.69 on the real letters kept out of sight).
"""

import json
import re
import sys
from pathlib import Path

# Promise words, as a reader skimming a letter for promises would look for them.
CUE = re.compile(
    r"\b(will|shall|intends?|intend(?:ed|ing)|commit(?:s|ted|ting|ment)?|plans? to|planning to|aims? to|"
    r"expects? to|propose[sd]? to|undertakes? to|due to be|are going to|is going to)\b",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'‘“(\[]?[A-Z0-9])")


def read_text(path: Path) -> str:
    if path.suffix.lower() == ".pdf":
        import pypdfium2

        document = pypdfium2.PdfDocument(str(path))
        try:
            return "\n\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
        finally:
            document.close()
    if path.suffix.lower() == ".docx":
        import docx

        return "\n\n".join(paragraph.text for paragraph in docx.Document(str(path)).paragraphs)
    return path.read_text(encoding="utf-8", errors="replace")


def sentences(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    out = []
    for block in re.split(r"\n\s*\n", text):
        flat = " ".join(block.split())
        out.extend(part.strip() for part in SENTENCE_END.split(flat) if part.strip())
    return out


def extract(path: Path) -> dict:
    found = [s for s in sentences(read_text(path)) if CUE.search(s)]
    return {
        "source": path.name,
        "letter_date": None,
        "departments": [],
        "signatories": [],
        "addressee": None,
        "reports": [],
        "concerns": [],
        "commitments": [
            {
                "text": s,
                "department": None,
                "time_phrase": None,
                "due_earliest": None,
                "due_latest": None,
                "precision": "none",
            }
            for s in found
        ],
    }


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: naive_baseline.py FILE")
    print(json.dumps(extract(Path(sys.argv[1])), ensure_ascii=False, indent=1))
