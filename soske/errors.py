"""One domain error base, and one way a view turns it into what the user reads.

A service refuses a change by raising a `DomainError` (or an app's subclass of it) with a
message written for the user. A view runs the service inside `refused(request)`:

    with refused(request) as refusal:
        services.application_withdraw(application=application, actor=request.user, at=at)
    if refusal:
        return redirect("applications:mine")  # the message is already queued

The block is left at the refusal, the message is queued with `messages.error` (or put on
`form`, so the page shows it next to what the user typed) and the view goes on as it
decides: the same redirect as after a success, or the page rendered again. A refusal is
never a 500.
"""

from contextlib import contextmanager

from django.contrib import messages


class DomainError(Exception):
    """A refused change; its message is shown to the user as it is."""

    def __init__(self, message, *, code="invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


class Refusal:
    """What `refused` caught: false while nothing was refused, then the error."""

    error: DomainError | None = None

    def __bool__(self) -> bool:
        return self.error is not None


@contextmanager
def refused(request, *, form=None, field=None):
    """Catch a `DomainError` of the block and show its message: as a message of the page,
    or, given `form`, as an error of `form` (of `field`, else of the whole form)."""
    refusal = Refusal()
    try:
        yield refusal
    except DomainError as exc:
        refusal.error = exc
        if form is not None:
            form.add_error(field, exc.message)
        else:
            messages.error(request, exc.message)
