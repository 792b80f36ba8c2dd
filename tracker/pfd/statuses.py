"""The Preventable Deaths Tracker's categories of a PFD report, from what we know of each addressee.

Its statuses: `pending` (no response yet, and the 56 days not yet passed), `overdue` (no response after
them), `partial` (responses from some addressees), `completed` (from every addressee). It counts response
files against the number of names in 'Sent to'; we count addressees (distinct organisations) that have a
response identified, plus responses published whose sender we could not tell (each may answer for one of
the addressees still waiting). Where the two differ is documented in docs/pfd-statuses.md.
"""

import dataclasses

PENDING, OVERDUE, PARTIAL, COMPLETED = "pending", "overdue", "partial", "completed"
CATEGORIES = (PENDING, OVERDUE, PARTIAL, COMPLETED)
LABELS = {
    PENDING: "Pending (not yet due)",
    OVERDUE: "Overdue (no response identified)",
    PARTIAL: "Partial (some responses)",
    COMPLETED: "Completed (every addressee responded)",
}


@dataclasses.dataclass
class ReportClock:
    addressees: int  # addressees that must respond
    responded: int  # of them, with a response identified
    unattributed: (
        int  # responses published whose sender is not one of the waiting addressees, as far as we know
    )
    still_due: bool  # an addressee without a response has a deadline not yet passed


def category(clock):
    """pending, overdue, partial or completed; None for a report with no addressee that must respond."""
    if clock.addressees <= 0:
        return None
    answered = min(clock.addressees, clock.responded + max(0, clock.unattributed))
    if answered >= clock.addressees:
        return COMPLETED
    if answered > 0:
        return PARTIAL
    return PENDING if clock.still_due else OVERDUE
