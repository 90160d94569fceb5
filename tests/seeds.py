"""A new Hypothesis seed every run, printed in the header and under every failing property test.

Without --hypothesis-seed, draw one and hand it to Hypothesis's own option, so each run explores new
examples and a failure is reproduced with `python -m pytest --hypothesis-seed=N`.
"""

from __future__ import annotations

import random

import pytest

OPTION = "--hypothesis-seed"


@pytest.hookimpl(tryfirst=True)  # before Hypothesis's plugin reads the option
def pytest_configure(config: pytest.Config) -> None:
    if config.getoption(OPTION, None) is None:
        config.option.hypothesis_seed = str(random.SystemRandom().randrange(2**32))


def _rerun(config: pytest.Config) -> str:
    return f"{OPTION}={config.getoption(OPTION)}"


def pytest_report_header(config: pytest.Config) -> str:
    return f"property tests: new examples each run; repeat this run's with {_rerun(config)}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.failed and item.get_closest_marker("hypothesis"):
        report.sections.append(("hypothesis seed", f"reproduce with: python -m pytest {_rerun(item.config)} {item.nodeid}"))
    return report
