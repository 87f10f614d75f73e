"""Free-text care (BRIEF §8): flag text that looks like it identifies a young person or family.

Posts, coaching notes and other narratives must never carry a youth's name with a date, a case
number or a date of birth. `find_identifying_details` is a pattern check, not a guarantee: it
asks the author to look again before saving, and the author may confirm that the text is safe
(a staff member's name beside a meeting date is fine). The check is pure: text in, findings out.

>>> [f.kind for f in find_identifying_details("Met Jamie Rivera on 03/14/2009, DOB 2/2/1994.")]
['date_of_birth', 'name_with_date']
>>> find_identifying_details("Our intake team met twice in March.")
[]
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django import forms

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b"
    r"|\d{4}-\d{2}-\d{2}\b"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?,?\s+\d{{4}}\b)"
)
_DATE_RE = re.compile(DATE)
_DOB_RE = re.compile(
    r"\b(?:d\.?\s?o\.?\s?b\b\.?|date\s+of\s+birth|birth\s?date|birthday|born(?:\s+on)?)"
    rf"[\s:,-]{{0,6}}(?:{DATE}|(?:in\s+)?(?:19|20)\d{{2}}\b)",
    re.IGNORECASE,
)
_CASE_RE = re.compile(
    r"\b(?:case|docket|petition|cause|court\s+file)\s*(?:no\.?|number|num\.?|nr\.?|#|id)?\s*[:#]?\s*"
    r"(?=[A-Z0-9/-]*\d)[A-Z0-9][A-Z0-9/-]{3,}\b"
    r"|\b(?:\d{2,4}-?(?:JV|JD|DP|JC|JUV|DEP)-?\d{2,}|(?:JV|JD|DP|JC|JUV|DEP)-?\d{2,4}-\d{2,})\b",
    re.IGNORECASE,
)
_NAME_RUN_RE = re.compile(r"\b[A-Z][a-z'’-]{1,25}(?:\s+(?:[A-Z]\.\s+)?[A-Z][a-z'’-]{1,25}){1,3}\b")
_WORD_RE = re.compile(r"[A-Z][a-z'’-]+")
_AGE_RE = re.compile(
    r"\b(?:age[sd]?\s+\d{1,2}|\d{1,2}[\s-]?(?:year|yr)s?[\s-]?old|\d{1,2}\s?y/?o)\b"
    r"|(?<=,)\s*\d{1,2}\s*(?=,)|\(\s*\d{1,2}\s*\)",
    re.IGNORECASE,
)

# Capitalised words that begin places, bodies, events and sentences rather than a person's name.
_NOT_NAME_WORDS = """
    January February March April May June July August September October November December Jan
    Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday
    Saturday Sunday The This That These Those Our Their His Her Its We They He She It On In At
    By For From To Since After Before During Until Between Each Every All Any Some No Yes And
    But Or If When While Then Next Last First Second Third New Old Dear Hello Hi Thanks Thank
    Please Today Tomorrow Yesterday Learning Session Sessions Module Modules Certificate Program
    Programme Congress Call Calls Meeting Meetings Team Teams County City Nation Tribal State
    Court Courts Juvenile Family Families Youth Probation Department Dept Services Service
    Division Office Unit School Schools District Center Centre University Agency Council Board
    Police Sheriff Health Behavioral Behavioural Human Children Child Welfare Justice Community
    Public Action Period Phase Cycle Cycles Plan Study Adjust Act Do Model Change Package
    Component Components Idea Ideas Measure Measures Report Reports Monthly Weekly Daily Joint
    Crossover Integration Collaborative Breakthrough Series Site Visit Data Faculty Staff
    Director Judge Hon Dr Mr Mrs Ms Officer Worker Workers Lead Leader Partner Partners
    Brightwater Ashgrove Sable Bay Corliss Valley Farrowdale Granite Plains Cloudwater
    Georgetown Casey MOU ICWA PDSA BSC Met Saw Called Spoke Visited Asked Told Sent Talked
    Referred Detained Arrested Mentioned Emailed Invited Thanked Welcome
"""
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())


@dataclass(frozen=True)
class Finding:
    kind: str  # "date_of_birth", "case_number", "name_with_date", "name_with_age"
    text: str

    @property
    def message(self) -> str:
        what = {
            "date_of_birth": "a date of birth",
            "case_number": "a case or court number",
            "name_with_date": "a person's name next to a date",
            "name_with_age": "a person's name next to an age",
        }[self.kind]
        return f"“{self.text}” looks like {what}."


def _names(text: str, known_names: frozenset[str]) -> Iterable[tuple[int, int]]:
    """Spans of two capitalised words in a row that could be a first and last name."""
    for run in _NAME_RUN_RE.finditer(text):
        words = [w for w in _WORD_RE.finditer(run.group(0)) if w.group(0) not in _NOT_NAMES]
        for first, last in itertools.pairwise(words):
            between = run.group(0)[first.end() : last.start()]
            if between.strip() not in {"", *(f"{c}." for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ")}:
                continue
            if f"{first.group(0)} {last.group(0)}".lower() in known_names:
                continue
            yield run.start() + first.start(), run.start() + last.end()


def find_identifying_details(text: str, known_names: Iterable[str] = ()) -> list[Finding]:
    """Things in `text` that look like they identify a young person or family.

    `known_names` are people of the collaborative (staff, team members): their names beside a
    date are meeting notes, not a youth's record.
    """
    if not text:
        return []
    known = frozenset(" ".join(n.lower().split()[-2:]) for n in known_names if n)
    found: list[Finding] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, snippet: str) -> None:
        snippet = " ".join(snippet.split())
        if (kind, snippet) not in seen:
            seen.add((kind, snippet))
            found.append(Finding(kind, snippet))

    for m in _DOB_RE.finditer(text):
        add("date_of_birth", m.group(0))
    for m in _CASE_RE.finditer(text):
        add("case_number", m.group(0))
    dates = [(m.start(), m.end()) for m in _DATE_RE.finditer(text)]
    ages = [(m.start(), m.end()) for m in _AGE_RE.finditer(text)]
    for name_start, name_end in _names(text, known):
        for kind, spans in (("name_with_date", dates), ("name_with_age", ages)):
            for start, end in spans:
                if name_end <= start <= name_end + 40 or name_start - 40 <= end <= name_start:
                    add(kind, text[min(name_start, start) : max(name_end, end)])
                    break
    order = {"date_of_birth": 0, "case_number": 1, "name_with_date": 2, "name_with_age": 3}
    return sorted(found, key=lambda f: order[f.kind])


class IdentifyingDetailsCheck(forms.Form):
    """Mix into a form: checks `privacy_fields` and asks the author to edit or confirm.

    The form gets `privacy_findings` (shown beside the confirmation box) when it is invalid for
    this reason. Pass `known_names=` to the form to skip the collaborative's own people.
    """

    privacy_fields: tuple[str, ...] = ("body",)
    # Hidden until the check finds something; then shown as a box the author may tick.
    confirm_no_identifying_details = forms.BooleanField(
        required=False,
        widget=forms.HiddenInput,
        label="I have checked: this names no young person or family and holds no case number "
        "or date of birth.",
    )

    def __init__(self, *args, known_names: Iterable[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        # The confirmation box comes after the text it is about.
        self.fields["confirm_no_identifying_details"] = self.fields.pop(
            "confirm_no_identifying_details"
        )
        self.known_names = list(known_names)
        self.privacy_findings: list[Finding] = []

    def clean(self):
        cleaned = super().clean()
        findings: list[Finding] = []
        for name in self.privacy_fields:
            findings += find_identifying_details(cleaned.get(name) or "", self.known_names)
        if findings and not cleaned.get("confirm_no_identifying_details"):
            self.privacy_findings = findings
            self.fields["confirm_no_identifying_details"].widget = forms.CheckboxInput()
            raise forms.ValidationError(
                [
                    "This text may identify a young person or family. Remove the details below, "
                    "or tick the box to confirm that they are not about a young person or family.",
                    *(f.message for f in findings),
                ],
                code="identifying_details",
            )
        return cleaned
