"""pytest set-up for the notebook tests: collects and prints execution times."""

import pytest

_TIMES_KEY = pytest.StashKey[list]()


def pytest_configure(config):
    config.stash[_TIMES_KEY] = []


@pytest.fixture
def record_time(request):
    """record_time(name, seconds): listed in the 'notebook execution times' summary."""

    def record(name, seconds):
        request.config.stash[_TIMES_KEY].append((name, seconds))
        print(f"{name}: executed in {seconds:.1f} s")

    return record


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    times = config.stash.get(_TIMES_KEY, [])
    if not times:
        return
    terminalreporter.section("notebook execution times")
    width = max(len(name) for name, _ in times)
    for name, seconds in times:
        terminalreporter.write_line(f"{name:<{width}}  {seconds:7.1f} s")
    terminalreporter.write_line(f"{'total':<{width}}  {sum(s for _, s in times):7.1f} s")
