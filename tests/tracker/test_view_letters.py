import pytest
from django.core.files.base import ContentFile

from tests.factories import CommitmentFactory, DepartmentFactory, ReportFactory, ResponseLetterFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "Dear Coroner,\nThank you for your report. We will publish new guidance by Autumn 2025. Yours sincerely"
)


def located(letter, quote, **kwargs):
    start = letter.text.index(quote)
    return CommitmentFactory(
        letter=letter, text=quote, text_start=start, text_end=start + len(quote), **kwargs
    )


def test_letter_text_has_each_commitment_highlighted_in_place_and_linked(client):
    department = DepartmentFactory()
    letter = ResponseLetterFactory(text=TEXT, departments=[department])
    letter.reports.add(ReportFactory(title="The report it answers"))
    commitment = located(letter, "We will publish new guidance by Autumn 2025.", department=department)
    response = client.get(f"/letters/{letter.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    before, marked = html.split('<mark class="tracker-commitment-mark"', 1)
    assert "Thank you for your report. " in before
    assert f'href="{commitment.get_absolute_url()}"' in marked.split("</mark>")[0]
    assert "We will publish new guidance by Autumn 2025.</a></mark> Yours sincerely" in html
    assert "The report it answers" in html


def test_commitment_without_offsets_is_listed_but_not_marked(client):
    letter = ResponseLetterFactory(text=TEXT)
    CommitmentFactory(
        letter=letter, text="A promise paraphrased by an editor", text_start=None, text_end=None
    )
    html = client.get(f"/letters/{letter.pk}/").content.decode()
    assert "tracker-commitment-mark" not in html
    assert "Not located in the text." in html


def test_overlapping_offsets_do_not_break_the_text(client):
    letter = ResponseLetterFactory(text=TEXT)
    located(letter, "We will publish new guidance by Autumn 2025.")
    located(letter, "publish new guidance")
    html = client.get(f"/letters/{letter.pk}/").content.decode()
    assert html.count('<mark class="tracker-commitment-mark"') == 1
    assert "Yours sincerely" in html


def test_original_file_downloads(client):
    letter = ResponseLetterFactory(text=TEXT, original_filename="response.txt")
    letter.original_file.save("response.txt", ContentFile(TEXT.encode()), save=True)
    response = client.get(f"/letters/{letter.pk}/original/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TEXT.encode()
    assert 'attachment; filename="response.txt"' in response["Content-Disposition"]


def test_letter_without_file_has_no_download(client):
    letter = ResponseLetterFactory(text=TEXT)
    assert client.get(f"/letters/{letter.pk}/original/").status_code == 404
    assert client.get("/letters/999999/").status_code == 404
