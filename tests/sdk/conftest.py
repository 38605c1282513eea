"""Fixtures for the SDK's unit tests: clients that never sleep, and a respx router at their URL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import respx
from installo import AsyncInstallo, Installo

BASE_URL = "http://installo.test"
API_KEY = "sk_test_unit_4f9a1c2b7d"
ADMIN_KEY = "admin_test_unit_8e3d"


class SleepRecorder:
    """Stands in for time.sleep / asyncio.sleep and records every pause asked for."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        yield router


@pytest.fixture
def client(sleeps: SleepRecorder) -> Iterator[Installo]:
    with Installo(api_key=API_KEY, admin_key=ADMIN_KEY, base_url=BASE_URL) as sync_client:
        sync_client._sleep = sleeps
        yield sync_client


@pytest.fixture
async def aclient(sleeps: SleepRecorder) -> AsyncIterator[AsyncInstallo]:
    async with AsyncInstallo(api_key=API_KEY, admin_key=ADMIN_KEY, base_url=BASE_URL) as c:
        c._sleep = sleeps.asleep
        yield c
