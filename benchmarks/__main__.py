"""``python -m benchmarks``: run every benchmark, print a table, write benchmarks/RESULTS.md."""

import sys

from benchmarks.run import main

sys.exit(main())
