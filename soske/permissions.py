"""How a view asks for a permission; the permissions themselves are declared in the
rules.py of the kernel and of each app (the `rules` package)."""

from django.core.exceptions import PermissionDenied
from rules.contrib.views import permission_required as _rules_permission_required


def permission_required(perm):
    """A view decorator: 403 unless the signed-in user holds `perm`. Anonymous visitors never
    get here: LoginRequiredMiddleware sends them to the login page first."""
    return _rules_permission_required(perm, raise_exception=True)


def permitted(request, perm, obj):
    """`obj` if the signed-in user holds `perm` on it, else 403. Fetch `obj` through the
    model's `visible_to(user)` where another organisation's object must be a 404."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied
    return obj


staff_required = permission_required("soske.view_staff_pages")
coordinator_required = permission_required("soske.coordinate")
