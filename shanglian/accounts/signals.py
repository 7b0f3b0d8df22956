import time

from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.db.models.signals import m2m_changed, pre_delete
from django.dispatch import receiver

from .models import User
from .roles import Role


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session["auth_started"] = now
        request.session["last_activity"] = now


@receiver(m2m_changed, sender=User.groups.through)
def one_role_per_user(sender, instance, action, reverse, pk_set, **kwargs):
    """三员分立 at save level: whichever way a group is added (a form, the shell, a fixture, the reverse
    side `group.user_set`), no user ends up holding two roles (sysadmin, auditor, business role)."""
    if action != "pre_add" or not pk_set:
        return
    role_names = set(Role.values)
    if reverse:  # instance is a Group, pk_set the users'
        if instance.name not in role_names:
            return
        pairs = [(pk, {instance.name}) for pk in pk_set]
    else:
        adding = set(Group.objects.filter(pk__in=pk_set, name__in=role_names).values_list("name", flat=True))
        if not adding:
            return
        pairs = [(instance.pk, adding)]
    for user_pk, adding in pairs:
        held = set(Group.objects.filter(user__pk=user_pk, name__in=role_names).values_list("name", flat=True))
        if len(held | adding) > 1:
            raise ValidationError("每个用户只能有一个角色：系统管理员、审计员与业务角色不得兼任。")


@receiver(pre_delete, sender=User)
def refuse_deleting_a_user_with_audit_history(sender, instance, **kwargs):
    """The last guard for deletes that bypass `User.delete()` (a queryset, a cascade): an account named by
    audit rows is disabled through `services.disable_instead_of_delete`, never deleted."""
    if instance.has_audit_history():
        raise ProtectedError(f"用户“{instance.username}”有审计记录，不能删除，只能停用。", {instance})
