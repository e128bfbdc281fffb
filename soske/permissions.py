"""How a view asks for a permission; the permissions themselves are declared in the
rules.py of the kernel and of each app (the `rules` package).

The rules are asked directly (`rules.has_perm`), not through `user.has_perm`: Django's
answers True to every question for a superuser, and a superuser of the admin site is not a
coordinator or a member of an organisation unless the roles say so."""

from functools import wraps

import rules
from django.core.exceptions import PermissionDenied


def may(user, perm, obj=None) -> bool:
    return rules.has_perm(perm, user, obj)


def permission_required(perm):
    """A view decorator: 403 unless the signed-in user holds `perm`. Anonymous visitors never
    get here: LoginRequiredMiddleware sends them to the login page first."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not may(request.user, perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def permitted(request, perm, obj):
    """`obj` if the signed-in user holds `perm` on it, else 403. Fetch `obj` through the
    model's `visible_to(user)` where another organisation's object must be a 404."""
    if not may(request.user, perm, obj):
        raise PermissionDenied
    return obj


staff_required = permission_required("soske.view_staff_pages")
coordinator_required = permission_required("soske.coordinate")
