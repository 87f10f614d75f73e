"""The certificate as a document: an HTML template rendered to PDF by WeasyPrint."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse

from breakthrough.notifications.actions import absolute_url

from .models import Certificate


def date_span(start, end) -> str:
    """'21–25 July 2008', '30 June – 2 July 2008' or '30 December 2008 – 2 January 2009'."""
    if start == end:
        return f"{start.day} {start:%B %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B} – {end.day} {end:%B %Y}"
    return f"{start.day} {start:%B %Y} – {end.day} {end:%B %Y}"


def certificate_html(certificate: Certificate) -> str:
    enrolment = certificate.enrolment
    program = enrolment.program
    collaborative = program.collaborative
    sponsors = [o.name for o in program.ordered_sponsors()] or [
        co.organisation.name
        for co in collaborative.collaborativeorganisation_set.select_related("organisation")
    ]
    return render_to_string(
        "certificates/certificate_pdf.html",
        {
            "certificate": certificate,
            "program": program,
            "team": enrolment.team,
            "agency": enrolment.agency,
            "sponsors": sponsors,
            "signatories": program.signatory_list,
            "sessions": program.sessions.count(),
            "dates": date_span(program.start, program.end),
            "issued": certificate.issued_at.date(),
            "verify_url": absolute_url(reverse("certificates:verify")),
            "is_demo": collaborative.is_demo,
        },
    )


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate as PDF bytes (WeasyPrint, imported only when a certificate is made)."""
    from weasyprint import HTML

    return HTML(string=certificate_html(certificate)).write_pdf()
