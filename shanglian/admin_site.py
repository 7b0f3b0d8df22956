"""/admin is for system administrators only, with the second factor verified."""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


class ShanglianAdminSite(admin.AdminSite):
    site_header = "商联通 管理后台"
    site_title = "商联通 管理后台"
    index_title = "系统管理"
    enable_nav_sidebar = True

    def has_permission(self, request):
        from shanglian.accounts.middleware import needs_second_factor
        from shanglian.accounts.roles import Role, has_role

        user = request.user
        if not (user.is_active and has_role(user, Role.SYSADMIN)):
            return False
        return user.is_verified() or not needs_second_factor(user)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            # A logged-in user without the right gets 403 (audited), not the admin's own login page.
            if not request.user.is_authenticated:
                login_url = reverse("accounts:login")
                return redirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")
            if not self.has_permission(request):
                raise PermissionDenied("管理后台仅限系统管理员使用。")
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, inner)

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            raise PermissionDenied("管理后台仅限系统管理员使用。")
        login_url = reverse("accounts:login")
        return redirect(f"{login_url}?{urlencode({'next': request.GET.get('next', '/admin/')})}")


class ShanglianAdminConfig(AdminConfig):
    default_site = "shanglian.admin_site.ShanglianAdminSite"
