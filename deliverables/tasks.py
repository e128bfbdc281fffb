from celery import shared_task


@shared_task
def build_results_book(book_id):
    """Render one results book or team summary; progress and failure go on its row."""
    from .book_jobs import book_build

    return book_build(book_id).state


@shared_task
def send_followups():
    """Beat: the 6- and 12-month follow-up questionnaires that are due; each team and round
    once."""
    from .followup import followups_send_due

    return followups_send_due()
