"""List pages and auto-pagination (`page.auto_paging_iter()`), sync and async."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from typing import Any, Generic, TypeVar

from pydantic import PrivateAttr

from ._base_client import RequestSpec
from ._models import BaseModel

__all__ = ["AsyncPage", "AsyncPaginator", "SyncPage"]

ItemT = TypeVar("ItemT", bound=BaseModel)


class _BasePage(BaseModel, Generic[ItemT]):
    """One page of a list: `data`, and whether more follow."""

    object: str = "list"
    data: list[ItemT]
    has_more: bool = False

    _spec: RequestSpec | None = PrivateAttr(default=None)

    def has_next_page(self) -> bool:
        """Answer whether another page follows this one."""
        return self.has_more and bool(self.data) and self._spec is not None

    def _next_spec(self) -> RequestSpec:
        if self._spec is None or not self.data:
            raise StopIteration
        last_id = getattr(self.data[-1], "id", None)
        if not isinstance(last_id, str):
            raise TypeError(f"cannot paginate past a {type(self.data[-1]).__name__} without an id")
        return self._spec.with_params(starting_after=last_id)


class SyncPage(_BasePage[ItemT], Generic[ItemT]):
    """A page of a list from the sync client."""

    _fetch: Callable[[RequestSpec], SyncPage[ItemT]] | None = PrivateAttr(default=None)

    def get_next_page(self) -> SyncPage[ItemT]:
        """Fetch the page after this one."""
        if self._fetch is None or not self.has_next_page():
            raise ValueError("no next page: check has_next_page() first")
        return self._fetch(self._next_spec())

    def auto_paging_iter(self) -> Iterator[ItemT]:
        """Iterate over every item of this page and the pages after it, fetching as needed."""
        page: SyncPage[ItemT] = self
        while True:
            yield from page.data
            if not page.has_next_page():
                return
            page = page.get_next_page()


class AsyncPage(_BasePage[ItemT], Generic[ItemT]):
    """A page of a list from the async client."""

    _fetch: Callable[[RequestSpec], Awaitable[AsyncPage[ItemT]]] | None = PrivateAttr(default=None)

    async def get_next_page(self) -> AsyncPage[ItemT]:
        """Fetch the page after this one."""
        if self._fetch is None or not self.has_next_page():
            raise ValueError("no next page: check has_next_page() first")
        return await self._fetch(self._next_spec())

    async def auto_paging_iter(self) -> AsyncIterator[ItemT]:
        """Iterate over every item of this page and the pages after it, fetching as needed."""
        page: AsyncPage[ItemT] = self
        while True:
            for item in page.data:
                yield item
            if not page.has_next_page():
                return
            page = await page.get_next_page()


class AsyncPaginator(Generic[ItemT]):
    """What an async `list(...)` answers: await it for the first page, or `async for` every item."""

    def __init__(
        self, fetch: Callable[[RequestSpec], Awaitable[AsyncPage[ItemT]]], spec: RequestSpec
    ):
        self._fetch = fetch
        self._spec = spec

    def __await__(self) -> Generator[Any, None, AsyncPage[ItemT]]:
        return self._fetch(self._spec).__await__()

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        page = await self._fetch(self._spec)
        async for item in page.auto_paging_iter():
            yield item
