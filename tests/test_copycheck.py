"""The copy check works from the shipped fingerprint alone, and finds a copied run."""

from __future__ import annotations

import re

from tests import copycheck


def test_the_fingerprint_holds_hashes_only():
    lines = [line for line in copycheck.FINGERPRINT.read_text(encoding="utf-8").splitlines()
             if not line.startswith("#")]
    assert len(lines) > 500, "the fingerprint should cover the whole article"
    assert all(re.fullmatch(r"[0-9a-f]{16}", line) for line in lines)


def test_a_copied_run_is_found_and_our_own_words_are_not(monkeypatch):
    source = "The chief information officer keeps the lights on while steering the business forward."
    monkeypatch.setattr(copycheck, "article_hashes", lambda: frozenset(copycheck.run_hashes(source)))
    borrowed = "Some say that the chief information officer keeps the lights on while steering it."
    assert copycheck.copied_runs(borrowed) == {  # ten shared words: three runs of eight
        "the chief information officer keeps the lights on",
        "chief information officer keeps the lights on while",
        "information officer keeps the lights on while steering",
    }
    assert copycheck.copied_runs("A CIO runs technology so the business can grow.") == set()


def test_case_punctuation_and_curly_apostrophes_do_not_hide_a_copy(monkeypatch):
    monkeypatch.setattr(copycheck, "article_hashes",
                        lambda: frozenset(copycheck.run_hashes("it's the one job that no other chief can do")))
    assert copycheck.copied_runs("IT\u2019S the one job -- that no other chief can do!")
