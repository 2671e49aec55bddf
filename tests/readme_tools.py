"""Reading the README's sections and code blocks, for the tests that keep them true."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def section(title: str) -> str:
    """The README's ``## title`` section, up to the next ``## `` heading."""
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end >= 0 else len(text)]


def python_blocks(title: str) -> list[str]:
    """The ```python blocks of the README's ``## title`` section, in order."""
    return re.findall(r"```python\n(.*?)```", section(title), re.S)
