"""soske.db.insert_unless_exists: a row once per unique value, in one statement."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cohorts.models import Organisation
from soske import clock
from soske.db import insert_unless_exists
from soske.mail.models import OutgoingEmail


def _email(key, subject="S"):
    moment = clock.now()
    return OutgoingEmail(
        key=key,
        to="a@example.org",
        language="fi",
        subject=subject,
        body_text="B",
        context={"n": 1},
        created_at=moment,
        updated_at=moment,
    )


def test_a_new_row_is_written_in_one_statement_and_gets_its_pk(db):
    email = _email("once:1")
    with CaptureQueriesContext(connection) as queries:
        assert insert_unless_exists(email, unique="key") is True
    assert len(queries) == 1
    assert "ON CONFLICT" in queries[0]["sql"]
    assert email.pk is not None and not email._state.adding
    stored = OutgoingEmail.objects.get(pk=email.pk)
    assert (stored.key, stored.subject, stored.context, stored.status, stored.attempts) == (
        "once:1",
        "S",
        {"n": 1},
        OutgoingEmail.Status.QUEUED,
        0,
    )
    assert stored.created_at == email.created_at


def test_an_existing_value_writes_nothing_and_the_transaction_goes_on(db):
    assert insert_unless_exists(_email("once:2"), unique="key")
    with transaction.atomic():
        second = _email("once:2", subject="other")
        assert insert_unless_exists(second, unique="key") is False
        assert second.pk is None
        # No savepoint was needed: the transaction is not broken by the conflict.
        Organisation.objects.create(name="Org", business_id="1234567-8")
    assert OutgoingEmail.objects.get(key="once:2").subject == "S"
    assert Organisation.objects.filter(business_id="1234567-8").count() == 1


@pytest.mark.parametrize("exists", [False, True])
def test_without_insert_returning_the_savepoint_path_does_the_same(db, monkeypatch, exists):
    if exists:
        Organisation.objects.create(name="First", business_id="7654321-0")
    monkeypatch.setattr("soske.db._in_one_statement", lambda connection: False)
    with transaction.atomic():
        organisation = Organisation(name="Second", business_id="7654321-0")
        assert insert_unless_exists(organisation, unique="business_id") is not exists
        assert (organisation.pk is None) is exists
        Organisation.objects.create(name="Other", business_id="1111111-1")  # not broken
    assert Organisation.objects.get(business_id="7654321-0").name == (
        "First" if exists else "Second"
    )
