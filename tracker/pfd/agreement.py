"""Our categories of PFD reports against the Preventable Deaths Tracker's published statuses.

For every report imported from its status export (Report.pdt_status, as it stood on pdt_status_on), our
category computed for that same day (Report.objects.with_pfd_category). docs/pfd-statuses.md explains each
class of disagreement; benchmarks/bench_pfd.py and tests/tracker/test_pfd_agreement.py compute the figure on
the real 2025 file.
"""

import collections
import dataclasses

from tracker.models import Report


@dataclasses.dataclass
class Agreement:
    day: object
    compared: int
    agreeing: int
    confusion: collections.Counter  # (theirs, ours) -> reports
    disagreements: list  # (reference, slug, theirs, ours)

    @property
    def share(self):
        return self.agreeing / self.compared if self.compared else 0.0


def compare(day):
    reports = (
        Report.objects.filter(kind=Report.Kind.PFD, pdt_status_on=day)
        .exclude(pdt_status="")
        .with_pfd_category(day)
        .order_by("date_issued", "reference")
        .values_list("reference", "slug", "pdt_status", "pfd_category")
    )
    confusion, disagreements = collections.Counter(), []
    for reference, slug, theirs, ours in reports:
        confusion[(theirs, ours)] += 1
        if theirs != ours:
            disagreements.append((reference, slug, theirs, ours))
    compared = sum(confusion.values())
    return Agreement(day, compared, compared - len(disagreements), confusion, disagreements)
