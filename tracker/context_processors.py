"""What every page template may need from the domain rules (tracker.rules), so no template spells them."""

from tracker import rules as domain_rules


def rules(request):
    return {"due_soon_days": domain_rules.DUE_SOON_DAYS}
