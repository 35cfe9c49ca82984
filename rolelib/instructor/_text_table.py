"""The class report's tables as a notebook shows them: every text as it was typed, never set as a formula."""

from __future__ import annotations

import pandas as pd

from rolelib._markup import NO_MATH


class TextTable(pd.DataFrame):
    """A DataFrame whose HTML keeps a notebook's MathJax off its cells, as ``display.html.use_mathjax=False`` does.

    JupyterLab, Notebook 7 and nbconvert's HTML typeset "$...$" in HTML outputs: without this, a
    learner named "$\\color{red}{\\text{...}}$" would draw what they like in the instructor's table,
    and a bank option about "a $2M budget and $500k" would turn into a formula. Text is escaped
    as in any DataFrame. Slices and copies (``report.learners[["learner", "percent"]]``,
    ``.head()``) are TextTables too.

    >>> table = TextTable({"learner": ["$x$"]})
    >>> "mathjax_ignore" in table._repr_html_(), "mathjax_ignore" in table[["learner"]].head()._repr_html_()
    (True, True)
    """

    @property
    def _constructor(self) -> type[TextTable]:
        return TextTable

    def _repr_html_(self) -> str | None:
        with pd.option_context("display.html.use_mathjax", False):  # pandas 3 marks the table itself
            page = super()._repr_html_()
        # pandas 2.2 marks it tex2jax_ignore only (MathJax 2's class): the whole output is marked for every MathJax
        return None if page is None else f'<div class="{NO_MATH}">{page}</div>'



def typed_table(columns: dict[str, list], types: dict[str, str]) -> TextTable:
    """A table made column by column, each with its type ('object' for text), in the order of ``types``.

    >>> typed_table({"learner": ["Ada"], "score": [1]}, {"learner": "object", "score": "float64"}).dtypes.tolist()
    [dtype('O'), dtype('float64')]
    """
    return TextTable({name: pd.Series(values, dtype=types[name]) for name, values in columns.items()},
                     columns=list(types))
