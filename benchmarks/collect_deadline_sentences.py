"""Collect candidate sentences for the real-sentence deadline set (tests/real/deadline_sentences.tsv).

    .venv/bin/python benchmarks/collect_deadline_sentences.py > /tmp/candidates.tsv

This only *finds* sentences; the expected due windows in the TSV were written by hand (or copied from the gold
annotations for gold commitments), never from the resolver's output. A sentence is a candidate when it carries a
time word by a deliberately broad test that knows nothing of the resolver's rules (a year, a month name, a season,
a holiday, a recess, a unit of time, "shortly" ...), so phrases the resolver cannot read are found too.

Sources, in this order (the first occurrence of a sentence wins):
- gold commitments of the real responses (/work/shared/real/gold, tests/real/gold) and of the seed letters
  (/work/shared/gold), with the gold date window;
- every other sentence of those documents' text, and of the WASPI decision (January 2026, read with pypdfium2),
  to be annotated by hand (mostly past events and statements that must not become deadlines);
- the "YOUR RESPONSE" section and the concerns of PFD reports (/work/shared/pfd/pdt-reports-2024-02-11.csv),
  one sentence per distinct wording, sampled with a fixed seed.
"""

import csv
import json
import random
import re
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path("/work/shared")

TIME_WORD = re.compile(
    r"\b(?:(?:19|20)\d\d|\d\d/\d\d|January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|spring|summer|autumn|winter|Easter|"
    r"Christmas|Whitsun|New\s+Year|recess|quarter|Q[1-4]|financial\s+year|fiscal|days?|weeks?|fortnight|"
    r"months?|years?|decade|shortly|soon|due\s+course|Parliament|session|Spending\s+Review|Budget|today|"
    r"tomorrow|annually|term|future|later|currently|now|ongoing|forthcoming|upcoming|next|Monday|Tuesday|"
    r"Wednesday|Thursday|Friday|anniversary|election|deadline|timetable|timescales?)\b"
)
# Only these make a sentence a candidate; TIME_WORD above is the wider net used for gold commitments.
STRONG = re.compile(
    r"\b(?:(?:19|20)\d\d|\d\d/\d\d|(?-i:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)|spring|summer|autumn|winter|Easter|Christmas|Whitsun|New\s+Year|recess|quarter|"
    r"Q[1-4]|financial\s+year|days?|weeks?|fortnight|months?|years?|decade|shortly|soon|due\s+course|"
    r"end\s+of\s+(?:this|the)\s+Parliament|session|Spending\s+Review|Budget|today|tomorrow|annually|"
    r"(?:school|academic)\s+(?:term|year)|anniversary|general\s+election)\b",
    re.I,
)


def sentences(text):
    """Paragraphs joined across hard wraps, then split after . ! ? before a capital or an opening quote."""
    text = text.replace("\f", "\n").replace("\u00ad", "").replace("\ufffe", "")
    paras = re.split(r"\n\s*\n", text)
    for para in paras:
        flat = re.sub(r"\s*\n\s*", " ", para).strip()
        flat = re.sub(r"\s+", " ", flat)
        for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\u201c\"'\u2018(•])|\s+•\s+", flat):
            s = s.strip(" •")
            if 25 <= len(s) <= 600 and STRONG.search(s) and re.search(r"[a-z]{3}", s):
                yield s


def canon(s):
    return " ".join(re.findall(r"[a-z0-9]+", s.lower()))


def gold_rows():
    docs = []
    for folder, letters in (
        (SHARED / "real" / "gold", SHARED / "real" / "letters"),
        (ROOT / "tests" / "real" / "gold", ROOT / "tests" / "real" / "letters"),
        (SHARED / "gold", SHARED / "seeds"),
    ):
        for path in sorted(folder.glob("*.json")):
            gold = json.loads(path.read_text())
            text_path = letters / gold["source"]
            if text_path.suffix == ".pdf":
                text_path = text_path.with_suffix(".txt")
                if not text_path.exists():  # a scan: the Tesseract text it was annotated from
                    text_path = letters.parent / "ocr" / text_path.name
            docs.append((path.stem, gold, text_path.read_text() if text_path.exists() else ""))
    return docs


def main():
    """Every candidate, in the order of the sources above (the TSV keeps its rows in the order they were added)."""
    out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    out.writerow(["source", "ref_date", "ref_precision", "sentence", "phrase", "due_earliest", "due_latest",
                  "precision", "note"])  # fmt: skip
    seen = set()

    def emit(source, ref, ref_precision, sentence, *expected):
        key = canon(sentence)
        if key in seen:
            return
        seen.add(key)
        out.writerow([source, ref, ref_precision, sentence, *expected])

    docs = gold_rows()
    # documents dated only by a month ("March 2026"): a reference date of month precision
    month_only = {
        "Covid-Inquiry-Module-2-Response": "month",
        "SpaceEconomy-Lords-Committee-Response": "month",
        "WASPI-decision-response": "month",
        "Grenfell-Phase2-Response": "month",
    }
    gold_keys = []
    for stem, gold, _ in docs:
        prec = month_only.get(stem, "day")
        for c in gold["commitments"]:
            gold_keys.append(canon(c["text"]))
            if not (c["time_phrase"] or TIME_WORD.search(c["text"])):
                continue
            phrase = c["time_phrase"] or ""
            note = "" if not phrase or phrase in c["text"] else "gold phrase outside the quote"
            emit(f"gold:{stem}", gold["letter_date"], prec, c["text"], phrase, c.get("due_earliest") or "",
                 c.get("due_latest") or "", c.get("precision") or ("vague" if phrase else "none"), note)  # fmt: skip
    for stem, gold, text in docs:
        prec = month_only.get(stem, "day")
        for s in sentences(text):
            k = canon(s)
            if any(g and (g in k or k in g) for g in gold_keys):
                continue
            emit(f"text:{stem}", gold["letter_date"], prec, s, "?", "", "", "", "")
    # dated only "January 2026": a reference date of month precision
    for s in sentences(pdf_text(SHARED / "real" / "letters" / "WASPI-decision-response.pdf")):
        emit("text:WASPI-decision-response", "2026-01-01", "month", s, "?", "", "", "", "")
    csv.field_size_limit(10**9)
    rng = random.Random(10)
    rows = list(csv.DictReader(open(SHARED / "pfd" / "pdt-reports-2024-02-11.csv", encoding="utf-8")))
    rng.shuffle(rows)
    shapes = set()
    n_resp = n_conc = 0
    for row in rows:
        ref = report_date(row["date_of_report"])
        if ref is None:
            continue
        for s in sentences(row["response"] or ""):
            shape = re.sub(r"\d+|(?-i:[A-Z][a-z]+)", "#", s)
            if shape in shapes or n_resp >= 40:
                continue
            shapes.add(shape)
            n_resp += 1
            emit(f"pfd-response:{row['ref']}", ref.isoformat(), "day", s, "?", "", "", "", "")
        for s in sentences(row["concerns"] or ""):
            if n_conc >= 120 or rng.random() > 0.15:
                continue
            n_conc += 1
            emit(f"pfd-concerns:{row['ref']}", ref.isoformat(), "day", s, "?", "", "", "", "")


def pdf_text(path):
    """The PDF's text as tests/real/pdf_to_text.py reads it: pages joined by a form feed line."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    pages = [page.get_textpage().get_text_range().replace("\r\n", "\n").rstrip("\n") for page in pdf]
    return "\n\f\n".join(pages)


def report_date(text):
    text = text.replace("\u00a0", " ").strip()
    for fmt in ("%d %B %Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    return None


if __name__ == "__main__":
    main()
