from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, When
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from shanglian.audit.admin_mixins import AuditedModelAdmin
from shanglian.audit.models import AuditAction
from shanglian.audit.services import record
from shanglian.common.admin_masking import MaskedPersonalFieldsAdmin

from . import services
from .models import LoginLockout, TOTPDevice, User
from .roles import Role, role_from_group_names
from .services import AUDITOR_OUT_OF_BAND, is_auditor_account


def old_role(user):
    """The role value of a user as stored now (None: none, or no user)."""
    if user is None or user.pk is None:
        return None
    role = role_from_group_names(user.groups.values_list("name", flat=True))
    return role.value if role else None

# The roles are the groups, named by their `Role` value and created by code (accounts.services): the
# sysadmin gives a user a role on the user's page, and the groups themselves are not edited in /admin
# (renaming one would take the role away from everyone holding it).
admin.site.unregister(Group)


class RoleField(forms.ModelMultipleChoiceField):
    """The user's role among the groups, by its Chinese name; one at most (`role_of` reads one)."""

    def label_from_instance(self, group):
        role = role_from_group_names([group.name])
        return role.label if role else group.name

    def clean(self, value):
        groups = super().clean(value)
        if len(groups) > 1:
            raise ValidationError("每个用户只能有一个角色，请只勾选一项。")
        return groups


def role_groups():
    """The roles' groups the sysadmin may give, in the order of `Role` (系统管理员 first): never the
    auditor's (三员分立: only `manage.py auditor` on the server makes an auditor)."""
    order = Case(*(When(name=role.value, then=i) for i, role in enumerate(Role)))
    return Group.objects.filter(name__in=Role.values).exclude(name=Role.AUDITOR.value).order_by(order)


class ExtraPermissionField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, permission):
        return permission.name


def extra_permissions():
    """The permissions a sysadmin may grant one user beyond the role (查看完整个人敏感信息 …): the ones the
    apps declare, not Django's add/change/delete/view of every model, which Shanglian does not use
    (roles decide), nor the audit log's (the auditor's role alone reads it)."""
    permissions = Permission.objects.select_related("content_type").exclude(content_type__app_label="audit")
    defaults = {"add", "change", "delete", "view"}
    keep = [p.pk for p in permissions if p.codename.split("_", 1)[0] not in defaults
            or p.codename.split("_", 1)[1] != p.content_type.model]
    return Permission.objects.filter(pk__in=keep).order_by("name")


class RoleFilter(admin.SimpleListFilter):
    title = "角色"
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return Role.choices

    def queryset(self, request, queryset):
        if self.value() in Role.values:
            return queryset.filter(groups__name=self.value())
        return queryset


@admin.register(User)
class UserAdmin(MaskedPersonalFieldsAdmin, AuditedModelAdmin, DjangoUserAdmin):
    list_display = ("username", "display_name", "role_label", "federation", "chamber", "department",
                    "is_active", "last_login")
    list_filter = (RoleFilter, "is_active")
    search_fields = ("username", "display_name")
    filter_horizontal = ()
    fieldsets = DjangoUserAdmin.fieldsets + (
        ("工作单位", {"fields": ("display_name", "mobile", "federation", "chamber", "department", "enterprise",
                              "password_changed_at")}),
    )
    # Django's 超级用户/职员 flags follow the role (sysadmin only), as `services.create_user` sets them: a
    # ticked box would give a business user every permission beside its role.
    readonly_fields = ("password_changed_at", "last_login", "date_joined", "is_staff", "is_superuser")
    autocomplete_fields = ("enterprise",)
    personal_fields = {"mobile": "mobile"}

    @admin.display(description="角色")
    def role_label(self, obj):
        return obj.role_label

    # 三员分立: the auditor's account is read-only here (no edit, password, deletion); `manage.py auditor`
    # on the server creates it and resets its password.
    def has_change_permission(self, request, obj=None):
        if obj is not None and is_auditor_account(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and is_auditor_account(obj):
            return False
        return super().has_delete_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, id)
        if user is not None and is_auditor_account(user):
            raise PermissionDenied(AUDITOR_OUT_OF_BAND)
        if user is not None and user.is_integration:
            raise PermissionDenied("接口集成账号没有密码，不能登录网页。")
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        old = User.objects.filter(pk=obj.pk).first() if change else None
        request._shanglian_old_state = {
            "role": old_role(old), "is_active": old.is_active if old else None,
        }
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        before = getattr(request, "_shanglian_old_state", {"role": None, "is_active": None})
        after = {"role": old_role(user), "is_active": user.is_active}
        sysadmin = after["role"] == Role.SYSADMIN.value
        if (user.is_staff, user.is_superuser) != (sysadmin, sysadmin):
            user.is_staff = user.is_superuser = sysadmin
            user.save(update_fields=["is_staff", "is_superuser"])
        changes = {key: {"old": before[key], "new": after[key]} for key in after if before[key] != after[key]}
        if change and changes:  # 三员分立: each change of role or active flag, old and new (never the password)
            record(AuditAction.UPDATE, actor=request.user, obj=user, detail={"via": "admin", **changes})

    # Deleting an account with audit history disables it instead: its audit rows must keep naming it.
    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if (request.method == "POST" and obj is not None and self.has_delete_permission(request, obj)
                and obj.has_audit_history()):
            services.disable_instead_of_delete(actor=request.user, user=obj, via="admin")
            self.message_user(request, f"用户“{obj.username}”有审计记录，不能删除，已停用。", messages.WARNING)
            return HttpResponseRedirect(reverse("admin:accounts_user_changelist", current_app=self.admin_site.name))
        return super().delete_view(request, object_id, extra_context)

    def log_deletions(self, request, queryset):
        return super().log_deletions(request, [user for user in queryset if not user.has_audit_history()])

    def delete_queryset(self, request, queryset):
        kept = [user for user in queryset if user.has_audit_history()]
        for user in kept:
            services.disable_instead_of_delete(actor=request.user, user=user, via="admin")
        if kept:
            names = "、".join(user.username for user in kept)
            self.message_user(request, f"以下用户有审计记录，不能删除，已停用：{names}。", messages.WARNING)
        super().delete_queryset(request, queryset.exclude(pk__in=[user.pk for user in kept]))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            return db_field.formfield(form_class=RoleField, widget=forms.CheckboxSelectMultiple, label="角色",
                                      help_text="角色决定用户可用的功能和数据范围；每个用户一个角色。",
                                      required=False, queryset=role_groups())
        if db_field.name == "user_permissions":
            return db_field.formfield(form_class=ExtraPermissionField, widget=forms.CheckboxSelectMultiple,
                                      label="附加权限", help_text="在角色之外单独授予该用户的权限。",
                                      required=False, queryset=extra_permissions())
        return super().formfield_for_manytomany(db_field, request, **kwargs)



@admin.register(TOTPDevice)
class TOTPDeviceAdmin(AuditedModelAdmin):
    """Read-only: a sysadmin deletes a lost authenticator, and its user binds a new one at the next login."""

    list_display = ("owner", "device_name", "state", "last_used")
    fields = readonly_fields = ("owner", "device_name", "state", "added", "last_used", "failures")
    search_fields = ("user__username", "user__display_name")

    @admin.display(description="用户")
    def owner(self, obj):
        return obj.user

    @admin.display(description="名称")
    def device_name(self, obj):
        return obj.name

    @admin.display(description="状态")
    def state(self, obj):
        return "已启用" if obj.confirmed else "未完成绑定"

    @admin.display(description="绑定时间")
    def added(self, obj):
        return timezone.localtime(obj.created_at).strftime("%Y-%m-%d %H:%M") if obj.created_at else "—"

    @admin.display(description="最近使用")
    def last_used(self, obj):
        return timezone.localtime(obj.last_used_at).strftime("%Y-%m-%d %H:%M") if obj.last_used_at else "—"

    @admin.display(description="连续验证失败次数")
    def failures(self, obj):
        return obj.throttling_failure_count

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LoginLockout)
class LockoutAdmin(AuditedModelAdmin):
    """django-axes's failure counts by login name and address; deleting one unlocks that login (audited)."""

    list_display = ("username", "ip_address", "attempt_time", "failures_since_start", "status")
    fields = readonly_fields = ("username", "ip_address", "user_agent", "attempt_time", "failures_since_start",
                                "status")
    search_fields = ("username", "ip_address")
    date_hierarchy = "attempt_time"

    @admin.display(description="状态")
    def status(self, obj):
        remaining = settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        return f"尚可尝试 {remaining} 次" if remaining > 0 else "已锁定（删除本记录即解除锁定）"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
