"""Documentation traits (CommonMark or, in AWS models, HTML) to docstring text."""

from __future__ import annotations

import re
import textwrap
from functools import lru_cache
from html.parser import HTMLParser
from typing import Final

_BLOCK_TAGS: Final = frozenset(
    {"p", "div", "ul", "ol", "dl", "dt", "dd", "note", "important", "br", "h1", "h2"}
    | {"h3", "h4", "h5", "h6", "title", "fullname", "table", "tr", "pre"}
)
_CODE_TAGS: Final = frozenset({"code", "tt"})


class _TextExtractor(HTMLParser):
    """Collects paragraphs of plain text; ``<li>`` become ``- `` items."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._current: list[str] = []
        self._links: list[str | None] = []
        self._list_depth = 0

    def _flush(self) -> None:
        joined = "".join(self._current)
        if joined.strip() == "-":
            return  # a list item's bullet waits for the paragraph inside it
        text = re.sub(r"\s+", " ", joined).strip()
        text = re.sub(r"\)\s+([.,;:])", r")\1", text)
        if text:
            self.paragraphs.append(text)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self._flush()
        elif tag == "li":
            self._flush()
            self._current.append("  " * max(self._list_depth - 1, 0) + "- ")
        elif tag in _CODE_TAGS:
            self._current.append("``")
        elif tag == "a":
            self._links.append(dict(attrs).get("href"))
        if tag in {"ul", "ol"}:
            self._list_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _CODE_TAGS:
            self._current.append("``")
        elif tag == "a":
            href = self._links.pop() if self._links else None
            if href and href.startswith("http"):
                self._current.append(f" ({href})")
        elif tag in _BLOCK_TAGS or tag == "li":
            self._flush()
        if tag in {"ul", "ol"}:
            self._list_depth = max(self._list_depth - 1, 0)

    def handle_data(self, data: str) -> None:
        self._current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


@lru_cache(maxsize=4096)
def _paragraphs(documentation: str) -> tuple[str, ...]:
    if "<" not in documentation and "&" not in documentation:
        # Plain text or CommonMark (IDL doc comments): paragraphs as written,
        # each list item a paragraph of its own.
        blocks = re.split(r"\n\s*\n", documentation)
        return tuple(
            p
            for block in blocks
            for item in _list_items(block)
            if (p := _collapse(item))
        )
    parser = _TextExtractor()
    parser.feed(documentation)
    parser.close()
    # ``` `` ``` pairs around nothing come from empty <code/> elements.
    return tuple(p.replace("````", "") for p in parser.paragraphs)


# A CommonMark list item's first line: its indent and its marker ("-", "*",
# "+", "1." or "1)").
_LIST_MARKER: Final = re.compile(r"^(\s*)([-*+]|\d{1,9}[.)])\s+")
# A paragraph that is a list item, as the paragraph functions write it.
_ITEM: Final = re.compile(r"(\s*(?:- |\d{1,9}[.)] ))")


def _list_items(block: str) -> list[str]:
    """A block split before each line that starts a list item.

    The item keeps its marker (bullets become ``- ``) and is indented two
    spaces per nesting level, as the HTML path writes ``<li>``; lines without
    a marker continue the item (or paragraph) before them.
    """
    items: list[str] = []
    for line in block.split("\n"):
        marker = _LIST_MARKER.match(line)
        if marker is None:
            if items:
                items[-1] += "\n" + line
            else:
                items.append(line)
            continue
        bullet = "-" if marker.group(2) in "-*+" else marker.group(2)
        depth = len(marker.group(1).expandtabs(4)) // 2
        items.append("\u0000" * depth + f"{bullet} " + line[marker.end() :])
    return items


def _collapse(text: str) -> str:
    """One paragraph's whitespace collapsed; a list item's indent kept."""
    depth = len(text) - len(text.lstrip("\u0000"))
    collapsed = re.sub(r"\s+", " ", text.lstrip("\u0000")).strip()
    return "  " * depth + collapsed if collapsed else ""


def to_paragraphs(documentation: str) -> list[str]:
    """The documentation as paragraphs of plain text, HTML tags removed."""
    return list(_paragraphs(documentation))


def docstring(documentation: str | None, indent: str, *, extra: str = "") -> str:
    """A complete docstring literal (with quotes), wrapped for ``indent``.

    ``extra`` is appended as already formatted text (e.g. an ``Args:`` block).
    Returns ``""`` when there is nothing to say.
    """
    paragraphs = to_paragraphs(documentation) if documentation else []
    # Three fewer columns: the first line also carries the opening quotes.
    width = max(88 - len(indent) - 3, 40)
    text = ""
    previous_was_item = False
    for paragraph in paragraphs:
        item = _ITEM.match(paragraph)
        prefix = " " * len(item.group(1)) if item else ""
        block = "\n".join(
            textwrap.wrap(
                paragraph,
                width=width,
                subsequent_indent=prefix,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
        # Items of one list stay together, as a reader writes a list.
        separator = "\n" if item and previous_was_item else "\n\n"
        text = f"{text}{separator}{block}" if text else block
        previous_was_item = item is not None
    if extra:
        text = f"{text}\n\n{extra}" if text else extra
    if not text:
        return ""
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    lines = text.split("\n")
    if len(lines) == 1:
        # A closing quote of the text would merge with the docstring's quotes.
        line = f"{lines[0]} " if lines[0].endswith('"') else lines[0]
        return f'{indent}"""{line}"""\n'
    body = "\n".join(f"{indent}{line}" if line else "" for line in lines[1:])
    return f'{indent}"""{lines[0]}\n{body}\n{indent}"""\n'


def summary(documentation: str | None) -> str:
    """The first paragraph of the documentation, as one line of text."""
    paragraphs = to_paragraphs(documentation) if documentation else []
    return paragraphs[0] if paragraphs else ""
