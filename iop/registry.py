"""The one kind of registry every extension point is (iop/extensions.py):
named entries in an explicit order. Registering a name again replaces the
entry and its order; iteration goes by order, then name."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """Named entries in an explicit order (see the module docstring)."""

    def __init__(self, name: str, doc: str) -> None:
        self.name = name
        self.__doc__ = doc
        self._entries: dict[str, tuple[int, T]] = {}
        self._ordered: list[tuple[str, T]] | None = None

    def __repr__(self) -> str:
        return f"<Registry {self.name}: {', '.join(self.names())}>"

    def register(self, name: str, entry: T, *, order: int) -> None:
        """Add `entry` under `name`, replacing whatever had that name."""
        self._entries[name] = (order, entry)
        self._ordered = None

    def get(self, name: str) -> T | None:
        registered = self._entries.get(name)
        return None if registered is None else registered[1]

    def items(self) -> list[tuple[str, T]]:
        """(name, entry) pairs by order, then name."""
        if self._ordered is None:
            ranked = sorted(self._entries.items(), key=lambda item: (item[1][0], item[0]))
            self._ordered = [(name, entry) for name, (_order, entry) in ranked]
        return list(self._ordered)

    def names(self) -> list[str]:
        return [name for name, _entry in self.items()]

    def __iter__(self) -> Iterator[T]:
        return iter([entry for _name, entry in self.items()])

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    @contextmanager
    def isolated(self, *, keep: Iterable[str] | None = None) -> Iterator["Registry[T]"]:
        """For tests: a private copy of the entries (only those named in
        `keep`, when given), restored on exit with whatever was registered
        meanwhile forgotten."""
        saved = self._entries
        kept = None if keep is None else set(keep)
        self._entries = {
            name: entry for name, entry in saved.items() if kept is None or name in kept
        }
        self._ordered = None
        try:
            yield self
        finally:
            self._entries = saved
            self._ordered = None
