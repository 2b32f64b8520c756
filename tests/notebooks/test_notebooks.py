"""Every notebooks/*.ipynb and notebooks/solutions/*.ipynb (the same notebooks with
their exercises solved) runs in a fresh Rust kernel and passes nbcheck's checks.

One test per notebook, in file-name order; the notebooks run two at a time in
the background (conftest.py), each in its own kernel. A failure names the
notebook, the cell index and the cell's first line; see nbcheck.py for the
checks and for --update, which refreshes a notebook's committed outputs.
"""

import pytest

import nbcheck

NOTEBOOKS = sorted(nbcheck.NOTEBOOKS_DIR.glob("*.ipynb")) + sorted(nbcheck.NOTEBOOKS_DIR.glob("solutions/*.ipynb"))


@pytest.mark.parametrize(
    "notebook",
    [pytest.param(p, marks=pytest.mark.checks(p), id=str(p.relative_to(nbcheck.NOTEBOOKS_DIR))) for p in NOTEBOOKS]
    or [pytest.param(None, marks=pytest.mark.skip(reason="no notebooks/*.ipynb yet"), id="no-notebooks")],
)
def test_notebook(notebook, checked_run):
    if checked_run.problems:
        pytest.fail(checked_run.report(), pytrace=False)
