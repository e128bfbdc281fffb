import pytest
from django.core.cache import cache
from django.test import Client

from soske import celery_app
from soske.users.models import STAFF_ROLES, Role
from soske.users.roles import grant_role
from tests.factories import ApplicationFactory, CohortFactory, UserFactory


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations():
    """The .mo files are built, not committed: build them so the suite tests real text."""
    from django.core.management import call_command

    call_command("compilemessages", ignore=[".venv"], verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def _compiled_queries_checked():
    """Every compiled query (soske.compiled) is also compiled the ORM's way and compared,
    so that a query whose shape depends on its ids fails the test that runs it."""
    from soske.compiled import Compiled

    Compiled.check = True
    yield
    Compiled.check = False


@pytest.fixture(scope="session", autouse=True)
def _exports_stored_apart(tmp_path_factory):
    """The spreadsheets the tests build (soske.exports) go to a folder of their own."""
    from django.core.files.storage import FileSystemStorage

    from soske.exports.models import Export

    field = Export._meta.get_field("file")
    previous = field.storage
    field.storage = FileSystemStorage(location=tmp_path_factory.mktemp("exports"))
    yield
    field.storage = previous


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing strength is not under test; PBKDF2 would dominate the suite's time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _eager_celery_and_clean_cache(settings):
    """Unit tests run tasks in-process; the integration tests start a real worker."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    cache.clear()
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def cohort(db):
    return CohortFactory()


def _person(email, role=None, language="fi", *, totp=None):
    """A person with `role`; staff (reviewers, coordinators) with an activated authenticator
    app, as the site requires of them (`totp=False`: a staff member who has none yet)."""
    if totp is None:
        totp = role in STAFF_ROLES
    user = UserFactory(email=email, language=language, totp=totp)
    if role:
        grant_role(user, role)
    return user


@pytest.fixture
def applicant(db):
    return _person("alice@example.org", Role.APPLICANT)


@pytest.fixture
def other_applicant(db):
    return _person("bob@example.org", Role.APPLICANT)


@pytest.fixture
def reviewer(db):
    return _person("rita.reviewer@example.org", Role.REVIEWER)


@pytest.fixture
def coordinator(db):
    return _person("cecilia.coordinator@example.org", Role.COORDINATOR)


@pytest.fixture
def anonymous():
    return Client(HTTP_HOST="127.0.0.1")


def client_for(user) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


@pytest.fixture
def applicant_client(applicant):
    return client_for(applicant)


@pytest.fixture
def other_client(other_applicant):
    return client_for(other_applicant)


@pytest.fixture
def reviewer_client(reviewer):
    return client_for(reviewer)


@pytest.fixture
def coordinator_client(coordinator):
    return client_for(coordinator)


@pytest.fixture
def draft(applicant, cohort):
    return ApplicationFactory(cohort=cohort, created_by=applicant)


@pytest.fixture
def complete_draft(applicant, cohort):
    return ApplicationFactory(cohort=cohort, created_by=applicant, complete=True)


# The need-to-know personas of the access table (tests/soske/test_access.py).
@pytest.fixture
def unassigned_reviewer_client(db):
    return client_for(_person("ulla.unassigned@example.org", Role.REVIEWER))


@pytest.fixture
def conflicted_coordinator(db):
    return _person("conrad.conflicted@example.org", Role.COORDINATOR)


@pytest.fixture
def conflicted_coordinator_client(conflicted_coordinator):
    return client_for(conflicted_coordinator)


# A coordinator who has not set up an authenticator app yet: every page that needs signing
# in sends them to set one up (a coordinator, so that no staff page is refused for want of
# a role alone).
@pytest.fixture
def staff_without_mfa(db):
    return _person("sami.second-factorless@example.org", Role.COORDINATOR, totp=False)


@pytest.fixture
def staff_without_mfa_client(staff_without_mfa):
    return client_for(staff_without_mfa)
