"""Every notebooks/*.ipynb and notebooks/solutions/*.ipynb (the same notebooks with
their exercises solved) runs in a fresh Rust kernel and passes nbcheck's checks.

One test per notebook, in file-name order. A failure names the notebook, the
cell index and the cell's first line; see nbcheck.py for the checks and for
--update, which refreshes a notebook's committed outputs.
"""

import pytest

import nbcheck

NOTEBOOKS = sorted(nbcheck.NOTEBOOKS_DIR.glob("*.ipynb")) + sorted(nbcheck.NOTEBOOKS_DIR.glob("solutions/*.ipynb"))


@pytest.mark.parametrize(
    "notebook",
    NOTEBOOKS or [pytest.param(None, marks=pytest.mark.skip(reason="no notebooks/*.ipynb yet"))],
    ids=[str(p.relative_to(nbcheck.NOTEBOOKS_DIR)) for p in NOTEBOOKS] or ["no-notebooks"],
)
def test_notebook(notebook, record_time):
    run = nbcheck.check(notebook)
    record_time(run.name, run.seconds)
    if run.problems:
        pytest.fail(run.report(), pytrace=False)
