"""Export files: safe to open in a spreadsheet, read back after a spreadsheet saved them, named so none collide,
and read with bounds no file can get past."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from rolelib._files import UnreadableFile, read_bounded
from rolelib._spreadsheet import csv_text, neutralised, restored
from rolelib.progress import Attempt, ExportError, parse_export, write_export
from rolelib.progress.export import MAX_DEPTH, export_filename, new_export

WHEN = datetime(2025, 3, 3, 12, 0, tzinfo=timezone.utc)
FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]
SEPARATORS = [",", ";", "\t", "\n", "\r"]
RISKY = ([f"{start}1+1" for start in FORMULA_STARTS]
         + [f"Bob{separator}{start}1+1" for separator in SEPARATORS for start in FORMULA_STARTS])


def _attempts(reflection: str = "Both matter.") -> list[Attempt]:
    return [Attempt("focus-1", "01_focus", "focus", "single", "Driving technology innovation", True, 1.0, 0,
                    "2025-03-03T10:00:00.000+00:00"),
            Attempt("focus-2", "01_focus", "focus", "multiple", ["Risk", "Data"], False, 0.4, 1,
                    "2025-03-03T10:01:00.000+00:00"),
            Attempt("start-3", "00_start_here", "roles", "reflect", reflection, None, 0.0, 0,
                    "2025-03-03T10:02:00.000+00:00")]


# -- neutralising a cell ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", RISKY, ids=[repr(text) for text in RISKY])
def test_every_cell_a_spreadsheet_could_run_starts_with_an_apostrophe_and_comes_back_whole(text):
    assert neutralised(text) == "'" + text
    assert restored(neutralised(text)) == text


@pytest.mark.parametrize("text", ["Ada", "1+1", "a=b", "x - y", "e@mail", "", "'", "''=", "Bob; ok", "2025-03-03"])
def test_a_harmless_cell_is_kept_and_any_text_comes_back_whole(text):
    assert restored(neutralised(text)) == text
    if not text.startswith("'"):
        assert neutralised(text) == text


def test_csv_text_quotes_every_field_and_keeps_numbers_numbers():
    text = csv_text(["name", "n", "x"], [["=1", 3, 0.5], ["ok", -2, None]])
    assert text == '"name","n","x"\n"\'=1","3","0.5"\n"ok","-2",""\n'


# -- the CSV export --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*RISKY, "Ada\rLovelace", "Ada\nLovelace", "Ada\r\nLovelace", "'Ada", "Zoë \"Z\""],
                         ids=[repr(name) for name in [*RISKY, "Ada\rLovelace", "Ada\nLovelace", "Ada\r\nLovelace",
                                                      "'Ada", "Zoë \"Z\""]])
def test_any_name_and_answer_round_trip_through_a_csv_export(tmp_path, name):
    export = new_export(name, _attempts(reflection=name), account=name, exported_at=WHEN)
    path = write_export(tmp_path / "p.csv", export)
    back = parse_export(path)
    assert (back.learner, back.account) == (name.strip(), name.strip())
    assert [attempt.answer for attempt in back.attempts] == [attempt.answer for attempt in export.attempts]


def test_a_csv_export_quotes_every_field_and_neutralises_formula_cells(tmp_path):
    path = write_export(tmp_path / "p.csv", new_export("=HYPERLINK(1)", _attempts("ok;=1+1"), account="-a",
                                                       exported_at=WHEN))
    text = path.read_text(encoding="utf-8")
    assert re.fullmatch(r'(?:"(?:[^"]|"")*"[,\n])*', text), "every field quoted"
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1][:2] == ["'=HYPERLINK(1)", "'-a"]
    assert rows[3][rows[0].index("answer")] == "'\"ok;=1+1\"", "the answer cell, JSON-encoded, neutralised too"


def _as_a_spreadsheet_saves_it(path: Path, *, separator: str, encoding: str) -> None:
    """Open a CSV export and save it again as Excel does: a byte order mark (UTF-8), CRLF line ends,
    ``separator`` between cells, quotes only where needed, TRUE/FALSE, a decimal comma with semicolons."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    header, body = rows[0], rows[1:]
    for row in body:
        row[header.index("correct")] = row[header.index("correct")].upper()
        if separator == ";":
            row[header.index("score")] = row[header.index("score")].replace(".", ",")
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=separator, lineterminator="\r\n").writerows([header, *body])
    path.write_bytes(("\ufeff" if encoding == "utf-8" else "").encode(encoding) + buffer.getvalue().encode(encoding))


@pytest.mark.parametrize("separator", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_a_csv_export_a_spreadsheet_opened_and_saved_again_is_still_read(tmp_path, separator, encoding):
    original = new_export("Zoë Ångström", _attempts("Déjà vu; =no formula"), account="zoe", exported_at=WHEN)
    path = write_export(tmp_path / "zoe.csv", original)
    _as_a_spreadsheet_saves_it(path, separator=separator, encoding=encoding)
    back = parse_export(path)
    assert (back.learner, back.account, back.exported_at) == ("Zoë Ångström", "zoe", original.exported_at)
    assert back.attempts == original.attempts


def test_a_file_that_is_neither_utf8_nor_an_export_in_windows_1252_says_it_is_not_utf8(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_bytes("naïve,notes\n".encode("cp1252"))
    with pytest.raises(ExportError, match=r"it is not UTF-8 text \(byte 2 cannot be decoded\)"):
        parse_export(path)


# -- reading within bounds -------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["the document", "an answer"])
def test_json_nested_past_the_limit_is_refused(tmp_path, where):
    path = tmp_path / "deep.json"
    attempt = Attempt("focus-1", "01_focus", "focus", "single", "CIO", True, 1.0, 0)
    document = json.loads(write_export(path, new_export("Ada", [attempt])).read_text(encoding="utf-8"))
    deep: list = []  # nests 1 deep
    for _ in range(MAX_DEPTH):
        deep = [deep]  # MAX_DEPTH + 1 deep at the end
    if where == "the document":
        document["x"] = deep  # with the document around it: MAX_DEPTH + 2
    else:
        document["attempts"][0]["answer"] = deep[0][0][0]  # MAX_DEPTH - 2 deep, under 3 levels: MAX_DEPTH + 1
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ExportError, match=f"nests lists or objects more than {MAX_DEPTH} deep"):
        parse_export(path)


def test_brackets_inside_texts_do_not_count_as_nesting(tmp_path):
    reflection = "[" * 500 + "{" * 500 + '\\"]'
    path = write_export(tmp_path / "p.json", new_export("Ada", _attempts(reflection), exported_at=WHEN))
    assert parse_export(path).attempts[2].answer == reflection


def test_a_number_too_long_to_be_real_is_read_without_an_error(tmp_path):
    path = write_export(tmp_path / "p.json", new_export("Ada", _attempts(), exported_at=WHEN))
    path.write_text(path.read_text(encoding="utf-8").replace('"hints_used": 1', '"hints_used": ' + "7" * 5000))
    assert parse_export(path).attempts[1].hints_used > 10**20


def test_a_file_that_grows_past_the_limit_while_it_is_read_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "growing.json"
    path.write_bytes(b"x" * 5000)
    real_fstat = os.fstat

    def small_at_first(descriptor):  # the file was small when looked at, then grew
        status = real_fstat(descriptor)
        return os.stat_result((status.st_mode, *status[1:6], 10, *status[7:]))

    monkeypatch.setattr(os, "fstat", small_at_first)
    with pytest.raises(UnreadableFile, match="larger than the limit of 1000 bytes"):
        read_bounded(path, 1000)
    assert len(read_bounded(path, 5000)) == 5000


def test_only_a_regular_file_is_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe.json")
    (tmp_path / "gone.json").symlink_to(tmp_path / "nothing.json")
    (tmp_path / "folder.json").mkdir()
    reasons = {}
    for name in ("pipe.json", "gone.json", "folder.json"):
        with pytest.raises(ExportError) as error:
            parse_export(tmp_path / name)
        reasons[name] = error.value.reason
    assert reasons == {"pipe.json": "it is a named pipe (FIFO), not a regular file, so it was not read",
                       "gone.json": "it is a link to a file that does not exist",
                       "folder.json": "it is a folder, not a regular file, so it was not read"}


# -- names -----------------------------------------------------------------------------------------

NAMES = ["Ada Lovelace", "ada lovelace", "a/b", "a\x00b", "a\\b", "\U0001F600", "\U0001F601", "...", "..", "CON",
         "nul", "aux.txt", "Zoë", "Zoe", "Grace\rHopper", "Grace\nHopper", "x" * 300, "é" * 200, "<>:\"|?*"]


def test_export_file_names_are_short_safe_everywhere_and_one_per_exact_name():
    names = [export_filename(name, ".csv") for name in NAMES]
    assert len(set(names)) == len(NAMES), "two names never share a file"
    for name in names:
        assert re.fullmatch(r"progress-[a-z0-9]+(?:-[a-z0-9]+)*-[0-9a-f]{10}\.csv", name), name
        assert len(name) <= 65
    assert export_filename("Ada Lovelace") == export_filename("Ada Lovelace"), "the same learner, the same file"
    assert export_filename("Ada Lovelace").startswith("progress-ada-lovelace-")


def test_a_name_that_cannot_be_saved_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="cannot be saved"):
        new_export("Ada \ud800", [])
    with pytest.raises(ValueError, match="at most 200 characters"):
        new_export("A" * 201, [])
    assert json.dumps(new_export("A" * 200, [], exported_at=WHEN).learner)


@pytest.mark.parametrize("name", ["p.json", "p.csv"])
def test_an_answer_holding_a_lone_surrogate_is_exported_and_read_back_exactly(tmp_path, name):
    export = new_export("Ada", _attempts(reflection="broken \ud83d emoji"), exported_at=WHEN)
    back = parse_export(write_export(tmp_path / name, export))
    assert back.attempts[2].answer == "broken \ud83d emoji"


# -- the one-pass readers and the careful ones ---------------------------------------------------


def _read(path: Path) -> tuple[str, object]:
    """What reading a file gives: ("read", the export) or ("refused", the reason)."""
    try:
        return "read", parse_export(path)
    except ExportError as exc:
        return "refused", exc.reason


def _read_carefully(path: Path, monkeypatch) -> tuple[str, object]:
    """The same, with the one-pass readers standing aside (as for a file they do not take)."""
    from rolelib.progress import _parsing

    with monkeypatch.context() as patched:
        patched.setattr(_parsing, "course_json", lambda path, text: None)
        patched.setattr(_parsing, "course_csv", lambda path, text: None)
        return _read(path)


EDITS = {  # a file as the course writes it, edited by hand: (file, text replaced, replacement)
    "version 4.0": ("p.json", '"version": 4', '"version": 4.0'),
    "version 4e0": ("p.json", '"version": 4', '"version": 4e0'),
    "order holding a number too long to be real": ("p.csv", '"[]"', '"[' + "9" * 5000 + ']"'),
    "answer holding a number too long to be real": ("p.csv", '"""Driving technology innovation"""',
                                                    '"' + "9" * 5000 + '"'),
}


@pytest.mark.parametrize("edit", EDITS)
def test_the_one_pass_and_the_careful_readers_accept_and_refuse_the_same_files(tmp_path, monkeypatch, edit):
    name, old, new = EDITS[edit]
    path = write_export(tmp_path / name, new_export("Ada", _attempts(), exported_at=WHEN))
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert _read(path) == _read_carefully(path, monkeypatch)


def test_an_order_holding_a_number_too_long_to_be_real_is_refused_with_the_reason(tmp_path):
    path = write_export(tmp_path / "p.csv", new_export("Ada", _attempts(), exported_at=WHEN))
    path.write_text(path.read_text(encoding="utf-8").replace('"[]"', '"[' + "9" * 5000 + ']"', 1), encoding="utf-8")
    with pytest.raises(ExportError, match="line 2: order should be a list of option or item names"):
        parse_export(path)
