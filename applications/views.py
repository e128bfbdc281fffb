"""Applicant pages: thin views over applications.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cohorts.models import Cohort
from soske import clock
from soske.compiled import Compiled, keep_prefetched
from soske.errors import refused
from soske.files import private_file_response
from soske.forms import ConfirmForm, is_id
from soske.permissions import permitted

from . import services
from .forms import (
    InviteForm,
    SubmitForm,
    TeamFormSet,
    missing_recommended_roles,
)
from .models import Application, ApplicationInvite, Status, TeamMember, TeamRole
from .snapshots import snapshot_for_reader
from .steps import (
    STEP_BY_SLUG,
    STEPS,
    bound_step_form,
    next_step,
    previous_step,
    step_index,
    step_problems,
)

# What every applicant page reads first, and the team step's members: compiled once
# (soske.compiled; issue 13).
_APPLICATION = Compiled(
    lambda pk, user_id: (
        Application.objects.reached_by_member_id(user_id)
        .select_related("cohort", "decision")
        .filter(pk=pk)
        .order_by()[:1]
    )
)
_TEAM = Compiled(lambda pk: TeamMember.objects.filter(application_id=pk))


def _my_application(request, pk, *, pk_only=False) -> Application:
    """The application if the user is one of its members; anything else is a 404.

    `pk_only`: only who may reach it, for a view that hands it to a service which reads
    the row itself (the submit reads it under its lock); any other field would be read
    again, one query each."""
    if pk_only:
        applications = Application.objects.reached_by_member(request.user).only("pk")
        application = get_object_or_404(applications, pk=pk)
    elif request.user.is_authenticated and is_id(pk):
        application = _APPLICATION.first(int(pk), request.user.pk)
        if application is None:
            raise Http404
    else:
        raise Http404
    return permitted(request, "applications.view_application", application)


def _context(request, application, **extra):
    at = clock.request_time(request)
    return {
        "application": application,
        "cohort": application.cohort,
        "editable": services.application_is_editable(application, at),
        "phase": application.cohort.phase_at(at),
        "steps": STEPS,
        **extra,
    }


def my_applications(request):
    applications = (
        Application.objects.visible_to(request.user)
        .select_related("cohort", "decision")
        .order_by("-created_at")
    )
    at = clock.request_time(request)
    open_cohorts = Cohort.objects.open_at(at).exclude(applications__in=applications)
    return render(
        request,
        "applications/mine.html",
        {"applications": applications, "open_cohorts": open_cohorts},
    )


def start(request, slug):
    cohort = get_object_or_404(Cohort, slug=slug)
    if request.method != "POST":
        # A GET arrives when signing in or signing up sends the person back to the "Apply"
        # they clicked. Starting a draft needs a POST: show the draft they have or the
        # page with the start button instead of a blank 405.
        existing = Application.objects.visible_to(request.user).filter(cohort=cohort).first()
        if existing:
            return redirect("applications:review", pk=existing.pk)
        return redirect("applications:mine")
    with refused(request) as refusal:
        application = services.application_start(
            cohort=cohort, user=request.user, at=clock.request_time(request)
        )
    if refusal:
        return redirect("cohorts:call", slug=cohort.slug)
    return redirect("applications:step", pk=application.pk, step=STEPS[0].slug)


def step(request, pk, step):
    application = _my_application(request, pk)
    current = STEP_BY_SLUG.get(step)
    if current is None:
        raise Http404
    at = clock.request_time(request)
    editable = services.application_is_editable(application, at)
    check = request.GET.get("check") == "1"
    if current.form_class is None:
        # The formset and the recommended roles read the same members: one query.
        keep_prefetched(application, "team", _TEAM(application.pk))
    if request.method == "POST" and editable:
        form = _step_form(current, application, request.POST, request.FILES, strict=False)
        if form.is_valid():
            with refused(request) as refusal:
                services.application_save_step(
                    application=application, form=form, actor=request.user, at=at
                )
            if not refusal:
                return _after_save(request, application, current)
        else:
            messages.error(request, _("The page was not saved. Fix the errors marked below."))
    elif request.method == "POST":
        messages.error(request, _("The application can no longer be changed."))
        form = bound_step_form(current, application, strict=False)
    elif check:
        form = bound_step_form(current, application, strict=True)
        form.is_valid()
    else:
        form = _step_form(current, application, strict=False)
    roles = [m.role for m in application.team.all()] if current.form_class is None else []
    return render(
        request,
        "applications/step.html",
        _context(
            request,
            application,
            step=current,
            form=form,
            is_formset=current.form_class is None,
            step_number=step_index(current.slug) + 1,
            previous=previous_step(current.slug),
            next=next_step(current.slug),
            missing_roles=[
                TeamRole(role).label for role in missing_recommended_roles(roles, application.track)
            ]
            if current.form_class is None
            else [],
        ),
    )


def _step_form(step, application, data=None, files=None, *, strict):
    if step.form_class is None:
        members = list(application.team.all())  # prefetched by the view
        return TeamFormSet(
            data, instance=application, prefix="team", strict=strict, members=members
        )
    return step.form_class(data, files, instance=application, strict=strict)


def _after_save(request, application, current):
    action = request.POST.get("action", "next")
    if action == "stay":
        if application.status == Status.SUBMITTED:
            messages.success(
                request, _("Saved. Submit the application again for the changes to count.")
            )
        else:
            messages.success(request, _("Saved. You can come back and continue at any time."))
        return redirect("applications:step", pk=application.pk, step=current.slug)
    following = next_step(current.slug)
    if following is None or action == "review":
        return redirect("applications:review", pk=application.pk)  # it lists every problem
    _tell_what_the_step_lacks(request, application, current)
    if action == "previous" and previous_step(current.slug):
        return redirect(
            "applications:step", pk=application.pk, step=previous_step(current.slug).slug
        )
    return redirect("applications:step", pk=application.pk, step=following.slug)


def _tell_what_the_step_lacks(request, application, current):
    """Leaving a step saves it as it is; the applicant is told what it still lacks."""
    application = Application.objects.select_related("cohort").get(pk=application.pk)
    problems = step_problems(current, application)
    if not problems:
        return
    url = reverse("applications:step", args=[application.pk, current.slug]) + "?check=1"
    items = format_html_join(
        "",
        '<li><a href="{}">{}</a>: {}</li>',
        (
            (
                f"{url}#id_{problem['field']}" if problem["field"] else url,
                problem.get("field_label") or problem["label"],
                problem["message"],
            )
            for problem in problems
        ),
    )
    intro = _("Saved. The page “%(step)s” still lacks answers that the application needs:") % {
        "step": current.title
    }
    messages.warning(request, format_html('{}<ul class="mb-0">{}</ul>', intro, items))


def review(request, pk):
    problems = None  # what is missing; worked out only when the page is shown
    if request.method == "POST":
        # The service reads the row under its lock: here only whether the user may submit
        # it (the whole row is read below only when the page is shown again).
        application = _my_application(request, pk, pk_only=True)
        submit_form = SubmitForm(request.POST)
        if not submit_form.is_valid():
            messages.error(request, _("The application was not submitted. See the errors below."))
        else:
            with refused(request) as refusal:
                version = services.application_submit(
                    application=application,
                    actor=request.user,
                    at=clock.request_time(request),
                    submit_token=submit_form.cleaned_data["submit_token"],
                    consent=submit_form.cleaned_data["privacy_consent"],
                )
            if not refusal:
                return redirect("applications:receipt", pk=application.pk, number=version.number)
            problems = refusal.error.problems or None
    application = _my_application(request, pk)
    if request.method != "POST":
        submit_form = SubmitForm(
            initial={
                "submit_token": services.new_submit_token(),
                "privacy_consent": application.privacy_consent,
            },
        )
    # The snapshot and the completeness check both read the themes and the team: once. (A
    # submit that goes through reads them in the service, on the locked row.)
    prefetch_related_objects([application], "themes", "team")
    return render(
        request,
        "applications/review.html",
        _context(
            request,
            application,
            snapshot=services.application_snapshot(application),
            problems=services.completeness_errors(application) if problems is None else problems,
            submit_form=submit_form,
        ),
    )


def receipt(request, pk, number):
    application = _my_application(request, pk)
    version = get_object_or_404(application.versions, number=number)
    return render(
        request,
        "applications/receipt.html",
        _context(request, application, version=version, answers=snapshot_for_reader(version.data)),
    )


def withdraw(request, pk):
    application = _my_application(request, pk)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refused(request) as refusal:
            services.application_withdraw(
                application=application, actor=request.user, at=clock.request_time(request)
            )
        if not refusal:
            messages.success(
                request, _("The application was withdrawn. You can reopen it until the deadline.")
            )
        return redirect("applications:mine")
    return render(
        request,
        "applications/withdraw.html",
        _context(
            request,
            application,
            form=form,
            ask_staff=services.application_withdraw_needs_staff(
                application, clock.request_time(request)
            ),
            ask_staff_text=services.WITHDRAW_ASK_STAFF,
        ),
    )


@require_POST
def reopen(request, pk):
    application = _my_application(request, pk)
    with refused(request) as refusal:
        services.application_reopen(
            application=application, actor=request.user, at=clock.request_time(request)
        )
    if refusal:
        return redirect("applications:mine")
    if application.status == Status.WITHDRAWN:
        messages.success(request, _("The application is a draft again."))
    return redirect("applications:review", pk=application.pk)


def invite(request, pk):
    application = _my_application(request, pk)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refused(request, form=form, field="email") as refusal:
            services.application_invite(
                application=application,
                email=form.cleaned_data["email"],
                actor=request.user,
                at=clock.request_time(request),
            )
        if not refusal:
            messages.success(request, _("The invitation was sent."))
            return redirect("applications:invite", pk=application.pk)
    members = application.members.select_related("user").order_by("added_at", "pk")
    invites = application.invites.filter(accepted_at__isnull=True)
    return render(
        request,
        "applications/invite.html",
        _context(request, application, form=form, members=members, invites=invites),
    )


def invite_accept(request, token):
    invitation = get_object_or_404(ApplicationInvite, token=token)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refused(request) as refusal:
            application = services.invite_accept(token=token, user=request.user)
        if not refusal:
            messages.success(request, _("You can now edit the application."))
            return redirect("applications:review", pk=application.pk)
    return render(
        request, "applications/invite_accept.html", {"invitation": invitation, "form": form}
    )


@require_POST
def commitment_resend(request, pk):
    """The applicant asks the manager again to confirm the commitment."""
    application = _my_application(request, pk)
    with refused(request) as refusal:
        services.commitment_request_resend(
            application=application, actor=request.user, at=clock.request_time(request)
        )
    if not refusal:
        messages.success(
            request,
            _("The confirmation request was sent again to %(email)s.")
            % {"email": application.manager_email},
        )
    return redirect("applications:review", pk=application.pk)


@login_not_required
def commitment(request, token):
    application = get_object_or_404(
        Application.objects.select_related("cohort"), commitment_token=token
    )
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.commitment_confirm(token=token, at=clock.request_time(request))
        return redirect("applications:commitment", token=token)
    return render(
        request, "applications/commitment.html", {"application": application, "form": form}
    )


def policy_file(request, pk):
    application = _my_application(request, pk)
    return serve_policy_file(application)


def serve_policy_file(application):
    return private_file_response(application.strategy_file, filename=application.strategy_file_name)
