from functools import wraps

from django.core.exceptions import PermissionDenied

from soske.users.models import Role


def role_required(*roles):
    """403 unless the signed-in user has one of `roles` (anonymous users never get here:
    LoginRequiredMiddleware sends them to the login page first)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


staff_required = role_required(Role.REVIEWER, Role.COORDINATOR)
coordinator_required = role_required(Role.COORDINATOR)
