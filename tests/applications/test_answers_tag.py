"""The answers tag (applications/templatetags/application_answers.py) writes the markup the
`_answers.html` include wrote (issue 13): sections of <dl>, the dash for an empty answer,
values localized and escaped, links to the steps, and the snapshot's language marked."""

from decimal import Decimal

from django.template import engines
from django.test import SimpleTestCase
from django.utils import translation
from django.utils.safestring import mark_safe

from applications.models import Application

TAG = engines["django"].from_string(
    "{% load application_answers %}{% answers snapshot application=application edit_links=edit %}"
)
html = SimpleTestCase()

SNAPSHOT = {
    "language": "fi",
    "sections": [
        {
            "slug": "organisation",
            "title": "Organisaatio & yhteystiedot",
            "rows": [
                {"field": "org_name", "label": "Nimi", "value": 'Kunta "<b>"'},
                {"field": "business_id", "label": "Y-tunnus", "value": "1234567-8"},
                {"field": "region", "label": "Maakunta", "value": ""},
                {"field": "pilot_value", "label": "Arvo (€)", "value": Decimal("1234.50")},
                {"field": "employees", "label": "Henkilöitä", "value": 0},
                {
                    "field": "themes",
                    "label": "Teemat",
                    "value": mark_safe("<span lang='sv'>Ö</span>"),
                },
            ],
        },
        {"slug": "team", "title": "Tiimi", "rows": []},
    ],
}


def _render(language, *, edit=False):
    with translation.override(language):
        return TAG.render({"snapshot": SNAPSHOT, "application": Application(pk=7), "edit": edit})


def test_the_answers_in_the_snapshots_own_language():
    html.assertHTMLEqual(
        _render("fi"),
        """
        <section class="mb-3" aria-labelledby="section-organisation">
          <h3 class="h5" id="section-organisation">Organisaatio &amp; yhteystiedot</h3>
          <dl class="answers">
            <dt>Nimi</dt><dd>Kunta &quot;&lt;b&gt;&quot;</dd>
            <dt>Y-tunnus</dt><dd class="business-id">1234567-8</dd>
            <dt>Maakunta</dt><dd>–</dd>
            <dt>Arvo (€)</dt><dd>1234,50</dd>
            <dt>Henkilöitä</dt><dd>–</dd>
            <dt>Teemat</dt><dd><span lang="sv">Ö</span></dd>
          </dl>
        </section>
        <section class="mb-3" aria-labelledby="section-team">
          <h3 class="h5" id="section-team">Tiimi</h3><p>–</p>
        </section>
        """,
    )


def test_another_language_is_marked_and_the_steps_are_linked():
    out = _render("en", edit=True)
    assert out.startswith('<div lang="fi">') and out.endswith("</div>")
    assert (
        '<h3 class="h5" id="section-team">Tiimi <a class="fs-6 fw-normal" '
        'href="/applications/7/step/team/">Edit<span class="visually-hidden">: Tiimi</span>'
        "</a></h3>"
    ) in out
    assert "<dt>Arvo (€)</dt><dd>1234.50</dd>" in out  # localized for the page's language


def test_the_other_reviewers_scores_are_escaped_and_a_fallen_back_name_is_marked():
    from applications.scoring import OtherReview
    from cohorts.models import Criterion
    from soske.users.models import User

    only_finnish = Criterion(key="a", name_fi="Kehittämistahto", name_sv="", name_en="", weight=3)
    both = Criterion(key="b", name_fi="Sitoutuminen", name_sv="Engagemang", weight=2)
    reviewer = User(email="r@example.org", first_name="Rita <R>", last_name="Arvioija")
    scores = [
        type("Score", (), {"criterion": only_finnish, "value": 4, "justification": 'Hyvä "<b>"'}),
        type("Score", (), {"criterion": both, "value": 2, "justification": ""}),
    ]
    tag = engines["django"].from_string("{% load scoring_page %}{% other_reviews others %}")
    with translation.override("sv"):
        rendered = tag.render({"others": [OtherReview(reviewer, scores)]})
    html.assertHTMLEqual(
        rendered,
        """
        <h3 class="h6">Rita &lt;R&gt; Arvioija</h3>
        <ul>
          <li><span lang="fi">Kehittämistahto</span>: 4 – Hyvä &quot;&lt;b&gt;&quot;</li>
          <li>Engagemang: 2</li>
        </ul>
        """,
    )
    assert tag.render({"others": []}) == ""
