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


def test_commonmark_list_items_stay_list_items() -> None:
    # The model's DescribeInventoryDeletions documentation: a list whose
    # items continue on indented lines.
    text = (
        "Its acceptors:\n\n"
        "- success when all equal `Complete` (an empty list\n"
        "  keeps the waiter polling);\n"
        "- retry on `InvalidDeletionIdException`;\n"
        "  * nested, with a star\n"
        "1. numbered\n"
        "\nAfter the list."
    )
    assert to_paragraphs(text) == [
        "Its acceptors:",
        "- success when all equal `Complete` (an empty list keeps the waiter polling);",
        "- retry on `InvalidDeletionIdException`;",
        "  - nested, with a star",
        "1. numbered",
        "After the list.",
    ]
    assert docstring(text, "") == (
        '"""Its acceptors:\n\n'
        "- success when all equal `Complete` (an empty list keeps the waiter polling);\n"
        "- retry on `InvalidDeletionIdException`;\n"
        "  - nested, with a star\n"
        "1. numbered\n\n"
        'After the list.\n"""\n'
    )


def test_the_generated_waiter_notes_keep_their_list() -> None:
    from ssm_inventory import SSMClient

    doc = SSMClient.describe_inventory_deletions.__doc__ or ""
    lines = [line.strip() for line in doc.splitlines()]
    starts = [line.split(" ", 2)[:2] for line in lines if line.startswith("- ")]
    assert starts[:3] == [["-", "success"], ["-", "retry"], ["-", "any"]]
    assert "polling); - retry" not in doc
