from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _


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
        """The user with this pk (or None) and their roles, in one query: every signed-in
        request reads it (`soske.users.backends`), and `has_role` then asks no more
        (issue 13). One EXISTS per role, the same SQL on PostgreSQL and SQLite."""
        through = self.model.groups.through
        flags = {
            f"_has_role_{role.value}": Exists(
                through.objects.filter(user_id=OuterRef("pk"), group__name=role.value)
            )
            for role in Role
        }
        user = self.annotate(**flags).filter(pk=pk).first()
        if user is not None:
            user._role_names = {
                role.value for role in Role if getattr(user, f"_has_role_{role.value}")
            }
        return user


class User(AbstractUser):
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
        return self.get_full_name() or self.email

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
