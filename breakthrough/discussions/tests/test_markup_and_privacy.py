"""The safe Markdown subset and the identifying-details check (BRIEF §8)."""

from __future__ import annotations

import pytest

from breakthrough.discussions.markup import mentioned_usernames, plain_text, render_markdown
from breakthrough.discussions.privacy import find_identifying_details


@pytest.mark.parametrize(
    "source,expected",
    [
        ("**bold** and *italic*", "<p><strong>bold</strong> and <em>italic</em></p>"),
        ("- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
        ("# Big heading", "<h3>Big heading</h3>"),
        ("<b>raw</b>", "<p>&lt;b&gt;raw&lt;/b&gt;</p>"),
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
        ("[x](javascript:alert(1))", '<p><a rel="nofollow noopener noreferrer">x</a></p>'),
        ("![img](https://example.org/a.png)", "<p></p>"),
        (
            "[ok](https://example.org)",
            '<p><a href="https://example.org" rel="nofollow noopener noreferrer">ok</a></p>',
        ),
        ('<a href="x" onclick="y">z</a>', '<p>&lt;a href="x" onclick="y"&gt;z&lt;/a&gt;</p>'),
    ],
)
def test_safe_markdown(source, expected):
    assert render_markdown(source) == expected


def test_mentions_are_found_and_marked_outside_tags():
    text = "Ask @bw-data and @Coach, not mail@example.org or [@x](https://e.org/@bw-data)"
    assert mentioned_usernames(text) == ["bw-data", "coach", "x"]
    html = render_markdown(text, ["bw-data", "coach"])
    assert "<strong>@bw-data</strong>" in html and "<strong>@Coach</strong>" in html
    assert 'href="https://e.org/@bw-data"' in html
    assert "mail@example.org" in html


def test_plain_text_for_e_mails():
    assert plain_text("**Hi** &amp; <b>x</b>\n\n- a\n- b") == "Hi & <b>x</b>\n\n- a\n- b"
    assert plain_text("word " * 100, limit=30).endswith("…")


@pytest.mark.parametrize(
    "text,kinds",
    [
        ("DOB 03/14/1994", ["date_of_birth"]),
        ("born on March 3, 1995", ["date_of_birth"]),
        ("d.o.b.: 1994-02-02", ["date_of_birth"]),
        ("case #2008-4471", ["case_number"]),
        ("docket no. JV-08-1123", ["case_number"]),
        ("filed as 08-JV-1234", ["case_number"]),
        ("Met Jamie Rivera on 03/14/2009", ["name_with_date"]),
        ("Tanya Brooks, 15, was detained", ["name_with_age"]),
        ("Jamie R. Rivera (14) came", ["name_with_age"]),
        ("Our intake team met twice in March.", []),
        ("Learning Session 1 on 10/29/2008", []),
        ("Brightwater County started on 11/1/2008", []),
        ("the case plan is signed; case management took 3 weeks", []),
        ("3 of 5 teams (60%) reported in 2009", []),
    ],
)
def test_identifying_details(text, kinds):
    assert [f.kind for f in find_identifying_details(text)] == kinds


def test_known_people_next_to_dates_are_fine():
    text = "Helen Marsh presents on 10/29/2008"
    assert find_identifying_details(text)[0].kind == "name_with_date"
    assert find_identifying_details(text, ["Helen Marsh"]) == []
    assert find_identifying_details(text, ["Dr. Helen Marsh"]) == []
