"""The results book and a team's summary: built by the job, kept as versions, a tagged
PDF (PDF/UA-1) whose structure, language, title, bookmarks and text are read back."""

import io

import pypdf
import pytest

from deliverables import book, book_jobs
from deliverables.models import BookState, ResultsBook
from soske.activity.models import ActivityEntry
from tests.deliverables.book_world import CONTENT, complete_work


@pytest.fixture
def worked(teams, coordinator):
    complete_work(teams, coordinator=coordinator)
    return teams


def _build(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        row, started = book_jobs.book_start(**kwargs)
    row.refresh_from_db()
    return row, started


def _reader(row) -> pypdf.PdfReader:
    with row.file.open("rb") as handle:
        return pypdf.PdfReader(io.BytesIO(handle.read()))


def _text(reader) -> str:
    return " ".join(page.extract_text() for page in reader.pages)


def _structure(node, found):
    node = node.get_object()
    if not isinstance(node, dict):
        return
    if "/S" in node:
        found.append(str(node["/S"]))
    kids = node.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, list) else [kids]:
        if hasattr(kid, "get_object"):
            _structure(kid, found)


def _outline_titles(items) -> list:
    titles = []
    for item in items:
        if isinstance(item, list):
            titles.extend(_outline_titles(item))
        else:
            titles.append(item.title)
    return titles


def test_the_book_is_a_tagged_pdf_with_every_teams_results(
    worked, coordinator, django_capture_on_commit_callbacks
):
    row, started = _build(
        django_capture_on_commit_callbacks,
        cohort=worked.cohort, actor=coordinator, language="fi",
    )  # fmt: skip
    assert started and row.state == BookState.DONE, row.error
    assert (row.progress_done, row.progress_total) == (2, 2)
    assert row.filename.startswith(f"Soske-{worked.cohort.slug}-tulokset-")
    assert row.duration_ms is not None and row.source["teams"] == 2
    reader = _reader(row)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fi"
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]) is True
    assert reader.metadata.title == f"Tulokset: {worked.cohort.name}"
    tags = []
    _structure(root["/StructTreeRoot"], tags)
    headings = [int(tag[2]) for tag in tags if tag in {"/H1", "/H2", "/H3", "/H4", "/H5"}]
    assert headings[0] == 1
    assert all(b - a <= 1 for a, b in zip(headings, headings[1:])), headings
    assert "/Table" in tags and "/TH" in tags and "/TD" in tags
    outline = _outline_titles(reader.outline)
    for name in ("Työllistäjä kunta", "Oikeudet kaupunki"):
        assert name in outline
    text = _text(reader)
    for expected in (
        "Työllistäjä kunta",
        "Oikeudet kaupunki",
        "Siivouspalvelut",
        "24 henkilötyökuukautta",  # the employment team's conditions
        "Työvaatteet",  # the human-rights team's risk matrix
        "Hieno suunnitelma, Työllistäjä kunta.",
        "Oikeudet kaupunki kiittää: selkeä pilotti.",
        "Tarjouspyyntö julkaistu",  # the pilot procurement's status
    ):
        assert expected in text, expected
    assert "Asiaton kommentti" not in text  # hidden
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts <= {"Soske-Sans", "Soske-Sans-Bold", "Soske-Sans-Italic"} or all(
        "Soske" in f or "SourceSans" in f for f in fonts
    ), fonts


def test_a_second_start_while_one_is_queued_finds_the_first(worked, coordinator):
    first, started = book_jobs.book_start(cohort=worked.cohort, actor=coordinator, language="sv")
    again, started_again = book_jobs.book_start(
        cohort=worked.cohort, actor=coordinator, language="fi"
    )
    assert started and not started_again and again.pk == first.pk
    assert ResultsBook.objects.count() == 1
    assert ActivityEntry.objects.filter(action="results_book.started").count() == 1


def test_a_failed_build_says_why_and_the_previous_book_stays(
    worked, coordinator, django_capture_on_commit_callbacks, monkeypatch
):
    good, _ = _build(django_capture_on_commit_callbacks, cohort=worked.cohort,
                     actor=coordinator, language="en")  # fmt: skip
    assert good.filename.startswith(f"Soske-{worked.cohort.slug}-results-")

    def broken(html):
        raise RuntimeError("the renderer ran out of paper")

    monkeypatch.setattr(book, "html_to_pdf", broken)
    failed, _ = _build(django_capture_on_commit_callbacks, cohort=worked.cohort,
                       actor=coordinator, language="en")  # fmt: skip
    assert failed.state == BookState.FAILED
    assert "ran out of paper" in failed.error
    assert book_jobs.latest_done(worked.cohort) == good


def test_the_team_summary_holds_only_what_the_team_may_see(
    worked, django_capture_on_commit_callbacks
):
    row, _ = _build(django_capture_on_commit_callbacks, cohort=worked.cohort,
                    actor=worked.user, language="fi", team=worked.team)  # fmt: skip
    assert row.state == BookState.DONE, row.error
    assert row.filename.startswith("Soske-tyollistaja-kunta-yhteenveto-")
    reader = _reader(row)
    assert len(reader.pages) == 1
    text = _text(reader)
    assert "Työllistäjä kunta" in text and "Siivouspalvelut" in text
    assert "Oikeudet kaupunki" not in text.replace("Oikeudet kaupunki kiittää", "")
    assert "Asiaton" not in text


def test_the_fetcher_reaches_no_network_and_no_other_file():
    with pytest.raises(book.FetchRefused):
        book.restricted_fetcher().fetch("https://fonts.example.org/font.woff2")
    with pytest.raises(book.FetchRefused):
        book.restricted_fetcher().fetch("file:///etc/passwd")
    response = book.restricted_fetcher().fetch(book.fonts()["regular"])
    assert response.url.startswith("file://") and response.url.endswith("Regular.ttf")


def test_long_text_wraps_and_a_long_table_repeats_its_header_on_every_page(worked, coordinator):
    from weasyprint import HTML

    from deliverables import services
    from deliverables.models import Kind

    kickoff = worked.cohort.assignments.get(kind=Kind.KICKOFF)
    submission = services.submission_for(assignment=kickoff, team=worked.team)
    rows = [
        {
            "category": f"Luokka {n:02d}",
            "annual_spend": f"{1000 * n}.00",
            "risk": "Pitkä" * 60 if n == 1 else "riski",
            "chosen": n % 3 == 0,
        }  # fmt: skip
        for n in range(1, 121)
    ]
    services.draft_save(
        submission=submission, actor=worked.user,
        content={"categories": {"rows": rows},
                 "impact": {**CONTENT["kickoff"]["impact"], "subject": "x" * 400}},
    )  # fmt: skip
    services.submission_submit(submission=submission, actor=worked.user, token="long")
    html = book.render_html(
        book.cohort_book(worked.cohort), language="fi", template="deliverables/book/book.html"
    )
    document = HTML(
        string=html, base_url=book.stylesheet_path(), url_fetcher=book.restricted_fetcher()
    ).render(pdf_variant="pdf/ua-1")

    def boxes(box):
        yield box
        for child in getattr(box, "children", []):
            yield from boxes(child)

    overflowing = []
    for number, page in enumerate(document.pages, start=1):
        width = page.width
        for box in boxes(page._page_box):
            if box.element_tag in ("html", "body", None) or not hasattr(box, "width"):
                continue
            right = box.position_x + box.margin_width()
            if right > width + 0.5:
                overflowing.append((number, box.element_tag, round(right - width, 1)))
    assert overflowing == []
    reader = pypdf.PdfReader(io.BytesIO(document.write_pdf(pdf_variant="pdf/ua-1")))
    pages_with_rows = [
        page.extract_text() for page in reader.pages if "Luokka 0" in page.extract_text()
        or "Luokka 1" in page.extract_text()
    ]  # fmt: skip
    assert len(pages_with_rows) >= 2  # 120 rows do not fit one page
    for text in pages_with_rows:
        assert "Vuotuinen hankintameno (€)" in " ".join(text.split())  # the header, repeated
