import time

from django.contrib.auth.signals import user_logged_in
from django.db.models import ProtectedError
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from .models import User


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session["auth_started"] = now
        request.session["last_activity"] = now


@receiver(pre_delete, sender=User)
def refuse_deleting_a_user_with_audit_history(sender, instance, **kwargs):
    """The last guard for deletes that bypass `User.delete()` (a queryset, a cascade): an account named by
    audit rows is disabled through `services.disable_instead_of_delete`, never deleted."""
    if instance.has_audit_history():
        raise ProtectedError(f"用户“{instance.username}”有审计记录，不能删除，只能停用。", {instance})
