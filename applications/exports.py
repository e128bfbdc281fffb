"""XLSX export of applications, safe to open in a spreadsheet."""

from django.utils import timezone
from django.utils.translation import gettext as _

from soske.xlsx import sheet_bytes

from . import scoring, selectors
from .models import Application, Decision, Review, Score, Status, TeamMember


def _related(instance, name):
    """The prefetched rows without a related manager and a queryset per application."""
    cache = getattr(instance, "_prefetched_objects_cache", {})
    return cache[name] if name in cache else getattr(instance, name).all()


def _labels(model, name):
    """{stored value: its label} of a choices field, translated once per export."""
    return {value: str(label) for value, label in model._meta.get_field(name).choices}


# The columns' fields: the export loads no other (issue 13: parsing 8 unused datetimes and the
# long answers of 200 applications was a fifth of its time).
EXPORT_FIELDS = (
    "cohort_id",
    "org_name",
    "business_id",
    "org_type",
    "region",
    "status",
    "version",
    "submitted_at",
    "track",
    "contact_name",
    "contact_email",
    "manager_name",
    "commitment_confirmed_at",
    "pilot_subject",
    "pilot_value",
    "motivation",
    "resources",
)


def applications_xlsx(applications) -> bytes:
    org_types = _labels(Application, "org_type")
    statuses = _labels(Application, "status")
    tracks = _labels(Application, "track")
    roles = _labels(TeamMember, "role")
    columns = [
        (_("Organisation"), lambda a: a.org_name),
        (_("Business ID"), lambda a: a.business_id),
        (
            _("Organisation type"),
            lambda a: org_types.get(a.org_type, a.org_type) if a.org_type else "",
        ),
        (_("Region"), lambda a: a.region),
        (_("Status"), lambda a: statuses.get(a.status, a.status)),
        (_("Version"), lambda a: a.version),
        (_("Submitted"), lambda a: _local(a.submitted_at)),
        (_("Track"), lambda a: tracks.get(a.track, a.track) if a.track else ""),
        (_("Other themes"), lambda a: ", ".join(t.name for t in _related(a, "themes"))),
        (_("Contact person"), lambda a: a.contact_name),
        (_("Contact e-mail"), lambda a: a.contact_email),
        (_("Manager"), lambda a: a.manager_name),
        (_("Commitment confirmed"), lambda a: _local(a.commitment_confirmed_at)),
        (
            _("Team"),
            lambda a: "; ".join(
                f"{m.name} ({roles.get(m.role, m.role)})" for m in _related(a, "team")
            ),
        ),
        (_("Pilot procurement"), lambda a: a.pilot_subject),
        (_("Estimated value (EUR)"), lambda a: a.pilot_value),
        (_("Motivation"), lambda a: a.motivation),
        (_("Resources"), lambda a: a.resources),
    ]
    rows = [[str(title) for title, _getter in columns]]
    rows += ([getter(a) for _title, getter in columns] for a in applications)
    # Plain SpreadsheetML, not openpyxl's cell objects: about half the time (issue 13).
    return sheet_bytes(_("Applications"), rows, width=24, freeze_header=True)


def _local(moment):
    if moment is None:
        return ""
    return timezone.localtime(moment).replace(tzinfo=None)


def reviews_xlsx(*, cohort, viewer) -> bytes:
    """Every review of the cohort's submitted applications with its scores, justifications,
    weighted total, the application's mean and decision, as `viewer` may see them: nothing
    of an application the viewer declared a conflict with (need to know).

    Plain tuples from three queries, not the ranking board's rows and 600 Review and 2,400
    Score objects (issue 13). The mean is the board's (scoring.Result.mean over the totals of
    the submitted reviews), from the totals the lines show: computed once per application,
    not once per line, and without the per-criterion shares the board also adds up.
    """
    criteria = list(cohort.criteria.all())
    hidden = selectors.conflicted_application_ids(cohort=cohort, user=viewer)
    header = [_("Organisation"), _("Reviewer"), _("State")]
    for c in criteria:
        header += [
            f"{c.name} ({c.weight})",
            _("Justification: %(criterion)s") % {"criterion": c.name},
        ]
    header += [_("Weighted total (0–100)"), _("Mean of the application"), _("Decision")]
    sheet = [[str(h) for h in header]]
    submitted = {"application__cohort": cohort, "application__status": Status.SUBMITTED}
    reviews = list(
        Review.objects.filter(**submitted)
        .exclude(application_id__in=hidden)
        .order_by("application__org_name", "reviewer__email")
        .values_list("pk", "application_id", "application__org_name", "reviewer__email", "state")
    )
    scores = {}
    for review_id, criterion_id, value, justification in (
        Score.objects.filter(**{f"review__{k}": v for k, v in submitted.items()})
        .exclude(review__application_id__in=hidden)
        .values_list("review_id", "criterion_id", "value", "justification")
    ):
        scores.setdefault(review_id, {})[criterion_id] = (value, justification)
    marks = _labels(Decision, "mark")
    decisions = dict(
        Decision.objects.filter(**submitted)
        .exclude(application_id__in=hidden)
        .values_list("application_id", "mark")
    )
    states = _labels(Review, "state")
    # Scaled to integers once (the same totals), not converted again for each of the lines.
    weights = scoring.integer_weights({c.pk: c.weight for c in criteria})
    low, high = cohort.score_min, cohort.score_max
    totals, results = {}, {}
    for review_id, application_id, _org, _email, state in reviews:
        values = {k: v[0] for k, v in scores.get(review_id, {}).items()}
        totals[review_id] = total = scoring.scaled_total(values, weights, low, high)
        if state == Review.State.SUBMITTED and total is not None:
            results.setdefault(application_id, scoring.Result()).totals.append(total)
    means = {pk: scoring.as_decimal(result.mean) for pk, result in results.items()}
    criterion_ids = [c.pk for c in criteria]
    for review_id, application_id, org_name, reviewer_email, state in reviews:
        values = scores.get(review_id, {})
        line = [org_name, reviewer_email, states.get(state, state)]
        for pk in criterion_ids:
            line += values.get(pk, (None, ""))
        mark = decisions.get(application_id)
        line += [
            scoring.as_decimal(totals[review_id], "0.01"),
            means.get(application_id),
            marks.get(mark, mark) if mark else "",
        ]
        sheet.append(line)
    return sheet_bytes(_("Reviews"), sheet)
