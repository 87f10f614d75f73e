"""Sending e-mail: the one place every message of the platform goes through."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from .models import OutgoingEmail

log = logging.getLogger(__name__)

DEMO_DOMAIN = "@demo.example.org"


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def do_send_email(
    *,
    to: str,
    template: str,
    context: dict,
    kind: str,
    collaborative=None,
    person=None,
    dedupe_key: str | None = None,
    headers: dict[str, str] | None = None,
) -> OutgoingEmail | None:
    """Render `<template>_subject.txt` and `<template>.txt`, send, and log the message.

    Demo addresses are logged as suppressed, never sent. A message whose `dedupe_key` was
    already logged is skipped and None is returned, so scheduled commands may run twice.
    """
    if dedupe_key and OutgoingEmail.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    ctx = {
        "site_url": settings.SITE_URL,
        "collaborative": collaborative,
        "person": person,
        **context,
    }
    subject = " ".join(render_to_string(f"{template}_subject.txt", ctx).split())
    body = render_to_string(f"{template}.txt", ctx)
    if collaborative is not None and collaborative.is_demo:
        subject = f"[DEMO] {subject}"
    record = OutgoingEmail(
        collaborative=collaborative,
        person=person,
        to=to,
        subject=subject[:300],
        body=body,
        kind=kind,
        dedupe_key=dedupe_key,
    )
    if to.lower().endswith(DEMO_DOMAIN):
        record.status = OutgoingEmail.Status.SUPPRESSED
    else:
        message = EmailMultiAlternatives(subject, body, to=[to], headers=headers or {})
        try:
            message.send()
            record.status = OutgoingEmail.Status.SENT
        except Exception as exc:  # an SMTP failure must not lose the action that triggered it
            log.exception("E-mail to %s failed", to)
            record.status = OutgoingEmail.Status.FAILED
            record.error = str(exc)[:2000]
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:  # a concurrent run logged the same dedupe_key first
        return None
    return record
