"""The pages, one module per area; urls.py wires them through `from tracker import views`."""

from tracker.views.accounts import account_settings, follow_report
from tracker.views.commitments import (
    commitment_assess_evidence,
    commitment_change_status,
    commitment_detail,
    commitment_export,
    commitment_list,
    commitment_revise_due_date,
)
from tracker.views.dashboard import dashboard
from tracker.views.departments import department_detail, department_list
from tracker.views.letters import letter_detail, letter_list, letter_original
from tracker.views.reports import report_detail, report_list
from tracker.views.search import search_page

__all__ = [
    "account_settings",
    "commitment_assess_evidence",
    "commitment_change_status",
    "commitment_detail",
    "commitment_export",
    "commitment_list",
    "commitment_revise_due_date",
    "dashboard",
    "department_detail",
    "department_list",
    "follow_report",
    "letter_detail",
    "letter_list",
    "letter_original",
    "report_detail",
    "report_list",
    "search_page",
]
