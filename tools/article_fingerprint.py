"""Write the fingerprint the copy check compares the course's texts with (tests/fixtures/article_runs.txt).

    python tools/article_fingerprint.py PATH/TO/ARTICLE.txt

The course restates the facts of one article in its own words and ships none of its text.
What the tests need is only whether a text shares a run of eight words with the article, so
the repository keeps one short hash per eight-word run of the article and nothing else:

1. the text is lower-cased and typographic apostrophes become plain ones;
2. words are the runs of letters and apostrophes (digits and punctuation are dropped);
3. every run of eight consecutive words is joined with single spaces and hashed with SHA-256;
4. the first 16 hex digits of each hash are kept, sorted, one per line.

A 64-bit prefix keeps the chance that an unrelated run of the course matches by accident
negligible (about 1 in 10^11 for this course's size), and a hash cannot be read back into the
words. ``tests/copycheck.py`` normalises and hashes a course text the same way. Re-run this
script only if the source article itself changes.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.copycheck import FINGERPRINT, run_hashes  # noqa: E402


def main(argv: list[str]) -> int:
    """Read the article named in argv and write the fingerprint file; return a shell exit status."""
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    text = Path(argv[0]).read_text(encoding="utf-8")
    hashes = sorted(run_hashes(text))
    header = ("# SHA-256 prefixes of the source article's eight-word runs; made by "
              "tools/article_fingerprint.py (see its docstring). No article text is kept here.\n")
    FINGERPRINT.write_text(header + "\n".join(hashes) + "\n", encoding="utf-8")
    print(f"wrote {len(hashes)} run hashes to {FINGERPRINT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
