"""A person's data: the download, the retention job and erasure on request.

The apps say what they hold through soske.privacy.registry; this module never imports them.
"""

import calendar
import io
import json
import secrets
import zipfile
from collections import Counter
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from soske import clock
from soske.activity.services import activity_pseudonymise, activity_record, replace_strings
from soske.errors import DomainError
from soske.files import safe_filename
from soske.mail.context import MissingObject
from soske.mail.models import OutgoingEmail
from soske.mail.services import outbox_preview
from soske.users.models import STAFF_ROLES

from .models import RetentionRun
from .registry import RetentionItem, privacy_sources

ERASED_DOMAIN = "erased.invalid"

# The words of the counts that the retention sources report.
COUNT_LABELS = {
    "applications": gettext_lazy("Applications"),
    "people": gettext_lazy("People named"),
    "texts": gettext_lazy("Free-text answers"),
    "files": gettext_lazy("Files"),
    "mails": gettext_lazy("Mails"),
    "accounts": gettext_lazy("Accounts"),
}


def labelled(counts: dict) -> list[tuple[str, int]]:
    """[(the count's word, n), ...] in COUNT_LABELS' order."""
    order = list(COUNT_LABELS)
    keys = sorted(counts, key=lambda k: (order.index(k) if k in order else len(order), k))
    return [(str(COUNT_LABELS.get(key, key)), counts[key]) for key in keys]


class PrivacyError(DomainError):
    pass


def add_months(moment: datetime, months: int) -> datetime:
    """`moment` plus whole calendar months (31 January + 1 month = 28/29 February)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def pseudonym_email(pseudonym: str) -> str:
    """The address that stands for an erased person: it can receive nothing (RFC 2606)."""
    return f"{pseudonym.lower()}@{ERASED_DOMAIN}"


def is_erased(user) -> bool:
    return user.email.endswith("@" + ERASED_DOMAIN)


# --- the person's own data ---------------------------------------------------------------


def _account_records(user) -> dict:
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.language,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "roles": sorted(user.groups.values_list("name", flat=True)),
    }


def _mail_records(user) -> list:
    """The mail to this person as they receive it: a row the send task has not rendered
    yet is rendered here, in its language, and neither stored nor sent. When what it was
    about is gone, it cannot be: the row is listed with a note instead of its text."""
    rows = OutgoingEmail.objects.filter(to__iexact=user.email).order_by("created_at", "pk")
    records = []
    for row in rows:
        note = ""
        try:
            subject, body = outbox_preview(row)
        except MissingObject:
            subject, body = "", ""
            note = _("This message could not be written out: what it was about no longer exists.")
        records.append(
            {
                "to": row.to,
                "subject": subject,
                "body": body,
                "status": row.status,
                "created_at": row.created_at,
                "sent_at": row.sent_at,
                "note": note,
            }
        )
    return records


def privacy_export(*, user) -> bytes:
    """The ZIP of the person's data: one JSON file per part, and the files they gave.

    Only what is reached from this person: their account, the mail addressed to them, and
    what each app's source returns for them (their applications, teams, submissions).
    """
    parts = {"account": _account_records(user), "mails": _mail_records(user)}
    files = []
    for source in privacy_sources():
        if source.export is None:
            continue
        part = source.export(user)
        parts[source.key] = part.records
        files.extend(part.files)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for key, records in parts.items():
            text = json.dumps(records, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            archive.writestr(f"{key}.json", text)
        for folder, filename, fieldfile in files:
            # The folder is the app's; the file's own name is what a person typed.
            with fieldfile.open("rb") as handle:
                archive.writestr(f"files/{folder}/{safe_filename(filename)}", handle.read())
    return buffer.getvalue()


def privacy_export_filename(moment=None) -> str:
    moment = clock.helsinki(moment or clock.now())
    return f"soske-my-data-{moment:%Y-%m-%d}.zip"


# --- erasure -----------------------------------------------------------------------------


def _new_pseudonym() -> str:
    User = get_user_model()
    while True:
        pseudonym = f"P-{secrets.token_hex(4).upper()}"
        if not User.objects.filter(email=pseudonym_email(pseudonym)).exists():
            return pseudonym


def _pseudonymise_account(user, pseudonym) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user).delete()
    user.calendar_feeds.all().delete()
    user.first_name = pseudonym
    user.last_name = ""
    user.email = pseudonym_email(pseudonym)
    user.is_active = False
    user.set_unusable_password()
    user.save()


def outbox_scrub(*, addresses, to=f"erased@{ERASED_DOMAIN}") -> int:
    """The mail to these addresses keeps its row (the outbox's keys stay) but not the
    address, the text nor the attachments; a queued one is never sent."""
    query = Q(pk__in=[])
    for address in {a.strip().lower() for a in addresses if a and a.strip()}:
        query |= Q(to__iexact=address)
    return OutgoingEmail.objects.filter(query).update(
        to=to,
        subject="",
        body_text="",
        body_html="",
        attachments=[],
        template="",
        context={},
        status=OutgoingEmail.Status.FAILED,
        last_error="erased",
        next_attempt_at=None,
    )


def replacement_pairs(*, email, names, pseudonym) -> list[tuple[str, str]]:
    """(old, new) for the address and each name of three letters or more, longest first."""
    pairs = [(email, pseudonym_email(pseudonym))]
    for name in sorted({n.strip() for n in names if n}, key=len, reverse=True):
        if len(name) >= 3:
            pairs.append((name, pseudonym))
    return pairs


def replace_in_rows(queryset, fields, pairs) -> int:
    """Replace the pairs in these text (or JSON) fields of every row; returns rows changed.
    Each row is written with a plain update: nothing else of it changes."""
    changed = 0
    for row in queryset.only("pk", *fields).iterator(chunk_size=500):
        values = {name: replace_strings(getattr(row, name), pairs) for name in fields}
        if any(values[name] != getattr(row, name) for name in fields):
            queryset.model._base_manager.filter(pk=row.pk).update(**values)
            changed += 1
    return changed


def erasure_preview(*, person) -> dict:
    """What erasure changes, for the confirmation page."""
    return {"mails": OutgoingEmail.objects.filter(to__iexact=person.email).count()}


def person_erase(*, person, actor) -> str:
    """Erase a person on request: their name and address are replaced by a pseudonym
    everywhere (their account, the apps' rows naming them, the outbox, the activity log);
    decisions and the history stay, now naming the pseudonym. Returns the pseudonym."""
    if person.pk == actor.pk:
        raise PrivacyError(_("You cannot erase your own account."))
    with transaction.atomic():
        User = get_user_model()
        person = User.objects.select_for_update().get(pk=person.pk)
        if is_erased(person):
            raise PrivacyError(_("This person has been erased already."))
        pseudonym = _new_pseudonym()
        old_email, old_name = person.email, person.get_full_name().strip()
        names = {old_name} if old_name else set()
        for source in privacy_sources():
            if source.names is not None:
                names |= {n.strip() for n in source.names(user=person, email=old_email) if n}
        changed = Counter()
        for source in privacy_sources():
            if source.erase is not None:
                changed[source.key] = source.erase(
                    user=person, pseudonym=pseudonym, email=old_email, names=names
                )
        changed["mails"] = outbox_scrub(addresses=[old_email], to=pseudonym_email(pseudonym))
        _pseudonymise_account(person, pseudonym)
        replacements = {old_email: person.email}
        # the longest first, so that "Maija Mallikas-Virtanen" goes whole
        for name in sorted(names, key=len, reverse=True):
            if len(name) >= 3:
                replacements[name] = pseudonym
        changed["activity"] = activity_pseudonymise(replacements=replacements)
        activity_record(
            actor=actor,
            action="person.erased",
            target=person,
            subject=pseudonym,
            after={"changed": dict(changed)},
        )
    return pseudonym


# --- retention ---------------------------------------------------------------------------


def _unused_accounts(moment):
    """Accounts nobody used for the account retention period that hold nothing else."""
    User = get_user_model()
    limit = add_months(moment, -settings.PRIVACY_ACCOUNT_RETENTION_MONTHS)
    candidates = list(
        User.objects.filter(is_superuser=False, is_staff=False)
        .exclude(groups__name__in=[str(r) for r in STAFF_ROLES])
        .exclude(email__endswith="@" + ERASED_DOMAIN)
        .filter(Q(last_login__lt=limit) | Q(last_login__isnull=True, date_joined__lt=limit))
        .order_by("pk")
    )
    holding = set()
    for source in privacy_sources():
        if source.holders is not None:
            holding |= source.holders(candidates)
    return [user for user in candidates if user.pk not in holding]


def _account_item(user) -> RetentionItem:
    def apply():
        email = user.email
        try:
            with transaction.atomic():
                outbox_scrub(addresses=[email])
                user.delete()
        except ProtectedError:
            # The history still points at the account: it stays, as a pseudonym.
            pseudonym = _new_pseudonym()
            outbox_scrub(addresses=[email])
            _pseudonymise_account(user, pseudonym)
            activity_pseudonymise(replacements={email: user.email})

    return RetentionItem(
        kind="account",
        label=_("Unused account #%(pk)s") % {"pk": user.pk},
        counts={"accounts": 1},
        apply=apply,
    )


def retention_plan(*, moment=None) -> list[RetentionItem]:
    """Everything the retention periods let go at `moment` (now): the dry run."""
    moment = moment or clock.now()
    items = []
    for source in privacy_sources():
        if source.expired is not None:
            items.extend(source.expired(moment))
    items.extend(_account_item(user) for user in _unused_accounts(moment))
    return items


def retention_totals(items) -> dict:
    totals = Counter()
    for item in items:
        totals.update(item.counts)
    return dict(sorted(totals.items()))


def retention_run(*, actor=None) -> RetentionRun:
    """Remove what the dry run lists, record the run and log it."""
    started = clock.now()
    with transaction.atomic():
        items = retention_plan(moment=started)
        for item in items:
            item.apply()
        run = RetentionRun.objects.create(
            started_at=started,
            finished_at=clock.now(),
            actor=actor if actor is not None and actor.is_authenticated else None,
            counts=retention_totals(items),
            items=[{"kind": i.kind, "label": str(i.label), "counts": i.counts} for i in items],
        )
        activity_record(actor=actor, action="retention.run", target=run, after=run.counts)
    return run
