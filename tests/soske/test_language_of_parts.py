"""Language of parts (WCAG 3.1.2): text shown in another language than the page's says so."""

from html.parser import HTMLParser

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from applications import services
from cohorts.models import Theme
from soske import clock
from soske.i18n import localized, localized_language
from soske.users.models import Role
from tests.conftest import _person, client_for
from tests.factories import ApplicationFactory, fill_complete


class _LangOfText(HTMLParser):
    VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self, text):
        super().__init__()
        self.text, self.stack, self.found = text, [], []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if self.text in data:
            langs = [lang for tag, lang in self.stack if lang and tag != "html"]
            self.found.append(langs[-1] if langs else None)


def in_lang(html: str, text: str) -> str | None:
    """The lang of the nearest element around the first `text`, below <html>."""
    parser = _LangOfText(text)
    parser.feed(html)
    return parser.found[0]


def test_localized_language_says_which_language_the_value_is_in(cohort):
    theme = Theme.objects.create(cohort=cohort, order=99, name_fi="Vain suomeksi")
    assert localized(theme, "name", "sv") == "Vain suomeksi"
    assert localized_language(theme, "name", "sv") == "fi"
    both = Theme.objects.create(cohort=cohort, order=98, name_fi="Suomeksi", name_sv="På svenska")
    assert localized_language(both, "name", "sv") == "sv"
    assert localized_language(Theme(cohort=cohort), "name", "sv") == ""


def test_a_finnish_only_theme_on_a_swedish_page_is_marked_finnish(cohort, db):
    applicant = _person("sven@example.org", language="sv")
    Theme.objects.create(cohort=cohort, order=99, name_fi="Vain suomeksi")
    draft = ApplicationFactory(cohort=cohort, created_by=applicant)
    client = client_for(applicant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    html = client.get(reverse("applications:step", args=[draft.pk, "track"])).content.decode()
    assert '<html lang="sv">' in html
    assert in_lang(html, "Vain suomeksi") == "fi"
    # A theme given in Swedish is not marked.
    assert in_lang(html, "Tillgänglighet") is None


def test_answers_stored_in_finnish_shown_on_a_swedish_staff_page_are_marked_finnish(
    applicant, cohort
):
    application = ApplicationFactory(cohort=cohort, created_by=applicant, complete=True)
    fill_complete(application)
    with translation.override("fi"):  # the applicant submits on a Finnish page
        services.application_submit(
            application=application,
            actor=applicant,
            at=clock.now(),
            submit_token="t",
            consent=True,
        )
    version = application.versions.get()
    assert version.data["language"] == "fi"
    coordinator = _person("stina@example.org", role=Role.COORDINATOR, language="sv")
    client = client_for(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    html = client.get(reverse("staff:application", args=[application.pk])).content.decode()
    assert '<html lang="sv">' in html
    assert in_lang(html, "Siivouspalvelut") == "fi"
