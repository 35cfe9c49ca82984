"""The course on a real JupyterHub: learners on their own accounts, an update, Voila, the instructor.

One class goes through the course in order (the fixture ``first_session`` is their first day);
each test then checks one promise of the README's hub section, as the account it concerns.
"""

from __future__ import annotations

import concurrent.futures
import csv
import io
import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

import hubkit
from hubkit import INSTRUCTOR, LEARNERS, LESSON, FirstSession

from rolelib.lessons import LESSONS
from rolelib.questions import load_banks

FIRST = hubkit.FIRST_LESSON
LINK_PATH = hubkit.LINK_PATH
NOTE = "My own note: the CIO enables, the CISO protects."
# Files the update and the learner both touch (nbgitpuller's rules, as the README lists them).
DELETED_BY_LEARNER = f"{hubkit.COURSE_NAME}/notebooks/02_responsibilities.ipynb"
ADDED_BY_BOTH = f"{hubkit.COURSE_NAME}/notebooks/notes.md"
DELETED_BY_COURSE = f"{hubkit.COURSE_NAME}/ARCHITECTURE.md"
LEARNER_DISCUSSION = "## Discuss in class\n\nMy answer: the CISO should join the project from the first week."

STORE_FACTS = """
import json, os, pwd, stat
from rolelib import progress
path = progress.store().path
print(json.dumps({"uid": os.getuid(), "account": pwd.getpwuid(os.getuid()).pw_name, "path": str(path),
                  "file_mode": stat.S_IMODE(os.stat(path).st_mode), "folder_mode": stat.S_IMODE(os.stat(path.parent).st_mode),
                  "attempts": json.loads(progress.store().attempts()[["question_id", "correct", "hints_used"]]
                                         .to_json(orient="values"))}))
"""

READ_ATTEMPT = """
import os
for path in {paths!r}:
    try:
        os.listdir(path) if os.path.isdir(path) else open(path, "rb").close()
        print("read")
    except PermissionError:
        print("refused")
"""


def _store_facts(client: hubkit.Client) -> dict[str, Any]:
    kernel = client.open_notebook(LESSON)
    try:
        return json.loads(kernel.run(STORE_FACTS))
    finally:
        kernel.close()


def test_learners_get_instant_feedback_in_jupyterlab_and_in_voila(first_session: FirstSession) -> None:
    """Each learner's answers were graded as they gave them: the hint's cost, a wrong, a right."""
    for name in LEARNERS:
        hinted, wrong, right = first_session.feedback[name]
        assert hinted == "✓ Correct. Score: 90 of 100 points (1 hint used: −10)."
        assert wrong.startswith("✗ Not quite.") and right == "✓ Correct. Score: 100 of 100 points."
        right, wrong = first_session.voila_feedback[name]
        assert right.startswith("✓ Correct.") and wrong.startswith("✗ Not quite."), (right, wrong)


def test_each_server_runs_as_its_account_with_a_private_store(classroom: hubkit.Classroom,
                                                              first_session: FirstSession) -> None:
    """The store is in the learner's own home, 0600 in a 0700 folder, and another learner's
    account can read neither it nor the learner's hand-in folder."""
    import pwd

    facts = {name: _store_facts(classroom.client(name)) for name in LEARNERS}
    for name, fact in facts.items():
        home = pwd.getpwnam(name).pw_dir
        assert (fact["account"], fact["uid"]) == (name, pwd.getpwnam(name).pw_uid)
        assert fact["path"] == f"{home}/.local/share/rolelib/progress.sqlite3"
        assert {q for q, *_ in fact["attempts"]} >= {"focus-1", "focus-2", "focus-3"}
        assert (oct(fact["file_mode"]), oct(fact["folder_mode"])) == (oct(0o600), oct(0o700)), fact["path"]
    names = list(LEARNERS)
    for reader, owner in zip(names, names[1:] + names[:1]):
        kernel = classroom.client(reader).open_notebook(LESSON)
        try:
            attempt = kernel.run(READ_ATTEMPT.format(paths=[
                facts[owner]["path"], str(classroom.handin / owner / first_session.exports[owner]),
                str(classroom.handin / owner)]))
        finally:
            kernel.close()
        assert attempt.split() == ["refused"] * 3, f"{reader} could read {owner}'s files:\n{attempt}"


def test_answers_survive_a_server_restart_through_the_hub(classroom: hubkit.Classroom, first_session: FirstSession) -> None:
    name = next(iter(LEARNERS))
    client = classroom.client(name)
    before = _store_facts(client)["attempts"]
    client.stop_server()
    client.request_spawn()
    client.wait_ready()
    kernel = client.open_notebook(LESSON)
    try:
        shown = kernel.run('from rolelib import exercises, testing\n'
                           'print(testing.feedback(exercises.exercise("focus-1")).splitlines()[0])').strip()
    finally:
        kernel.close()
    assert shown.startswith(first_session.feedback[name][0]) and "your last answer" in shown, shown
    assert _store_facts(client)["attempts"] == before


def test_the_voila_review_records_in_the_learners_own_store(classroom: hubkit.Classroom, first_session: FirstSession) -> None:
    single = [q.id for q in load_banks().values() if q.lesson == "06_review" and q.kind == "single"][:2]
    for name in LEARNERS:
        attempts = {q: (correct, hints) for q, correct, hints in _store_facts(classroom.client(name))["attempts"]}
        assert attempts[single[0]][0] is True and attempts[single[1]][0] is False, (name, attempts)


def test_the_link_opens_the_lesson_in_notebook_7(classroom: hubkit.Classroom, first_session: FirstSession) -> None:
    """The README's Notebook 7 variant of the link (urlpath=tree/...) lands on the lesson's
    Notebook 7 page, served by the learner's own server."""
    client = classroom.client(next(iter(LEARNERS)))
    client.git_pull(classroom.url, f"tree/{FIRST}")
    page = client.get(f"tree/{FIRST}")
    assert page.url.endswith(f"/user/{client.name}/notebooks/{FIRST}"), page.url

def _edit_lesson(notebook: dict[str, Any], discussion: str, note: str | None = None) -> dict[str, Any]:
    for cell in notebook["cells"]:
        if "".join(cell["source"]).startswith("## Discuss in class"):
            cell["source"] = discussion
    if note:
        notebook["cells"].append({"cell_type": "markdown", "id": "my-note", "metadata": {}, "source": note})
    return notebook


def _update_course(repository: Path) -> str:
    """The author's new commit: a lesson cell changed, the discussion reworded, a new question."""
    lesson = repository / "notebooks" / "01_focus.ipynb"
    notebook = json.loads(lesson.read_text(encoding="utf-8"))
    notebook = _edit_lesson(notebook, "## Discuss in class\n\nThe author's reworded prompt.")
    at = next(i for i, cell in enumerate(notebook["cells"]) if "".join(cell["source"]).startswith("## Two missions"))
    notebook["cells"][at]["source"] = "".join(notebook["cells"][at]["source"]) + "\n\nA sentence the update adds."
    after = next(i for i, cell in enumerate(notebook["cells"]) if "".join(cell["source"]) == 'rolelib.exercise("focus-1")')
    notebook["cells"].insert(after + 1, {"cell_type": "code", "execution_count": None, "id": "01-new", "metadata": {},
                                         "outputs": [], "source": 'rolelib.exercise("focus-99")'})
    lesson.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (repository / "notebooks" / "notes.md").write_text("The course's notes.\n", encoding="utf-8")
    (repository / "ARCHITECTURE.md").unlink()
    bank = repository / "data" / "questions" / "01_focus.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").rstrip("\n") + """

  - id: focus-99
    kind: single
    topic: focus
    level: remember
    prompt: Which role is **for** enabling the business with technology?
    options: [CIO, CISO, CSO]
    answer: CIO
    explanation: >-
      Enabling the business with technology is the CIO's focus; the CISO and the CSO protect.
    source: article
""", encoding="utf-8")
    return hubkit.commit(repository, "Lesson 1: a new question and a reworded discussion")


def test_an_update_through_the_same_link_keeps_each_learners_work(classroom: hubkit.Classroom,
                                                                    first_session: FirstSession) -> None:
    """nbgitpuller's documented merge: the learner's edits are committed locally and merged with
    -Xours (where both changed the same lines the learner's version is kept); new material arrives."""
    before = {}
    for name in LEARNERS:
        client = classroom.client(name)
        before[name] = _store_facts(client)["attempts"]
        mine = _edit_lesson(client.contents(LESSON)["content"], LEARNER_DISCUSSION, NOTE)
        client.save_notebook(LESSON, mine)
        client.delete(DELETED_BY_LEARNER)
        client.save_text(ADDED_BY_BOTH, f"{name}'s notes.\n")
        client.save_text(DELETED_BY_COURSE, f"{name} wrote here.\n")
    revision = _update_course(classroom.repository)
    hubkit.install_course(classroom.repository, revision)  # the administrator updates the environment
    for name in LEARNERS:
        client = classroom.client(name)
        client.git_pull(classroom.url, LINK_PATH)
        sources = ["".join(cell["source"]) for cell in client.contents(LESSON)["content"]["cells"]]
        assert NOTE in sources and LEARNER_DISCUSSION in sources, f"{name} lost their edits"
        assert 'rolelib.exercise("focus-99")' in sources, f"the new question did not reach {name}"
        assert any(source.endswith("A sentence the update adds.") for source in sources)
        assert "The author's reworded prompt." not in "".join(sources)  # the learner's version won
        assert client.contents(DELETED_BY_LEARNER)["type"] == "notebook", "a deleted lesson was not restored"
        assert client.contents(ADDED_BY_BOTH)["content"] == "The course's notes.\n"
        renamed = [item["name"] for item in client.contents(str(Path(ADDED_BY_BOTH).parent))["content"]
                   if item["name"].startswith("notes__") and item["name"].endswith(".md")]
        assert len(renamed) == 1, f"{name}'s own notes.md was not renamed with a timestamp"
        assert client.contents(f"{Path(ADDED_BY_BOTH).parent}/{renamed[0]}")["content"] == f"{name}'s notes.\n"
        assert client.contents(DELETED_BY_COURSE)["content"] == f"{name} wrote here.\n"
        kernel = client.open_notebook(LESSON)
        try:
            shown = kernel.run('import rolelib\nfrom rolelib import testing\nex = rolelib.exercise("focus-99")\n'
                               'testing.answer(ex, "CIO"); print(testing.check(ex).splitlines()[0])').strip()
        finally:
            kernel.close()
        assert shown.startswith("✓ Correct.")
        after = _store_facts(client)["attempts"]
        assert after[:len(before[name])] == before[name] and after[-1][0] == "focus-99"
        assert (classroom.handin / name / first_session.exports[name]).exists()


def _instructor_report(classroom: hubkit.Classroom, out: str, table: str) -> tuple[list[dict[str, str]], str]:
    """Run `rolelib report` over the hand-in folder in a kernel of the instructor's, writing to the folder ``out``;
    return the rows of the CSV file ``table`` it wrote, and its text."""
    client = classroom.client(INSTRUCTOR)
    client.save_notebook("report.ipynb", hubkit.bare_notebook())
    kernel = client.open_notebook("report.ipynb")
    try:
        output = kernel.run(f"""
import subprocess
done = subprocess.run(["rolelib", "report", {str(classroom.handin)!r}, "--out", {out!r}], capture_output=True, text=True)
print(done.returncode)
print(open({out + "/" + table!r}, encoding="utf-8").read() if done.returncode == 0 else done.stdout + done.stderr)
""")
    finally:
        kernel.close()
    code, _, text = output.partition("\n")
    assert code.strip() == "0", output
    return list(csv.DictReader(io.StringIO(text))), text


def test_the_instructor_reports_on_the_hand_in_folder_by_hub_account(classroom: hubkit.Classroom,
                                                                     first_session: FirstSession) -> None:
    """`rolelib report` over the hand-in folder, run by the instructor's account: every learner
    is there, named by hub account beside the name they typed."""
    rows, _ = _instructor_report(classroom, "class_report", "gradebook.csv")
    assert sorted(row["learner"] for row in rows) == sorted(LEARNERS.values())
    assert "account" in rows[0], f"the gradebook does not name hub accounts: {list(rows[0])}"
    assert {row["account"]: row["learner"] for row in rows} == LEARNERS


def test_an_export_under_a_classmates_name_is_flagged(classroom: hubkit.Classroom,
                                                      first_session: FirstSession) -> None:
    """A learner hands in an export typed with a classmate's name: the report lists the clash
    under "needs a look", naming both hub accounts (each is counted as a learner of its own)."""
    forger, victim = list(LEARNERS)[-1], list(LEARNERS)[0]
    kernel = classroom.client(forger).open_notebook(LESSON)
    try:
        kernel.run(f"import os, rolelib\nrolelib.export_progress(os.path.expanduser('~/handin/mine.json'), "
                   f"learner={LEARNERS[victim]!r})")
    finally:
        kernel.close()
    rows, table = _instructor_report(classroom, "flagged", "needs_a_look.csv")
    assert any(row["issue"] == "one name, several accounts" and row["learner"] == LEARNERS[victim]
               and forger in row["account"] and victim in row["account"] for row in rows), table
    assert any(row["issue"] == "one account, several names" and row["account"] == forger for row in rows), table


def test_no_learner_reads_a_classmates_home_or_the_class_report(classroom: hubkit.Classroom,
                                                               first_session: FirstSession) -> None:
    """Homes made 0755 (useradd's default on many systems): a learner's kernel still cannot read
    a classmate's saved lesson or an export kept in their home, nor the instructor's class report."""
    import pwd

    names = list(LEARNERS)
    for owner in names:
        kernel = classroom.client(owner).open_notebook(LESSON)
        try:
            kernel.run("import os, rolelib\nrolelib.export_progress(os.path.expanduser('~/my-progress.json'), "
                       f"learner={LEARNERS[owner]!r})")
        finally:
            kernel.close()
    report = Path(pwd.getpwnam(INSTRUCTOR).pw_dir) / "class_report" / "gradebook.csv"
    assert report.exists(), "the instructor's report test wrote no class report"
    for reader, owner in zip(names, names[1:] + names[:1]):
        home = Path(pwd.getpwnam(owner).pw_dir)
        private = [home / LESSON, home / "my-progress.json", report]
        assert all(path.exists() for path in private), private
        kernel = classroom.client(reader).open_notebook(LESSON)
        try:
            attempt = kernel.run(READ_ATTEMPT.format(paths=[str(path) for path in private]))
        finally:
            kernel.close()
        assert attempt.split() == ["refused"] * len(private), f"{reader} could read:\n{attempt}\n{private}"

def _find_chromium() -> Path | None:
    """The browser the browser tests drive: $CHROMIUM, else the usual places (tests/browser/browserkit/chromium.py)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "browser"))
    from browserkit import find_chromium

    return find_chromium()


def test_a_learner_logs_in_and_opens_the_link_in_a_real_browser(classroom: hubkit.Classroom,
                                                                 first_session: FirstSession) -> None:
    """The nbgitpuller link in Chromium: the hub's login page, the spawn, the pull, then the
    first lesson open in JupyterLab with its kernel idle."""
    chromium = _find_chromium()
    if chromium is None:
        pytest.skip("no Chromium or Chrome found (set CHROMIUM=/path/to/chrome)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install -e '.[browser]'")
    name = list(LEARNERS)[-1]
    classroom.client(name).stop_server()
    link = f"{classroom.hub.url}/hub/user-redirect/git-pull?" + urlencode(
        {"repo": classroom.url, "branch": "main", "urlpath": LINK_PATH})

    def visit() -> tuple[str, str]:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(chromium), headless=True, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"])
            try:
                page = browser.new_page()
                page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
                    (classroom.hub.url, "data:", "blob:", "about:")) else route.abort("internetdisconnected"))
                page.goto(link)
                page.fill("input[name=username]", name)
                page.fill("input[name=password]", classroom.hub.password)
                page.click("input[type=submit], button[type=submit]")
                page.wait_for_url(f"**/user/{name}/lab/tree/{FIRST}", timeout=120_000)
                page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
                # JupyterLab renders only the cells in view, so the lesson is recognised by its title.
                title = page.locator(".jp-NotebookPanel h1").first
                title.wait_for(timeout=60_000)
                return page.url, title.inner_text()
            finally:
                browser.close()

    # A thread of its own: the browser tests' Playwright may already run an event loop in this one.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        landed, heading = pool.submit(visit).result()
    assert landed.endswith(f"/user/{name}/lab/tree/{FIRST}"), landed
    assert heading.startswith(LESSONS[0].title.split(":")[0]), heading
