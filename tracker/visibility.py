"""What the public pages may show: confirmed response letters and what hangs on them.

A letter stays a draft until an editor has reviewed its extraction in the admin. Until then neither its
text, nor its commitments, nor the positions and report links an editor may already have added by hand
appear on any page, list, count, chart, export or search; editors see drafts in the admin.

Drafts are few (a review queue), so leaving them out is a hashed `NOT IN` over a small partial index
(letter_draft_idx) rather than a join to the letters table on every commitment query.
"""

from responses.models import Commitment, ResponseLetter


def draft_letter_ids():
    return ResponseLetter.objects.filter(review_state=ResponseLetter.ReviewState.DRAFT).values("pk")


def published_letters(queryset=None):
    queryset = ResponseLetter.objects.all() if queryset is None else queryset
    return queryset.filter(review_state=ResponseLetter.ReviewState.CONFIRMED)


def published_commitments(queryset=None):
    queryset = Commitment.objects.all() if queryset is None else queryset
    return queryset.exclude(letter_id__in=draft_letter_ids())


def published_positions(queryset):
    """Positions stated in a confirmed letter, or recorded with no letter at all."""
    return queryset.exclude(letter_id__in=draft_letter_ids())
