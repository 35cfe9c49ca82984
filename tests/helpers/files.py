"""The course's files as the tests edit them: the data folder's CSV files, the question banks, the notebooks."""

from __future__ import annotations

import ast
import csv
import json
import shutil
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
DATA = REPO / "data"
NOTEBOOKS = REPO / "notebooks"


def csv_rows(path: Path) -> list[list[str]]:
    """The rows of a CSV file, header first, as a spreadsheet would read them."""
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_csv_rows(path: Path, rows: list[list[str]]) -> None:
    """Write the rows (header first) as a CSV file."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Change one cell of a CSV file; ``row`` counts as a spreadsheet does (the header is row 1)."""
    rows = csv_rows(path)
    rows[row - 1][rows[0].index(column)] = value
    write_csv_rows(path, rows)


def cell_edit(file: str, row: int, column: str, value: str) -> Callable[[Path], None]:
    """Change one cell; `row` counts as a spreadsheet does (the header is row 1)."""
    def mutate(data: Path) -> None:
        set_cell(data / file, row, column, value)
    return mutate


def append_rows(path: Path, *rows: str) -> None:
    """Add lines to a CSV file of a data copy, as an instructor editing it would."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write("".join(row + "\n" for row in rows))


def add_chief_data_officer(folder: Path) -> Path:
    """Add a Chief Data Officer to a data copy by editing its CSV files only, as the README tells.

    The CDO brings words of its own into the vocabulary (a goal "data value", an area "data
    governance", a degree field with markup in it), and texts that look like HTML.
    """
    append_rows(folder / "vocabulary.csv",
                "goal,data value,Getting value for the organisation out of its data.",
                "area,data governance,Deciding who may use which data and how.",
                "field,statistics & <data> science,Statistics and data science.")
    append_rows(folder / "sources.csv", "instructor,instructor,Our programme's notes,Course team,Our school,,")
    append_rows(folder / "roles.csv",
                'CDO,Chief Data <Officer> & Co,compared,"Makes the organisation\'s data useful.",instructor')
    append_rows(folder / "focus.csv",
                "F-CDO-1,CDO,enable,data value,core,Turns data into value.,instructor",
                "F-CDO-2,CDO,enable,business growth,core,Puts data behind growth.,instructor",
                "F-CDO-3,CDO,protect,data protection,secondary,Keeps an eye on data safety.,instructor")
    append_rows(folder / "responsibilities.csv",
                "R-CDO-01,CDO,data governance,Decides who may use which data.,instructor",
                "R-CDO-02,CDO,data governance,<script>alert(1)</script> & more.,instructor",
                "R-CDO-03,CDO,strategy,Helps set the strategy.,instructor")
    append_rows(folder / "education.csv",
                "E-CDO-1,CDO,degree,statistics & <data> science,often,Often studied it.,instructor",
                "E-CDO-2,CDO,degree,information technology,sometimes,Sometimes studied IT.,instructor")
    append_rows(folder / "role_certifications.csv", "C-CDO-CGEIT,CDO,CGEIT,beneficial,Useful.,instructor")
    append_rows(folder / "reporting_lines.csv",
                "L-CDO-CEO,CDO,CEO,typical,A CDO may report to the CEO.,instructor",
                "L-CDO-CIO,CDO,CIO,possible,A CDO may <b>report</b> to the CIO.,instructor")
    return folder


def copy_data(folder: Path) -> Path:
    """A fresh copy of the shipped data/ (question banks included) in ``folder``/my_data, to edit."""
    target = folder / "my_data"
    shutil.copytree(DATA, target)
    return target


def variant_data(folder: Path) -> Path:
    """A data copy whose 01_focus bank is tests/fixtures/variants_bank.yaml: variants for every kind."""
    target = copy_data(folder)
    shutil.copy(REPO / "tests" / "fixtures" / "variants_bank.yaml", target / "questions" / "01_focus.yaml")
    return target


def lesson_notebook(slug: str) -> dict:
    """A lesson notebook of notebooks/, as JSON."""
    return json.loads((NOTEBOOKS / f"{slug}.ipynb").read_text(encoding="utf-8"))


def rolelib_calls(notebook: dict, name: str) -> list[str]:
    """First string argument of every call to rolelib.<name>(...) in the code cells, in order."""
    found = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse("".join(cell["source"]))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == name
                    and node.args and isinstance(node.args[0], ast.Constant)):
                found.append(node.args[0].value)
    return found


# A question of a kind that only tests define ("truefalse": answer true or false), for the bank of 01_focus.
TRUE_FALSE_ENTRY = """
  - id: tf-1
    kind: truefalse
    topic: focus
    level: remember
    prompt: A CISO's focus is growing the business with new technology.
    answer: false
    feedback:
      "True": Growing the business with technology is the CIO's focus; the CISO protects.
    hints: [Think of the word "security" in the title.]
    explanation: The CISO's focus is protection; growth is the CIO's.
    source: article
"""


def edit_bank(folder: Path, change) -> None:
    """Edit the 01_focus bank of a data copy: ``change`` gets its questions by id and changes them in place."""
    import yaml

    path = folder / "questions" / "01_focus.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change({question["id"]: question for question in document["questions"]})
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
