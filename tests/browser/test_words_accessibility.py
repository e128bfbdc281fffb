"""axe-core (WCAG 2.1 A and AA) finds nothing on the pages that word stored data in the
reader's language, in fi, sv and en: a version's answers read by staff (a new snapshot made
in another language, and an old one without raw values), the applicant's receipt, the
history with criterion names, the call page and the cohort form with the names in three
languages (and its error state). A name or text that is not in the page's language is
inside an element with its `lang`.
"""

import pytest
from django.utils import translation

from applications import services
from applications.models import ApplicationVersion
from soske import clock
from soske.users.models import Role
from tests.factories import ApplicationFactory, CohortFactory

from .conftest import LANGUAGES, set_language_cookie, sign_in
from .test_accessibility import assert_lang, person, submit_form_of
from .test_selection_accessibility import review

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("language", LANGUAGES)]

OLD_SNAPSHOT = {
    "sections": [
        {
            "slug": "organisation",
            "title": "Organisaatio",
            "rows": [
                {"label": "Organisaation nimi", "value": "Vanhala"},
                {"label": "Organisaation tyyppi", "value": "Kunta"},
            ],
        }
    ],
    "language": "fi",
}


def submitted_in(language, cohort, user, token):
    application = ApplicationFactory(cohort=cohort, created_by=user, complete=True)
    with translation.override(language):
        services.application_submit(
            application=application, actor=user, at=clock.now(), submit_token=token, consent=True
        )
    application.refresh_from_db()
    return application


def test_pages_that_word_stored_data_for_the_reader(page, context, live_server, axe, language):
    # Only a Finnish name: the sv and en pages show it marked as Finnish.
    cohort = CohortFactory(name="Soske-akatemia 2031")
    other = "sv" if language != "sv" else "fi"
    # Sam's account is in the page's language; Sam submitted from a page in the other.
    applicant = person("sam@example.org", language, Role.APPLICANT)
    application = submitted_in(other, cohort, applicant, "words-a")
    old = submitted_in(other, cohort, person("olli@example.org", "fi"), "words-b")
    # As versions were stored before their rows kept the raw values.
    ApplicationVersion.objects.filter(application=old).update(data=OLD_SNAPSHOT)
    reviewer = person("rita@example.org", other, Role.REVIEWER)
    with translation.override(other):
        review(application, reviewer, 3, 4, 2, 5)
    coordinator = person("cecilia@example.org", language, Role.COORDINATOR)
    sign_in(context, live_server, coordinator)
    set_language_cookie(context, live_server, language)

    page.goto(f"/staff/applications/{application.pk}/")
    assert_lang(page, language)
    axe.check(page, "answers of a version made in another language")
    page.goto(f"/staff/applications/{old.pk}/")
    marked = page.locator("div[lang=fi] h3#section-organisation")
    assert marked.count() == (0 if language == "fi" else 1)
    axe.check(page, "answers of an old snapshot")
    page.goto(f"/staff/applications/{application.pk}/history/")
    axe.check(page, "history with criterion names")
    page.goto(f"/call/{cohort.slug}/")
    if language != "fi":
        assert page.locator("p.lead span[lang=fi]").inner_text() == "Soske-akatemia 2031"
    axe.check(page, "call page")
    page.goto(f"/staff/cohorts/{cohort.pk}/")
    assert page.locator("#id_name_sv[lang=sv]").count() == 1
    axe.check(page, "cohort form with the names")
    page.locator("#id_name").fill("")
    page.locator("#id_name_sv").fill("Soske-akademin 2031")
    submit_form_of(page)
    assert page.locator("#error-summary a[href='#id_name']").count() == 1
    assert page.locator("#id_name_sv").input_value() == "Soske-akademin 2031"
    axe.check(page, "cohort form with errors")

    context.clear_cookies()
    sign_in(context, live_server, applicant)
    set_language_cookie(context, live_server, language)
    page.goto(f"/applications/{application.pk}/receipt/1/")
    assert_lang(page, language)
    axe.check(page, "receipt")
    axe.assert_clean()
