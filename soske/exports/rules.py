"""Who may see an export: the person who asked for it, while they still hold the
permission of its kind (a reviewer who is no longer one cannot download yesterday's list)."""

import rules

from soske.permissions import may

from .registry import export_kind


@rules.predicate
def is_owner(user, export) -> bool:
    return export is not None and user.is_authenticated and export.created_by_id == user.pk


@rules.predicate
def holds_kind_permission(user, export) -> bool:
    kind = export_kind(export.kind) if export is not None else None
    return kind is not None and may(user, kind.permission)


rules.add_perm("exports.view_export", is_owner & holds_kind_permission)
