from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import connections, models
from django.utils.translation import gettext_lazy as _

from soske.choices import ChoiceLabels


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    REVIEWER = "reviewer", _("Reviewer")
    COORDINATOR = "coordinator", _("Coordinator")


STAFF_ROLES = (Role.REVIEWER, Role.COORDINATOR)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def signed_in(self, pk):
        """The user with this pk (or None) with their roles, in one query: every signed-in
        request reads it (`soske.users.backends`), and `has_role` then asks no more.

        Written as SQL (one row per group, the user's columns repeated) because this runs on
        every request: the ORM's user query and its groups query cost twice as much, and an
        ORM subquery per role more still (issue 13, bench/README.md). Portable SQL: the same
        on PostgreSQL and SQLite."""
        quote = connections[self.db].ops.quote_name
        through = self.model.groups.through
        group = self.model.groups.field.related_model
        user_table, through_table = quote(self.model._meta.db_table), quote(through._meta.db_table)
        group_table = quote(group._meta.db_table)
        sql = (
            f"SELECT u.*, g.{quote('name')} AS soske_role_name FROM {user_table} u"
            f" LEFT JOIN {through_table} ug ON ug.{quote('user_id')} = u.{quote('id')}"
            f" LEFT JOIN {group_table} g ON g.{quote('id')} = ug.{quote('group_id')}"
            f" WHERE u.{quote('id')} = %s"
        )
        rows = list(self.raw(sql, [pk]))
        if not rows:
            return None
        user = rows[0]
        user._role_names = {row.soske_role_name for row in rows if row.soske_role_name}
        del user.soske_role_name
        return user


def display_name(first_name: str, last_name: str, email: str) -> str:
    """How a person is named on pages and in mail: the full name (as Django's
    get_full_name joins it), else the address. For callers that read plain values."""
    return f"{first_name} {last_name}".strip() or email


class User(ChoiceLabels, AbstractUser):
    """A person; the e-mail address is the login."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return display_name(self.first_name, self.last_name, self.email)

    def has_role(self, *roles: Role) -> bool:
        """Whether the user has one of these roles. Roles are asked once per object; the
        signed-in user's come with them (`UserManager.signed_in`)."""
        if not self.is_authenticated:
            return False
        names = {str(r) for r in roles}
        cache = getattr(self, "_role_names", None)
        if cache is None:
            cache = set(self.groups.values_list("name", flat=True))
            self._role_names = cache
        return bool(cache & names)

    @property
    def is_soske_staff(self) -> bool:
        return self.has_role(*STAFF_ROLES)

    @property
    def is_coordinator(self) -> bool:
        return self.has_role(Role.COORDINATOR)
