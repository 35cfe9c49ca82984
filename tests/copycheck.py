"""Whether a course text copies the source article: shared runs of eight words, found by hash.

The repository ships no article text, only ``tests/fixtures/article_runs.txt``: one SHA-256
prefix per eight-word run of the article (``tools/article_fingerprint.py`` made it and says
how). A course text is split and hashed the same way here; a hash found in both is a copied run.

>>> run_hashes("One two three four five six seven eight") == run_hashes("one, TWO three four five six seven eight!")
True
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

FINGERPRINT = Path(__file__).resolve().parent / "fixtures" / "article_runs.txt"
RUN_LENGTH = 8
_PREFIX = 16  # hex digits kept of each SHA-256


def words(text: str) -> list[str]:
    """The words of a text: lower case, runs of letters and apostrophes."""
    return re.findall(r"[a-z']+", text.lower().replace("\u2019", "'"))


def runs(text: str) -> dict[str, str]:
    """Every run of eight words of a text, by its hash prefix."""
    found = words(text)
    joined = (" ".join(found[i:i + RUN_LENGTH]) for i in range(len(found) - RUN_LENGTH + 1))
    return {hashlib.sha256(run.encode("utf-8")).hexdigest()[:_PREFIX]: run for run in joined}


def run_hashes(text: str) -> set[str]:
    """The hash prefixes of every eight-word run of a text."""
    return set(runs(text))


@lru_cache(maxsize=1)
def article_hashes() -> frozenset[str]:
    """The hash prefixes of the article's runs, from the shipped fingerprint file."""
    lines = FINGERPRINT.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def copied_runs(text: str) -> set[str]:
    """The eight-word runs of ``text`` that the article also has (empty when the text is our own)."""
    known = article_hashes()
    return {run for digest, run in runs(text).items() if digest in known}
