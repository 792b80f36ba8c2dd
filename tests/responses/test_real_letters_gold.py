"""The gold of the real letters (tests/real, tests/real_b, tests/real_c) is well formed and cannot drift from its letters.

Every gold file follows the extraction schema (plus `core`, `kind`, concern `position` and commitment `concerns`),
names only departments the tracker knows (fixtures/departments.json), and quotes each commitment and time phrase
verbatim from its letter's text (after whitespace normalisation), so editing a letter or a gold file by hand
without the other fails here. Nothing here runs the extractor: its scores are figures (docs/real-letters.md).
"""

import json
import re
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Each batch of real documents: letters/ (as published, with pypdfium2's text beside each PDF) and gold/.
REAL_SETS = {
    "real-a": ROOT / "tests" / "real",
    "real-b": ROOT / "tests" / "real_b",
    "real-c": ROOT / "tests" / "real_c",
}
GOLD_FILES = sorted(path for real in REAL_SETS.values() for path in (real / "gold").glob("*.json"))
DEPARTMENTS = {
    row["fields"]["name"] for row in json.loads((ROOT / "fixtures" / "departments.json").read_text())
}

TOP_KEYS = {
    "source", "kind", "letter_date", "departments", "signatories", "addressee", "reports", "concerns", "commitments",
}  # fmt: skip
COMMITMENT_KEYS = {
    "core",
    "text",
    "department",
    "time_phrase",
    "due_earliest",
    "due_latest",
    "precision",
    "concerns",
}
PRECISIONS = {"day", "month", "season", "quarter", "half", "year", "financial_year", "vague", "none"}
DATED_PRECISIONS = PRECISIONS - {"vague", "none"}
POSITIONS = {
    "accepted",
    "accepted_in_principle",
    "partially_accepted",
    "not_accepted",
    "under_consideration",
    "noted",
}
REPORT_TYPES = {"pfd", "national_review", "inquiry", "committee", "other"}
KINDS = {
    "select_committee_report_response", "public_inquiry_response", "independent_review_response",
    "treasury_minutes", "pfd_response", "ombudsman_report_response", "departmental_letter",
}  # fmt: skip


def normalised(text):
    return " ".join(text.split())


def iso_or_none(value):
    if value is None:
        return True
    return (
        isinstance(value, str)
        and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
        and bool(date.fromisoformat(value))
    )


def gold_id(path):
    return f"{path.parents[1].name}/{path.stem}"


@pytest.fixture(params=GOLD_FILES, ids=gold_id)
def gold_path(request):
    return request.param


@pytest.fixture
def gold(gold_path):
    return json.loads(gold_path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("real", REAL_SETS.values(), ids=REAL_SETS.keys())
def test_there_is_real_gold_for_every_letter_text(real):
    gold_files = sorted((real / "gold").glob("*.json"))
    letters = real / "letters"
    sources = [json.loads(path.read_text(encoding="utf-8"))["source"] for path in gold_files]
    texts = {path.name for path in letters.glob("*.txt")}
    scans = {path.name for path in letters.glob("*.pdf") if not path.with_suffix(".txt").exists()}
    assert len(gold_files) >= 2
    assert len(sources) == len(set(sources))
    assert set(sources) == texts | scans, (
        "every letter text (or scan) has one gold file, and each gold names one"
    )


def test_gold_files_have_the_schema_keys_and_types(gold):
    assert set(gold) == TOP_KEYS
    assert gold["kind"] in KINDS
    assert iso_or_none(gold["letter_date"])
    assert isinstance(gold["departments"], list) and gold["departments"]
    for signatory in gold["signatories"]:
        assert set(signatory) == {"name", "role"}
        assert signatory["name"] or signatory["role"]
    assert gold["addressee"] is None or set(gold["addressee"]) == {"name", "role"}
    assert gold["reports"], "every real letter answers at least one report"
    for report in gold["reports"]:
        assert set(report) == {"type", "title", "deceased", "report_date"}
        assert report["type"] in REPORT_TYPES
        assert report["title"]
        assert iso_or_none(report["report_date"])


def test_gold_departments_are_canonical_names_the_tracker_knows(gold):
    unknown = set(gold["departments"]) - DEPARTMENTS
    unknown |= {c["department"] for c in gold["commitments"] if c["department"] is not None} - DEPARTMENTS
    assert not unknown, f"not canonical (fixtures/departments.json): {sorted(unknown)}"
    missing = [c["text"][:60] for c in gold["commitments"] if c["core"] and not c["department"]]
    assert not missing, f"core commitments need an owner: {missing}"


def test_gold_concerns_have_numbers_text_and_positions(gold):
    for concern in gold["concerns"]:
        assert set(concern) == {"number", "text", "position"}
        assert concern["number"] is None or isinstance(concern["number"], (int, str))
        assert concern["text"].strip()
        assert concern["position"] is None or concern["position"] in POSITIONS


def test_gold_commitments_follow_the_date_conventions(gold):
    numbers = {concern["number"] for concern in gold["concerns"]}
    assert gold["commitments"], "every real letter here makes at least one promise"
    for commitment in gold["commitments"]:
        where = commitment["text"][:70]
        assert set(commitment) == COMMITMENT_KEYS, where
        assert isinstance(commitment["core"], bool), where
        assert commitment["precision"] in PRECISIONS, where
        assert iso_or_none(commitment["due_earliest"]) and iso_or_none(commitment["due_latest"]), where
        if commitment["precision"] == "none":
            assert commitment["time_phrase"] is None, where
        else:
            assert commitment["time_phrase"], where
        if commitment["precision"] in DATED_PRECISIONS:
            assert commitment["due_latest"], where
        else:
            assert commitment["due_earliest"] is None and commitment["due_latest"] is None, where
        if commitment["due_earliest"] and commitment["due_latest"]:
            assert commitment["due_earliest"] <= commitment["due_latest"], where
        assert set(commitment["concerns"]) <= numbers, where


def letter_text(real, source):
    """The letter's text; for a scan (a PDF with no text layer), the Tesseract text it was annotated from."""
    if source.endswith(".pdf"):
        assert (real / "letters" / source).exists()
        return (real / "ocr" / source).with_suffix(".txt").read_text(encoding="utf-8")
    return (real / "letters" / source).read_text(encoding="utf-8")


def test_gold_quotes_are_verbatim_from_the_letter(gold_path, gold):
    letter = normalised(letter_text(gold_path.parents[1], gold["source"]))
    for commitment in gold["commitments"]:
        text = normalised(commitment["text"])
        assert len(text.split()) >= 4, f"too short to be a commitment: {text!r}"
        assert text in letter, f"not in {gold['source']}: {text[:90]!r}"
        if commitment["time_phrase"]:
            assert normalised(commitment["time_phrase"]) in text, (
                f"time phrase not in its sentence: {text[:60]!r}"
            )


def test_batches_hold_different_documents():
    """A document belongs to one batch: a batch's first score is only blind if none of its letters is in another."""
    seen = {}
    for real in REAL_SETS.values():
        for path in sorted((real / "letters").glob("*")):
            if path.suffix == ".txt":
                key = normalised(path.read_text(encoding="utf-8"))[:2000]
            else:
                key = path.read_bytes()
            assert key not in seen, f"{path} repeats {seen[key]}"
            seen[key] = path


def test_each_letter_pdf_reads_back_to_its_text():
    """The .txt beside a PDF is pypdfium2's text as read, so an editor uploading the PDF gives the same input."""
    pypdfium2 = pytest.importorskip("pypdfium2")
    pdfs = sorted(path for real in REAL_SETS.values() for path in (real / "letters").glob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        text_file = pdf.with_suffix(".txt")
        if not text_file.exists():
            continue  # a scan: its text is OCR, checked by eye and described in SOURCES.md
        document = pypdfium2.PdfDocument(str(pdf))
        try:
            pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
        finally:
            document.close()
        pages = [page.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n") for page in pages]
        assert "\n\f\n".join(pages) + "\n" == text_file.read_text(encoding="utf-8"), pdf.name
