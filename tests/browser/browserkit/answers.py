"""Exercises in the page: finding one, answering it by clicks or by keyboard alone, and reading its feedback."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

from .notebooks import CHECK_BUTTON, EXERCISE, FEEDBACK
from .static_view import squash_spaces, visible_text


@dataclass(frozen=True)
class Answer:
    """What a learner picks in one exercise: options by label (single or multiple choice), or
    one choice per item (classify, match: drop-downs), as ``(item text, choice label)``."""

    question_id: str
    kind: str
    options: tuple[str, ...] = ()
    picks: tuple[tuple[str, str], ...] = ()

    def shown(self) -> list[str]:
        """The selection as :func:`selected` reads it back from the page."""
        return list(self.options) if self.options else [f"{item} → {choice}" for item, choice in self.picks]


def _label(question: Any, option: str) -> str:
    label = getattr(question, "label", None)
    return label(option) if callable(label) else str(option)


def right_answer(question: Any) -> Answer | None:
    """The correct answer to a question of the banks, as a learner would enter it
    (None for a reflection, which has none)."""
    kind = question.kind
    if kind == "single":
        return Answer(question.id, kind, options=(str(question.answer),))
    if kind == "multiple":
        return Answer(question.id, kind, options=tuple(question.answer))
    if kind in ("classify", "match"):
        return Answer(question.id, kind, picks=tuple(
            (item.text, _label(question, question.answer[item.key][0])) for item in question.items))
    return None


def wrong_answer(question: Any) -> Answer | None:
    """A wrong answer to a question of the banks (None when it has no wrong one)."""
    kind = question.kind
    if kind in ("single", "multiple"):
        right = {question.answer} if kind == "single" else set(question.answer)
        others = [option for option in question.options if option not in right]
        return Answer(question.id, kind, options=(others[0],)) if others else None
    if kind in ("classify", "match") and question.items:
        first = question.items[0]
        wrong = [option for option in question.options if option not in question.answer[first.key]]
        if not wrong:
            return None
        picks = [(item.text, _label(question, question.answer[item.key][0])) for item in question.items]
        picks[0] = (first.text, _label(question, wrong[0]))
        return Answer(question.id, kind, picks=tuple(picks))
    return None


def find_exercise(page_or_scope: Any, question: Any) -> Locator:
    """The exercise on the page that shows this question (found by its prompt's text)."""
    words = visible_text(question.prompt)
    return page_or_scope.locator(EXERCISE).filter(has_text=words[:80])


def answer_by_clicks(exercise: Locator, answer: Answer) -> None:
    """Enter the answer with the mouse as a learner does (Try again first if the exercise
    shows an earlier, locked answer), then press the exercise's Check button."""
    retry = exercise.locator(".rolelib-retry")
    if retry.count() and retry.first.is_enabled():
        retry.first.click()
    if answer.kind == "single":
        exercise.locator(".widget-radio-box label").filter(
            has_text=re.compile(rf"^\s*{re.escape(answer.options[0])}\s*$")).first.click()
    elif answer.kind == "multiple":
        for box in exercise.locator(".widget-checkbox").all():
            wanted = squash_spaces(box.inner_text()) in answer.options
            if box.locator("input").is_checked() != wanted:
                box.locator("input").click()
    else:
        for item, choice in answer.picks:
            dropdown = exercise.locator(".widget-dropdown").filter(
                has=exercise.page.locator("label", has_text=item[:60]))
            dropdown.locator("select").first.select_option(label=choice)
    exercise.locator(CHECK_BUTTON).first.click()


def selected(exercise: Locator) -> list[str]:
    """What the exercise shows as chosen now: option labels, or "item → choice" per drop-down."""
    return exercise.evaluate(
        """root => {
          const text = e => e.textContent.replace(/\\u200b/g, '').replace(/\\s+/g, ' ').trim();
          const out = [];
          root.querySelectorAll('.widget-radio-box label, .widget-checkbox').forEach(l => {
            const input = l.querySelector('input'); if (input && input.checked) out.push(text(l)); });
          root.querySelectorAll('.widget-toggle-button.mod-active').forEach(b => out.push(text(b)));
          root.querySelectorAll('.widget-dropdown').forEach(d => {
            const s = d.querySelector('select'); const l = d.querySelector('label');
            if (s && s.value !== '' && s.selectedIndex >= 0)
              out.push((l ? text(l) + ' → ' : '') + text(s.options[s.selectedIndex])); });
          return out; }""")


def feedback_text(exercise: Locator) -> str:
    """The feedback the exercise shows now ('' when none)."""
    feedback = exercise.locator(FEEDBACK)
    return squash_spaces(" ".join(feedback.all_inner_texts())) if feedback.count() else ""


def wait_for_feedback(exercise: Locator, before: str, timeout_s: float = 20) -> str:
    """Wait until the feedback text changes from ``before`` and is not empty; return it."""
    deadline = time.monotonic() + timeout_s
    text = feedback_text(exercise)
    while time.monotonic() < deadline:
        text = feedback_text(exercise)
        if text and text != before:
            return text
        time.sleep(0.2)
    return text


def answer_by_keyboard(page: Page, exercise: Locator, answer: Answer, max_tabs: int = 15) -> list[str]:
    """Answer a choice exercise with the keyboard alone (Tab, arrows, Space, Enter) and
    return the keys pressed.

    The learner's focus starts on the exercise's own box (where a keyboard user arrives
    from the cell above). Tab walks through the options and Space picks the focused one;
    in a radio group that lets Tab reach only one option, the arrow keys move the choice.
    Then Tab reaches Check, and Enter presses it.
    """
    keys: list[str] = []

    def press(key: str) -> None:
        page.keyboard.press(key)
        keys.append(key)
        page.wait_for_timeout(50)

    labels = answer.options
    exercise.evaluate("e => { e.setAttribute('tabindex', '-1'); e.focus(); }")
    if exercise.locator(".rolelib-retry:enabled").count():
        # An earlier answer is shown, locked: Try again first, then back to the options.
        _tab_until(page, exercise, ".rolelib-retry", press, max_tabs)
        press("Enter")
        exercise.locator(f"{CHECK_BUTTON}:enabled").wait_for(timeout=10_000)
        _tab_until(page, exercise, _OPTION_CONTROLS, press, max_tabs, key="Shift+Tab")
        while True:  # to the first option of the group
            before = _focused_option(exercise)
            press("Shift+Tab")
            if _focused_option(exercise) is None:
                press("Tab")
                break
            if _focused_option(exercise) == before:
                break
    options = exercise.locator(".widget-radio-box label, .widget-checkbox, .widget-toggle-button")
    names = [squash_spaces(t) for t in options.all_inner_texts()]
    if not names:
        raise AssertionError(f"no option a keyboard can reach in the exercise: {exercise.inner_html()[:500]}")
    missing = [label for label in labels if label not in names]
    assert not missing, f"options {missing} not shown; the exercise shows {names}"
    _tab_until(page, exercise, _OPTION_CONTROLS, press, max_tabs)
    for label in sorted(labels, key=names.index):
        for _ in range(len(names)):
            current = _focused_option(exercise)
            if current == label:
                break
            # Tab visits each option of a group where none is chosen yet; where Tab leaves
            # the group instead (a radio group with a choice), go back and use the arrows.
            press("Tab")
            moved_to = _focused_option(exercise)
            if moved_to is None or names.index(moved_to) != names.index(current) + 1:
                press("Shift+Tab")
                press("ArrowDown")
        else:
            raise AssertionError(f"the keyboard never reached option {label!r} "
                                 f"(focus on {_focused_option(exercise)!r}; keys so far {keys})")
        if not _option_chosen(exercise):
            press("Space")
    _tab_until(page, exercise, CHECK_BUTTON, press, max_tabs)
    press("Enter")
    return keys


def choose_in_lists_by_keyboard(page: Page, exercise: Locator, answer: Answer, max_tabs: int = 15) -> list[str]:
    """Answer a drop-down exercise (classify, match) with the keyboard alone, as its instructions say, and
    return the keys pressed: Tab to each list, Space opens it, the arrow keys move, Enter chooses; then Tab
    reaches Check, and Enter presses it. (Arrows or letters on a closed list are JupyterLab's shortcuts.)"""
    keys: list[str] = []

    def press(key: str) -> None:
        page.keyboard.press(key)
        keys.append(key)
        page.wait_for_timeout(80)

    focused_list = """root => { const a = document.activeElement;
        if (!a || !root.contains(a) || a.tagName !== 'SELECT') return null;
        const label = a.closest('.widget-dropdown').querySelector('label');
        return {item: label ? label.textContent.replace(/\\s+/g, ' ').trim() : '', index: a.selectedIndex,
                options: Array.from(a.options).map(o => o.textContent.replace(/\\s+/g, ' ').trim())}; }"""
    exercise.evaluate("e => { e.setAttribute('tabindex', '-1'); e.focus(); }")
    if exercise.locator(".rolelib-retry:enabled").count():
        _tab_until(page, exercise, ".rolelib-retry", press, max_tabs)
        press("Enter")
        exercise.locator(f"{CHECK_BUTTON}:enabled").wait_for(timeout=10_000)
        _tab_until(page, exercise, "select", press, max_tabs, key="Shift+Tab")
        while exercise.evaluate(focused_list) is not None:  # back to the first list
            press("Shift+Tab")
        press("Tab")
    else:
        _tab_until(page, exercise, "select", press, max_tabs)
    picks = dict(answer.picks)
    for _ in range(len(picks)):
        shown = exercise.evaluate(focused_list)
        assert shown is not None, f"Tab left the lists early (keys so far {keys})"
        choice = next(choice for item, choice in picks.items() if squash_spaces(item)[:60] in shown["item"])
        steps = shown["options"].index(choice) - shown["index"]
        press("Space")
        for _ in range(abs(steps)):
            press("ArrowDown" if steps > 0 else "ArrowUp")
        press("Enter")
        press("Tab")
    _tab_until(page, exercise, CHECK_BUTTON, press, max_tabs)
    press("Enter")
    return keys


_OPTION_CONTROLS = ".widget-radio-box input, .widget-checkbox input, .widget-toggle-button"

_FOCUSED_OPTION_JS = """root => { const a = document.activeElement;
  if (!a || !root.contains(a)) return null;
  const option = a.closest('.widget-radio-box label, .widget-checkbox, .widget-toggle-button');
  return option ? option.innerText.replace(/\\u200b/g, '').replace(/\\s+/g, ' ').trim() : null; }"""


def _focused_option(exercise: Locator) -> str | None:
    return exercise.evaluate(_FOCUSED_OPTION_JS)


def _option_chosen(exercise: Locator) -> bool:
    return exercise.evaluate("""root => { const a = document.activeElement;
        return a.matches('input') ? a.checked : a.classList.contains('mod-active'); }""")


def _tab_until(page: Page, exercise: Locator, selector: str, press: Callable[[str], None], max_tabs: int,
               key: str = "Tab") -> None:
    probe = (f"root => {{ const a = document.activeElement; return !!a && root.contains(a) && "
             f"(a.matches({json.dumps(selector)}) || !!a.closest({json.dumps(selector)})); }}")
    for _ in range(max_tabs):
        if exercise.evaluate(probe):
            return
        press(key)
    if not exercise.evaluate(probe):
        raise AssertionError(f"Tab never reached {selector} inside the exercise "
                             f"(focus is on {page.evaluate('document.activeElement.outerHTML.slice(0, 200)')})")
