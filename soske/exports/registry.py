"""The spreadsheets a person can have built in the background: each app registers its kinds
in AppConfig.ready(), and the kernel runs them without knowing the app (like privacy).

A kind answers two things:

- `build(export) -> (filename, bytes)`: the file, made from `export.params` as
  `export.created_by` may see it. It runs in the Celery worker, in `export.language`.
- `permission`: the rule its owner must still hold to see the export and download it.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ExportKind:
    key: str
    build: Callable
    permission: str


_kinds: dict[str, ExportKind] = {}


def register_export_kind(key: str, *, build: Callable, permission: str) -> None:
    _kinds[key] = ExportKind(key=key, build=build, permission=permission)


def export_kind(key: str) -> ExportKind | None:
    return _kinds.get(key)
