"""pytest set-up for the notebook tests: runs the notebooks two at a time, and
collects and prints execution times.

A test that checks a notebook carries the marker ``checks(path)`` and gets
its Run from the ``checked_run`` fixture. The first such fixture starts every
selected test's notebook in the background, NBCHECK_JOBS at a time (see
nbcheck.default_jobs), in test order; each test then waits for its own, so
failures are reported per notebook exactly as when they run one by one.
"""

import time

import pytest

import nbcheck

_TIMES_KEY = pytest.StashKey[list]()
_RUNS_KEY = pytest.StashKey[nbcheck.Prefetch]()
_NOTES_KEY = pytest.StashKey[list]()


def pytest_configure(config):
    config.stash[_TIMES_KEY] = []
    config.stash[_NOTES_KEY] = []
    config.addinivalue_line("markers", "checks(path): the test checks this notebook (run in the background)")


def pytest_unconfigure(config):
    runs = config.stash.get(_RUNS_KEY, None)
    if runs is not None:
        runs.shutdown()


@pytest.fixture
def record_time(request):
    """record_time(name, seconds): listed in the 'notebook execution times' summary."""

    def record(name, seconds, started=None, finished=None):
        request.config.stash[_TIMES_KEY].append((name, seconds, started, finished))
        print(f"{name}: executed in {seconds:.1f} s")

    return record


@pytest.fixture
def checked_run(request, record_time):
    """The nbcheck Run of the notebook named by this test's ``checks`` marker."""
    marker = request.node.get_closest_marker("checks")
    assert marker is not None, "a test using checked_run needs @pytest.mark.checks(path)"
    config = request.config
    if _RUNS_KEY not in config.stash:
        paths = [m.args[0] for item in request.session.items for m in item.iter_markers("checks")]
        config.stash[_RUNS_KEY] = nbcheck.Prefetch(paths)
    run = config.stash[_RUNS_KEY].result(marker.args[0])
    record_time(run.name, run.seconds, run.started, run.finished)
    config.stash[_NOTES_KEY] += run.notes
    return run


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    notes = config.stash.get(_NOTES_KEY, [])
    if notes:
        terminalreporter.section("kernel output given back to its cell (nbcheck.repair_late_output)")
        for note in notes:
            terminalreporter.write_line(note)
    times = config.stash.get(_TIMES_KEY, [])
    if not times:
        return
    terminalreporter.section("notebook execution times")
    width = max(len(name) for name, *_ in times)
    for name, seconds, *_ in times:
        terminalreporter.write_line(f"{name:<{width}}  {seconds:7.1f} s")
    terminalreporter.write_line(f"{'sum':<{width}}  {sum(s for _, s, *_ in times):7.1f} s")
    spans = [(a, b) for _, _, a, b in times if a is not None]
    if spans:
        wall = max(b for _, b in spans) - min(a for a, _ in spans)
        terminalreporter.write_line(
            f"{'wall, first start to last end':<{width}}  {wall:7.1f} s  "
            f"({nbcheck.default_jobs()} at a time, NBCHECK_JOBS)"
        )
