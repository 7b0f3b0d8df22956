"""我的 on the enterprise's phone pages: its own enterprise's page, the password, signing out."""

from django.urls import reverse


def test_enterprise_user_finds_its_enterprise_password_and_sign_out_under_我的(cast, login):
    page = login(cast.users.ent1).get(reverse("workbench:h5_me")).content.decode()
    assert cast.users.ent1.enterprise.name in page
    assert f'href="{reverse("members:enterprise_detail", args=[cast.users.ent1.enterprise_id])}"' in page
    assert f'href="{reverse("accounts:password_change")}"' in page
    assert f'action="{reverse("accounts:logout")}"' in page and "退出登录" in page


def test_我的_shows_no_other_enterprise(cast, login):
    page = login(cast.users.ent1).get(reverse("workbench:h5_me")).content.decode()
    assert cast.ent2.name not in page


def test_back_office_users_are_refused_the_phone_page(cast, login):
    assert login(cast.users.staff).get(reverse("workbench:h5_me")).status_code == 403
