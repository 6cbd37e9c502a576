"""Telling people: a row in each person's in-app inbox and an e-mail (Django's mail; console unless SMTP is set)."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation

from .models import Notification


def notify(users, subject, body, url: str = "", *, params: dict | None = None, reason: str = "") -> int:
    """One Notification per user, and an e-mail to those with an address. Returns how many were notified.

    Written in the site's default language (Swedish): the recipients' language is not known.
    """
    users = [user for user in users if user is not None]
    if not users:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(subject) % (params or {})
        body = str(body) % (params or {}) if body else ""
        if reason:
            body = f"{body}\n\n{translation.gettext('Motivering')}: {reason}".strip()
    Notification.objects.bulk_create([Notification(user=user, subject=subject[:200], body=body, url=url)
                                      for user in users])
    link = f"{settings.SITE_URL}{url}" if url else ""
    for user in users:
        if user.email:
            send_mail(subject[:200], f"{body}\n\n{link}".strip(), settings.DEFAULT_FROM_EMAIL, [user.email],
                      fail_silently=True)
    return len(users)
