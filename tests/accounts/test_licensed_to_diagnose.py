"""The "licensed to diagnose" mark on a staff account: set by administrators
on the staff page, audited."""

from django.urls import reverse

from iop.accounts import roles
from iop.audit.models import AuditEvent
from tests.factories import UserFactory


def _post_change(browser, user, **changes):
    change_url = reverse("admin:accounts_user_change", args=[user.pk])
    form = browser.get(change_url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }
    data.update(
        {
            "username": user.username,
            "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
            "groups": [group.pk for group in user.groups.all()],
            **changes,
        }
    )
    data.pop("last_login", None)
    return browser.post(change_url, data)


def test_staff_page_offers_the_licensed_mark(login, administrator):
    user = UserFactory(username="dana", roles=[roles.COUNSELOR])

    response = login(administrator).get(reverse("admin:accounts_user_change", args=[user.pk]))

    assert "licensed_to_diagnose" in response.context["adminform"].form.fields


def test_administrator_marks_a_counselor_licensed_and_it_is_audited(login, administrator):
    user = UserFactory(username="dana", roles=[roles.COUNSELOR])

    response = _post_change(login(administrator), user, licensed_to_diagnose="on")

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.licensed_to_diagnose
    # The trail names a staff member by the public id, as it does clients.
    event = AuditEvent.objects.get(object_type="accounts.user", object_id=str(user.public_id))
    assert event.details == {"licensed_to_diagnose": True}
    assert event.actor == administrator


def test_staff_list_shows_and_filters_by_the_mark(login, administrator):
    UserFactory(username="dana", roles=[roles.COUNSELOR], licensed_to_diagnose=True)

    response = login(administrator).get(
        reverse("admin:accounts_user_changelist"), {"licensed_to_diagnose__exact": "1"}
    )

    assert response.status_code == 200
    assert [u.username for u in response.context["cl"].result_list] == ["dana"]
