"""Emails, one function per kind: each renders emails/<name>_subject.txt, <name>.txt and <name>.html."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.http import urlsafe_base64_encode


def make_message(name, to, context, headers=None):
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    text = render_to_string(f"emails/{name}.txt", context)
    html = render_to_string(f"emails/{name}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    return message


def digest_message(digest):
    """The weekly digest for one subscriber. Its Message-ID is fixed per subscriber and week, so in the rare
    case a copy is sent twice (a worker dying after the server accepted it), mail clients drop the copy."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "tracker"
    token = urlsafe_base64_encode(f"{digest.subscription.pk}:{digest.week}".encode())
    headers = {
        "Message-ID": f"<digest-{token}@{domain}>",
        "X-Tracker-Digest-Week": digest.week,
        "List-Unsubscribe": f"<{digest.settings_url}>",
    }
    context = {
        "digest": digest,
        "sections_text": _sections(digest, "txt"),
        "sections_html": _sections(digest, "html"),
    }
    return make_message("digest", digest.user.email, context, headers=headers)


def _sections(digest, kind):
    """The digest's sections, rendered once for all the subscribers who share them (digests.build_digests gives
    them one `rendered` dict): at 5,000 subscribers of 500 scopes, rendering was ten times the building."""
    if kind not in digest.rendered:
        digest.rendered[kind] = render_to_string(f"emails/digest_sections.{kind}", {"digest": digest})
    return digest.rendered[kind]


def send_digest(digest, connection=None):
    message = digest_message(digest)
    message.connection = connection
    message.send()
    return message


def digest_text(digest):
    """The plain-text part alone, as `send_digests --dry-run` prints it."""
    return render_to_string(
        "emails/digest.txt", {"digest": digest, "sections_text": _sections(digest, "txt")}
    )
