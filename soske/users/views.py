"""The coordinators' page of staff accounts: who has a second factor, and its reset for a
staff member who lost their device (with a confirmation step)."""

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from soske.errors import refused
from soske.permissions import coordinator_required

from .mfa import mfa_reset
from .models import STAFF_ROLES, User


def _staff_accounts():
    totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    return (
        User.objects.filter(
            Q(groups__name__in=[str(r) for r in STAFF_ROLES])
            | Q(is_staff=True)
            | Q(is_superuser=True)
        )
        .distinct()
        .annotate(has_totp=Exists(totp))
        .prefetch_related("groups")
    )


@coordinator_required
def staff_accounts(request):
    people = _staff_accounts().order_by("last_name", "first_name", "email")
    return render(request, "users/staff_accounts.html", {"people": people})


@coordinator_required
def mfa_reset_confirm(request, pk):
    person = get_object_or_404(_staff_accounts(), pk=pk)
    if request.method == "POST":
        with refused(request) as refusal:
            mfa_reset(user=person, actor=request.user)
        if not refusal:
            messages.success(
                request,
                _(
                    "The second factor of %(email)s was reset. "
                    "They set up a new one at their next sign-in."
                )
                % {"email": person.email},
            )
        return redirect("staff_accounts:list")
    return render(request, "users/mfa_reset_confirm.html", {"person": person})
