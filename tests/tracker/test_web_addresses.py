"""Links are refused at input unless they are web addresses (http or https): one rule
(tracker.web_addresses), applied by the forms, the admin and the importers, each with a clear message."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.every_page import make_samples
from tests.tracker.test_pfd_rows import STATUS_HEADER, as_csv, status_row
from tracker.models import Report
from tracker.pfd import rows
from tracker.validators import WebAddressField, validate_web_address
from tracker.web_addresses import NOT_A_WEB_ADDRESS, is_web_address

REFUSED = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://ftp.example.org/file.pdf",
    "mailto:someone@example.org",
    "//www.gov.uk/no-scheme",
    "https://",
    "https:///path-only",
    "http:www.gov.uk",
    "https://www.gov.uk/a b",
    "https://www.gov.uk/\nline",
    "https://[::1",
    "",
]
ACCEPTED = [
    "https://www.gov.uk/government/publications/example",
    "http://www.legislation.gov.uk/uksi/2013/1629/regulation/29",
    "HTTPS://WWW.JUDICIARY.UK/prevention-of-future-death-reports/",
    "https://www.judiciary.uk/wp-content/uploads/2023/01/2023-0001-Response-from-NHS-England.pdf?x=1#page=2",
]


@pytest.mark.parametrize("value", REFUSED)
def test_not_a_web_address(value):
    assert not is_web_address(value)


@pytest.mark.parametrize("value", ACCEPTED)
def test_web_addresses(value):
    assert is_web_address(value)


@pytest.mark.parametrize("value", [v for v in REFUSED if v])
def test_the_validator_and_the_form_field_give_the_one_message(value):
    with pytest.raises(ValidationError) as refused:
        validate_web_address(value)
    assert refused.value.messages == [NOT_A_WEB_ADDRESS]
    field = WebAddressField(required=False)
    if value == "//www.gov.uk/no-scheme":  # the form completes it as Django does, with https
        assert is_web_address(field.clean(value))
        return
    with pytest.raises(ValidationError) as refused:
        field.clean(value)
    assert refused.value.messages == [NOT_A_WEB_ADDRESS]


def test_the_form_field_takes_an_address_without_scheme_as_https():
    assert WebAddressField().clean("www.gov.uk/guidance") == "https://www.gov.uk/guidance"


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["source_url", "pdf_url"])
def test_the_admin_refuses_a_report_link_that_is_not_a_web_address(field, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    samples = make_samples()
    client = Client()
    client.force_login(samples.users["editor"])
    url = f"/admin/tracker/report/{samples.report.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif value is not None:
            data[name] = str(value)
    for prefix in ("addressees", "addressees-2", "recommendations"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data[field] = "javascript:alert(document.domain)"
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [NOT_A_WEB_ADDRESS]
    assert getattr(Report.objects.get(pk=samples.report.pk), field) != "javascript:alert(document.domain)"


@pytest.mark.parametrize(
    "column, value, reason",
    [
        ("URL", "javascript:alert(1)", "report address (URL)"),
        ("URL", "data:text/html,<b>x</b>", "report address (URL)"),
    ],
)
def test_the_pfd_importer_refuses_a_row_whose_address_is_not_a_web_address(column, value, reason):
    text = as_csv(STATUS_HEADER, status_row(), status_row(**{column: value, "Ref": "2022-0999"}))
    _, parsed, bad = rows.read_rows(text)
    assert len(parsed) == 1
    [refused] = bad
    assert refused.row == 3 and refused.reason == f"{reason}: {NOT_A_WEB_ADDRESS}"


def test_the_pfd_importer_refuses_response_and_document_addresses_that_are_not_web_addresses():
    from tests.tracker.test_pfd_rows import REPORTS_HEADER

    good = {
        "date_of_report": "15/09/2022",
        "ref": "2022-0288",
        "deceased_name": "Harper Denton",
        "this_report_is_being_sent_to": "Home Office",
        "report_url": "https://www.judiciary.uk/prevention-of-future-death-reports/harper-denton/",
        "pdf_url": "https://www.judiciary.uk/wp-content/uploads/2022/09/2022-0288.pdf",
        "reply_urls": "https://www.judiciary.uk/wp-content/uploads/2022/11/2022-0288-Response.pdf",
    }
    bad_reply = {**good, "ref": "2022-0289", "report_url": good["report_url"] + "2",
                 "reply_urls": good["reply_urls"] + " | javascript:alert(1)"}  # fmt: skip
    bad_pdf = {**good, "ref": "2022-0290", "report_url": good["report_url"] + "3", "pdf_url": "data:,x"}
    _, parsed, bad = rows.read_rows(as_csv(REPORTS_HEADER, good, bad_reply, bad_pdf))
    assert [row.reference for row in parsed] == ["2022-0288"]
    assert [(b.row, b.reason.split(":")[0]) for b in bad] == [
        (3, "a response's address"),
        (4, "report document's address (PDF URL)"),
    ]
