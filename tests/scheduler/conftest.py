"""Small hand-made problems for the scheduler tests."""

import pytest

from tests.scheduler.helpers import DATES, facility, inspector, problem_dict  # noqa: F401 (fixtures use them)


@pytest.fixture(scope="session")
def small_generated():
    """A generated 120-facility problem and one solved schedule (shared, it is read-only)."""
    from scheduler.generator import generate
    from scheduler.problem import parse_problem
    from scheduler.solve import solve

    data = generate(facilities=120, must=50, inspectors=4, dates=8, seed=7)
    problem = parse_problem(data)
    # Uncapped, so that the repeat runs compare routes even on a machine loaded by other tests.
    return data, problem, solve(problem, seed=11, time_limit=4, wall_clock_cap=False)
