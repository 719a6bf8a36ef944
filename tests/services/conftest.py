"""What most service tests stand on: a clock the test moves, and the services wired as bootstrap wires
them, on the test's database (``engine``, from tests/conftest.py)."""

from __future__ import annotations

from typing import Any

import pytest
from clocks import TestClock
from service_setup import services_on

from app.services.container import Services


@pytest.fixture
def clock() -> TestClock:
    return TestClock()


@pytest.fixture
def services(engine: Any, clock: TestClock) -> Services:
    return services_on(engine, clock)
