"""Generated notebook cells: navigation links and the source line, rewritten from LESSONS and the data.

Each lesson notebook holds markdown cells marked in their metadata as
``{"rolelib": {"generated": "navigation"}}`` or ``{"rolelib": {"generated": "source"}}``.
``update_notebooks()`` rewrites them in place, so the links always follow the one
list of lessons in :mod:`rolelib.lessons` and nobody edits them by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

from rolelib._errors import UnknownNameError
from rolelib.lessons import LESSONS, lesson

MAP_LINK = "00_start_here.ipynb#Course-map"


def navigation_markdown(slug: str) -> str:
    """The previous / course map / next line of one lesson, as Markdown.

    >>> print(navigation_markdown("01_focus"))
    [← Previous: Start here: three chiefs, three jobs](00_start_here.ipynb) | [Course map](00_start_here.ipynb#Course-map) | [Next: Difference 2: responsibilities →](02_responsibilities.ipynb)
    """
    position = LESSONS.index(lesson(slug))
    parts = []
    if position > 0:
        before = LESSONS[position - 1]
        parts.append(f"[← Previous: {before.title}]({before.filename})")
    parts.append(f"[Course map]({MAP_LINK})")
    if position < len(LESSONS) - 1:
        after = LESSONS[position + 1]
        parts.append(f"[Next: {after.title} →]({after.filename})")
    else:
        parts.append("You have reached the end of the course.")
    return " | ".join(parts)


def source_markdown() -> str:
    """The source line every lesson ends with, from data/sources.csv.

    >>> source_markdown().startswith("**Source.**")
    True
    """
    from rolelib.data import load

    return ("**Source.** " + load().citation() + " The course restates the article's facts in its own words; "
            "certification issuers come from the issuing bodies (see `data/sources.csv`).")


def generated_text(part: str, slug: str) -> str:
    """The text of one generated cell of a lesson: ``part`` is "navigation" or "source"."""
    if part == "navigation":
        return navigation_markdown(slug)
    if part == "source":
        return source_markdown()
    raise UnknownNameError("generated cell", part, ["navigation", "source"])


def update_notebooks(notebooks_dir: str | Path, *, check: bool = False) -> list[str]:
    """Rewrite the generated cells of every lesson notebook; return the names of those that changed.

    With ``check=True`` nothing is written: the result lists the notebooks that are out of date.
    A notebook that cannot be read as one (a merge conflict left in it, say) raises ValueError naming it.
    """
    changed = []
    for item in LESSONS:
        path = Path(notebooks_dir) / item.filename
        if not path.exists():
            continue
        notebook = _read_notebook(path)
        dirty = False
        for cell in notebook["cells"]:
            part = cell.get("metadata", {}).get("rolelib", {}).get("generated")
            if part is None:
                continue
            try:
                text = generated_text(part, item.slug)
            except ValueError as exc:
                raise ValueError(f"{path}: {exc} in the cell's metadata (rolelib: generated:)") from None
            if "".join(cell["source"]) != text:
                cell["source"] = text
                dirty = True
        if dirty:
            changed.append(item.filename)
            if not check:
                path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return changed


def _read_notebook(path: Path) -> dict:
    """A lesson notebook's JSON, or ValueError naming the file and what to do."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(notebook, dict) and isinstance(notebook.get("cells"), list) and all(
                isinstance(cell, dict) for cell in notebook["cells"]):
            return notebook
        problem = "it holds no list of cells"
    except ValueError as exc:  # not JSON, or not UTF-8
        problem = str(exc)
    raise ValueError(f"{path} is not a notebook this command can read ({problem}); was a merge conflict left in it? "
                     "Restore it, or open and save it in Jupyter, then run the command again")
