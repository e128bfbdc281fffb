from django.contrib.auth.models import Group

from .models import Role


def ensure_role_groups():
    for role in Role:
        Group.objects.get_or_create(name=role.value)


def grant_role(user, role: Role):
    group, _ = Group.objects.get_or_create(name=role.value)
    user.groups.add(group)
    if hasattr(user, "_role_names"):
        del user._role_names
