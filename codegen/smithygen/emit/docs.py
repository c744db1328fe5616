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
        # Plain text or CommonMark (IDL doc comments): paragraphs as written.
        blocks = re.split(r"\n\s*\n", documentation)
        return tuple(p for b in blocks if (p := re.sub(r"\s+", " ", b).strip()))
    parser = _TextExtractor()
    parser.feed(documentation)
    parser.close()
    # ``` `` ``` pairs around nothing come from empty <code/> elements.
    return tuple(p.replace("````", "") for p in parser.paragraphs)


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
    blocks = []
    for paragraph in paragraphs:
        item = re.match(r"(\s*- )", paragraph)
        prefix = " " * len(item.group(1)) if item else ""
        blocks.append(
            "\n".join(
                textwrap.wrap(
                    paragraph,
                    width=width,
                    subsequent_indent=prefix,
                    break_long_words=False,
                    break_on_hyphens=False,
                )
            )
        )
    text = "\n\n".join(blocks)
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
