"""Documentation traits to docstrings."""

from __future__ import annotations

import ast

from smithygen.emit.docs import docstring, to_paragraphs


def test_html_becomes_paragraphs_code_links_and_items() -> None:
    html = (
        "<p>Use <code>DeleteInventory</code> first.</p>\n<ul><li><p>one</p></li>"
        '<li>two, see <a href="https://example.com/x">the guide</a>.</li></ul>'
    )
    assert to_paragraphs(html) == [
        "Use ``DeleteInventory`` first.",
        "- one",
        "- two, see the guide (https://example.com/x).",
    ]


def test_plain_text_and_commonmark_pass_through() -> None:
    assert to_paragraphs("Starts a `deletion`.") == ["Starts a `deletion`."]


def test_docstring_is_a_valid_literal_even_with_quotes_and_backslashes() -> None:
    text = docstring('<p>Say """hi""" with a \\ backslash and end "quoted"</p>', "")
    value = ast.literal_eval(text.strip())
    assert value.startswith('Say """hi""" with a \\ backslash')


def test_long_paragraphs_wrap_within_the_line_length() -> None:
    text = docstring("<p>" + "word " * 60 + "</p>", "        ")
    assert all(len(line) <= 88 for line in text.splitlines())


def test_empty_documentation_gives_no_docstring() -> None:
    assert docstring(None, "    ") == ""
    assert docstring("<p></p>", "    ") == ""
