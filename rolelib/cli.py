"""The ``rolelib`` command: tools for instructors who edit the data or collect learners' progress.

    rolelib validate [DATA_DIR]           check a data folder (tables and question banks)
    rolelib report EXPORTS... [--out DIR] [--data DATA_DIR] [--max-size SIZE] [--lms canvas|moodle]
                                          the class report from learners' progress exports
    rolelib qti [--data DIR] [--out FILE] the banks as a quiz for Canvas (QTI) and Moodle (XML)
    rolelib navigation [--check]          rewrite (or check) the lessons' generated navigation cells

Every command returns an exit status: 0 when all is well, 1 when there is a problem
to fix, 2 when the command line itself is wrong.

>>> main(["validate"])  # doctest: +ELLIPSIS
All is well: 12 tables and ... questions (and ... variants) checked in the course's own data.
0
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from rolelib import __version__
from rolelib._errors import DataError
from rolelib._terminal import visible

if TYPE_CHECKING:
    from rolelib.data import CourseData
    from rolelib.instructor.report import ClassReport


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (by default the program's arguments); return the exit status.

    >>> main(["--version"])  # doctest: +ELLIPSIS
    rolelib ...
    0
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version or a usage error: argparse has printed why
        return stop.code if isinstance(stop.code, int) else 2
    return args.run(args)


class _Parser(argparse.ArgumentParser):
    """argparse's parser (and its subcommands'), whose errors show control characters in what was typed as escapes:
    a handed-in file's name, globbed onto the command line, is repeated in 'unrecognized arguments'."""

    def error(self, message: str) -> NoReturn:
        super().error(visible(message))


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="rolelib", description="Tools for instructors of the CIO vs CISO course.",
        epilog="Run 'rolelib COMMAND --help' for the options of one command.")
    parser.add_argument("--version", action="version", version=f"rolelib {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    validate = commands.add_parser(
        "validate", help="check a data folder (tables and question banks) and list every problem",
        description="Check a copy of the course data: every table and every question bank. Prints each "
                    "problem with its file, row or question id, column or field, the value found and what "
                    "was expected. Exit status 0 when all is well, 1 when there is a problem.")
    validate.add_argument("data_dir", nargs="?", metavar="DATA_DIR",
                          help="the folder to check (a copy of data/); by default the course's own data")
    validate.set_defaults(run=_validate)

    report = commands.add_parser(
        "report", help="build the class report from learners' progress exports",
        description="Read learners' progress exports (.json or .csv files, or folders of them), grade every "
                    "answer again with the question banks, and write gradebook.csv, questions.csv, "
                    "distractors.csv, mastery.csv, needs_a_look.csv, skipped.csv and gradebook.xlsx. A file that cannot be "
                    "used is listed with the reason and skipped; what an instructor should judge (a learner "
                    "who handed in twice, one name from several accounts, a date in the future, question "
                    "ids the course does not have) is listed under 'needs a look'. Exit status 0 when at "
                    "least one export was read, 1 when none was or the files cannot be written.")
    report.add_argument("exports", nargs="+", metavar="EXPORTS", help="export files and/or folders of them")
    report.add_argument("--out", default="class_report", metavar="DIR",
                        help="the folder to write the files to (default: class_report)")
    report.add_argument("--data", metavar="DATA_DIR",
                        help="the data folder the class used, if not the course's own data")
    report.add_argument("--max-size", type=_size, metavar="SIZE",
                        help="the largest export file to read, such as 500KB or 50MB (default: 20MB; a real "
                             "export is 15 to 50 KB); a larger file is listed, not read")
    _lms_options(report)
    report.set_defaults(run=_report)

    qti = commands.add_parser(
        "qti", help="write the banks' single, multiple and match questions as a QTI quiz package",
        description="Write the single, multiple and match questions of the question banks as a QTI 1.2 "
                    "package (a .zip) that Canvas imports as a quiz, and beside it the same questions in Moodle "
                    "XML (FILE_moodle.xml) for Moodle's question import, with the answer keys and explanations. "
                    "Classify and reflect questions are left out and listed with the reason.")
    qti.add_argument("--data", metavar="DATA_DIR", help="the data folder, if not the course's own data")
    qti.add_argument("--out", default="rolelib_quiz_qti.zip", metavar="FILE",
                     help="the package to write (default: rolelib_quiz_qti.zip)")
    qti.set_defaults(run=_qti)

    navigation = commands.add_parser(
        "navigation", help="rewrite the generated navigation cells of the lesson notebooks",
        description="Rewrite the generated cells (previous / course map / next links, source line) of "
                    "every lesson notebook from the one list of lessons. With --check nothing is written, "
                    "and the exit status is 1 when a notebook is out of date.")
    navigation.add_argument("--check", action="store_true", help="only check; exit 1 when out of date")
    navigation.add_argument("--notebooks", default="notebooks", metavar="DIR",
                            help="the folder holding the lesson notebooks (default: notebooks)")
    navigation.set_defaults(run=_navigation)
    return parser


def _validate(args: argparse.Namespace) -> int:
    from rolelib.instructor.validation import validate

    if args.data_dir is not None:
        directory = Path(args.data_dir).expanduser()
        if not args.data_dir.strip() or not directory.is_dir():
            what = ("an empty name" if not args.data_dir.strip() else "a file, not a folder" if directory.exists()
                    else "no such folder")
            _error("validate", f"{args.data_dir!r} is {what}. Give the folder that holds the course's CSV "
                               "files and questions/ (a copy of data/).")
            return 1
    problems = validate(args.data_dir)
    print(problems.text())
    return 1 if problems else 0


def _report(args: argparse.Namespace) -> int:
    from rolelib.instructor.report import class_report
    from rolelib.progress.export import MAX_EXPORT_BYTES

    try:
        data = _data_folder(args.data)
    except DataError as error:
        _error("report", _data_problems(args.data, error))
        return 1
    report = class_report(args.exports, data=data, max_bytes=args.max_size or MAX_EXPORT_BYTES)
    print(report.summary())
    if report.learners.empty:
        _error("report", "no learner's export could be read, so no file was written.")
        return 1
    try:
        written = report.write(args.out)
    except OSError as error:
        _error("report", f"cannot write the report's files into {visible(repr(args.out))} "
                         f"({visible(error.strerror or error)}); give --out a folder you can write to.")
        return 1
    print("Wrote " + ", ".join(visible(path) for path in written) + ".")
    return _write_lms(args, report)


def _data_folder(folder: str | None) -> CourseData | None:
    """The course data of the --data folder (None: the course's own); DataError when it has problems."""
    if folder is None:
        return None
    from rolelib.data import load

    return load(folder)


def _data_problems(folder: str | None, error: DataError) -> str:
    """What to say when the data a command was given has problems: where, the first one, and how to see them all."""
    named = "the course's data" if folder is None else f"the data folder {visible(repr(folder))}"
    validate = "rolelib validate" + ("" if folder is None else f" {visible(folder)}")
    return f"{named} has problems; run '{validate}' to see them all: {visible(str(error).splitlines()[0])}"


def _lms_options(report: argparse.ArgumentParser) -> None:
    report.add_argument("--lms", choices=["canvas", "moodle"],
                        help="also write the grades in that LMS's import format (canvas_gradebook.csv or "
                             "moodle_grades.csv)")
    report.add_argument("--lms-map", metavar="FILE",
                        help="a CSV with the columns learner,login (or learner,email) for learners whose export "
                             "records no account")
    report.add_argument("--lms-assignment", default="CIO vs CISO course", metavar="NAME",
                        help="the assignment (Canvas) or grade item (Moodle) to grade; for an existing Canvas "
                             "assignment give its name and id as Canvas exports them: 'NAME (ID)'")


def _write_lms(args: argparse.Namespace, report: ClassReport) -> int:
    """Write the LMS gradebook the options ask for (exit status 0), or say why it cannot be (1)."""
    if args.lms is None:
        if args.lms_map is not None:
            _error("report", "--lms-map is only used with --lms canvas or --lms moodle.")
            return 1
        return 0
    from rolelib.instructor.lms import lms_gradebook

    try:
        gradebook = lms_gradebook(args.lms, report.learners, points_possible=report.graded_questions,
                                  mapping=args.lms_map, assignment=args.lms_assignment)
    except ValueError as error:
        _error("report", f"no {args.lms} gradebook was written: {error}")
        return 1
    print(gradebook.summary())
    try:
        print(f"Wrote {gradebook.write(args.out)}.")
    except OSError as error:  # the file open in a spreadsheet (Windows locks it), or a folder by its name
        _error("report", f"cannot write {visible(gradebook.file_name)} into {visible(repr(args.out))} "
                         f"({visible(error.strerror or error)}); close it if a spreadsheet has it open, or give --out "
                         "another folder.")
        return 1
    return 0


def _qti(args: argparse.Namespace) -> int:
    from rolelib.instructor.qti import qti_package

    try:
        package = qti_package(data=_data_folder(args.data))
    except DataError as error:
        _error("qti", _data_problems(args.data, error))
        return 1
    print(package.summary())
    try:
        written = package.write(args.out)
    except OSError as error:
        _error("qti", f"cannot write {args.out}: {error.strerror or error}")
        return 1
    print(f"Wrote {written[0]} (QTI 1.2, for Canvas) and {written[1]} (Moodle XML, for Moodle).")
    return 0


def _size(text: str) -> int:
    """A size such as 20MB, 500KB or 1048576 (bytes), for --max-size."""
    number, unit = text.strip().upper().rstrip("B").rstrip() or "0", 1
    for suffix, scale in (("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30)):
        if number.endswith(suffix):
            number, unit = number[:-1].strip(), scale
    try:
        size = int(float(number) * unit)
    except ValueError:
        size = 0
    if size <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size; give a number of bytes or one such as 500KB "
                                         "or 50MB")
    return size


def _navigation(args: argparse.Namespace) -> int:
    from rolelib.instructor.navigation import update_notebooks
    from rolelib.lessons import LESSONS

    folder = Path(args.notebooks)
    if not folder.is_dir():
        _error("navigation", f"there is no folder {args.notebooks!r}; run the command in the course's folder "
                             "(the one holding notebooks/) or give --notebooks DIR.")
        return 1
    if not any((folder / item.filename).is_file() for item in LESSONS):
        _error("navigation", f"there is no lesson notebook (such as {LESSONS[0].filename}) in {args.notebooks!r}; run "
                             "the command in the course's folder (the one holding notebooks/) or give --notebooks DIR.")
        return 1
    try:
        changed = update_notebooks(folder, check=args.check)
    except (ValueError, OSError) as error:
        _error("navigation", visible(str(error)))
        return 1
    if args.check:
        if changed:
            print(f"Out of date: {', '.join(changed)}. Run 'rolelib navigation' to rewrite them.")
            return 1
        print("The navigation cells of every lesson notebook are up to date.")
        return 0
    print(f"Rewrote the navigation cells of: {', '.join(changed)}." if changed
          else "Nothing to do: the navigation cells were already up to date.")
    return 0


def _error(command: str, message: str) -> None:
    print(f"rolelib {command}: {message}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
