"""What every app holds about a person: each app registers one source in AppConfig.ready().

The kernel knows no app (like the calendar feed). A source may answer four questions, each
optional:

- `export(user) -> ExportPart`: the person's own data for the download (JSON-ready records
  and their files);
- `erase(*, user, pseudonym, email, names) -> int`: replace the person's name and address
  (and the other `names` they are known by) with the pseudonym wherever the app keeps them;
  returns how many rows it changed;
- `names(*, user, email) -> set`: the names this person is known by here (an application's
  contact, a team's member), so that erasure replaces them in the history too;
- `holders(users) -> set of pks`: which of these people (a queryset) still have something
  here (their accounts must stay);
- `expired(moment) -> list[RetentionItem]`: what the retention periods let go at `moment`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

# A new cohort keeps the personal data of the applications it did not select for this many
# months after its decisions (each cohort edits its own; the privacy notice says it).
DEFAULT_RETENTION_MONTHS = 12


@dataclass
class ExportPart:
    """`records` go to `<key>.json`; `files` are (folder, file name, an open-able FieldFile):
    the file is `files/<folder>/<file name>` in the archive, its name made safe."""

    records: list | dict
    files: list = field(default_factory=list)


@dataclass
class RetentionItem:
    """One thing whose retention period has passed, what goes with it, and how it goes.

    `counts` names what is removed ({"people": 3, "files": 1, ...}); `apply()` removes it
    (in the caller's transaction) and records it in the activity log.
    """

    kind: str
    label: str
    counts: dict
    apply: Callable[[], None]


@dataclass(frozen=True)
class PrivacySource:
    key: str
    export: Callable | None = None
    erase: Callable | None = None
    holders: Callable | None = None
    names: Callable | None = None
    expired: Callable | None = None


_sources: dict[str, PrivacySource] = {}


def register_privacy_source(
    *, key, export=None, erase=None, holders=None, expired=None, names=None
):
    """Add (or replace) the source `key`; registering it again is harmless."""
    _sources[key] = PrivacySource(
        key, export=export, erase=erase, holders=holders, names=names, expired=expired
    )
    return _sources[key]


def unregister_privacy_source(key):
    _sources.pop(key, None)


def privacy_sources() -> list[PrivacySource]:
    return [_sources[key] for key in sorted(_sources)]
