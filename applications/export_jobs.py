"""The staff spreadsheets built in the background (soske.exports, registered in apps.py):
the filtered list of applications, and every review of a cohort. Each is built as its owner
may see it now, from what the request that asked for it wrote in `params`."""

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Cohort
from soske.exports.services import ExportError

from .exports import EXPORT_FIELDS, applications_xlsx, reviews_xlsx
from .staff import filtered


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


def build_applications(export) -> tuple[str, bytes]:
    _form, cohort, _base, qs = filtered(export.created_by, QueryDict(export.params["query"]))
    qs = qs.select_related(None).only(*EXPORT_FIELDS).prefetch_related("team", "themes")
    slug = cohort.slug if cohort else "soske"
    return f"{slug}-applications-{_stamp()}.xlsx", applications_xlsx(qs)


def build_reviews(export) -> tuple[str, bytes]:
    cohort = Cohort.objects.filter(pk=export.params["cohort"]).first()
    if cohort is None:
        raise ExportError(_("The cohort has been deleted."))
    content = reviews_xlsx(cohort=cohort, viewer=export.created_by)
    return f"{cohort.slug}-reviews-{_stamp()}.xlsx", content
