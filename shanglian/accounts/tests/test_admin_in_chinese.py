"""/admin in Chinese throughout: every changelist, add and change page as the sysadmin sees it, the
admin's JavaScript catalogue, roles by their Chinese names, one-line inputs for mobiles."""

import gettext
import html
import json
import re
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from shanglian.accounts.models import LoginLockout, TOTPDevice
from shanglian.accounts.roles import Role

# English that /admin showed before (app and model titles of third-party apps, Django's permission names,
# the selector widget's strings, django-otp's field names) and Django's own admin words.
ENGLISH = ["Axes", "Access", "attempts?", "Choose", "Groups?", "Permissions?", "Can add", "Can change", "Can delete",
           "Can view", "User Agent", "Failed Logins", "Attempt Time", "Path", "IP Address", "Meta Data", "Form Data",
           "name", "confirmed", "throttling", "created at", "last used at", "Model name", "Add link", "Select",
           "Add", "Change", "Save", "Delete", "History", "Filter", "Search", "Token", "Tokens", "Auth", "Home",
           "Log out", "View site", "Welcome", "Remove", "Chosen", "Available", "Error"]
ENGLISH_RE = re.compile(r"\b(" + "|".join(ENGLISH) + r")\b")


def visible_text(page):
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def admin_pages(cast):
    cast.users.staff.display_name = "王主任"
    cast.users.staff.save(update_fields=["display_name"])
    TOTPDevice.create_for(cast.users.staff)
    LoginLockout.objects.create(username="staff", ip_address="10.0.0.1", user_agent="Mozilla/5.0", http_accept="*/*",
                                 path_info="/accounts/login/", get_data="", post_data="", failures_since_start=5)
    for model in admin.site._registry:
        opts = model._meta
        yield reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        try:
            yield reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        except NoReverseMatch:
            pass
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            yield reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
    yield reverse("admin:index")


def test_every_admin_page_reads_in_chinese(cast, login):
    client = login(cast.users.admin)
    checked = 0
    for url in admin_pages(cast):
        response = client.get(url)
        if response.status_code == 403:  # an add page the model does not allow (lockouts, authenticators)
            continue
        assert response.status_code == 200, url
        found = ENGLISH_RE.findall(visible_text(response.content.decode()))
        assert not found, f"{url}: {sorted(set(found))}"
        checked += 1
    assert checked > 40


def test_the_sysadmin_gives_a_role_by_its_chinese_name_and_one_only(cast, login):
    client = login(cast.users.admin)
    user = cast.users.leader
    page = client.get(reverse("admin:accounts_user_change", args=[user.pk])).content.decode()
    labels = re.findall(r'name="groups"[^>]*>\s*([^<]+?)\s*</label>', page)
    assert sorted(labels) == sorted(r.label for r in Role if r != Role.AUDITOR)  # 三员分立: never the auditor
    changelist = visible_text(client.get(reverse("admin:accounts_user_changelist")).content.decode())
    assert all(label in changelist for label in Role.labels)  # the 角色 filter
    with pytest.raises(NoReverseMatch):  # the groups themselves are fixed by code, not edited in /admin
        reverse("admin:auth_group_changelist")


def test_a_user_given_two_roles_is_refused_with_a_chinese_message(cast, login):
    from django.contrib.auth.models import Group

    client = login(cast.users.admin)
    user = cast.users.leader
    url = reverse("admin:accounts_user_change", args=[user.pk])
    form = {"username": user.username, "is_active": "on", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
            "groups": [Group.objects.get(name="leader").pk, Group.objects.get(name="staff").pk]}
    response = client.post(url, form)
    assert response.status_code == 200 and "每个用户只能有一个角色" in response.content.decode()
    user.refresh_from_db()
    assert list(user.groups.values_list("name", flat=True)) == ["leader"]


def test_mobile_numbers_are_one_line_inputs_not_textareas(cast, login):
    client = login(cast.users.admin)
    page = client.get(reverse("admin:accounts_user_change", args=[cast.users.staff.pk])).content.decode()
    assert re.search(r'<input type="text" name="mobile"', page)
    assert 'name="mobile"' not in re.sub(r"<input[^>]*>", "", page)  # no <textarea name="mobile">
    person = client.get(reverse("admin:members_person_add")).content.decode()
    for field in ("mobile", "id_number"):
        assert re.search(rf'<input type="text" name="{field}"', person), field


def test_extra_permissions_offered_are_the_apps_own_in_chinese(cast, login):
    page = login(cast.users.admin).get(reverse("admin:accounts_user_change", args=[cast.users.staff.pk]))
    labels = re.findall(r'name="user_permissions"[^>]*>\s*([^<]+?)\s*</label>', page.content.decode())
    assert labels == ["查看完整个人敏感信息"]


def test_the_admins_javascript_catalogue_translates_every_string_of_its_selector_widget(cast, login):
    client = login(cast.users.admin)
    change = client.get(reverse("admin:orgs_chamber_add"))
    assert f'src="{reverse("admin:jsi18n")}"' in change.content.decode()  # served from 'self': the CSP allows it
    assert "'self'" in change["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    catalogue = client.get(reverse("admin:jsi18n"))
    assert catalogue.status_code == 200
    strings = json.loads(re.search(r"const newcatalog = (\{.*?\});", catalogue.content.decode(), re.S).group(1))
    widget = Path(django.__file__).parent / "contrib/admin/static/admin/js/SelectFilter2.js"
    wanted = set(re.findall(r"gettext\('((?:[^'\\]|\\.)*)'\)", widget.read_text()))
    wanted |= set(re.findall(r'gettext\("((?:[^"\\]|\\.)*)"\)', widget.read_text()))
    assert wanted
    missing = {s for s in wanted if not re.search(r"[\u4e00-\u9fff]", str(strings.get(s.replace('\\"', '"'), "")))}
    assert missing == set()


def _po_pairs(path):
    pairs, msgid = {}, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            msgid = json.loads(line[6:])
        elif line.startswith("msgstr ") and msgid:
            pairs[msgid] = json.loads(line[7:])
    return pairs


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_compiled_catalogue_matches_its_source(domain):
    folder = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES"
    with open(folder / f"{domain}.mo", "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    pairs = _po_pairs(folder / f"{domain}.po")
    assert pairs and all(catalogue.gettext(k) == v for k, v in pairs.items()), "run `make messages`"
