"""Agency roles are given and taken in the admin, by administrators only,
and every change is an audit event."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fordela.access import services
from fordela.access.models import StaffAssignment, StaffRole
from fordela.audit.models import AuditEvent


@pytest.fixture
def admin_user(make_user):
    return make_user("admin", is_staff=True, is_superuser=True)


def test_an_administrator_gives_a_role_in_the_admin_and_it_is_audited(
    client, admin_user, make_user
):
    kalle = make_user("kalle")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:access_staffassignment_add"), {"user": kalle.pk, "role": "ekonomi"}
    )
    assert response.status_code == 302
    assert StaffAssignment.objects.get().role == StaffRole.EKONOMI
    event = AuditEvent.objects.get(action="staff_role.granted")
    assert event.actor == admin_user
    assert event.after == {"user": kalle.pk, "role": "ekonomi"}


def test_the_same_role_twice_is_refused_with_a_message(client, admin_user, make_user):
    kalle = make_user("kalle")
    services.grant_staff_role(admin_user, kalle, StaffRole.HANDLAGGARE)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:access_staffassignment_add"), {"user": kalle.pk, "role": "handlaggare"}
    )
    assert response.status_code == 200  # the form again, with the error
    assert StaffAssignment.objects.count() == 1


def test_removing_a_role_in_the_admin_is_audited(client, admin_user, make_user):
    assignment = services.grant_staff_role(admin_user, make_user("kalle"), StaffRole.EKONOMI)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:access_staffassignment_delete", args=[assignment.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not StaffAssignment.objects.exists()
    assert AuditEvent.objects.get(action="staff_role.revoked").before["role"] == "ekonomi"


def test_removing_several_roles_at_once_is_audited_for_each(client, admin_user, make_user):
    for name in ("kalle", "lisa"):
        services.grant_staff_role(admin_user, make_user(name), StaffRole.HANDLAGGARE)
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:access_staffassignment_changelist"),
        {
            "action": "delete_selected",
            "post": "yes",
            "_selected_action": list(StaffAssignment.objects.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 302
    assert not StaffAssignment.objects.exists()
    assert AuditEvent.objects.filter(action="staff_role.revoked").count() == 2


def test_staff_who_are_not_administrators_cannot_reach_the_roles(client, make_user):
    client.force_login(make_user("personal", is_staff=True))
    assert client.get(reverse("admin:access_staffassignment_changelist")).status_code == 403


def test_only_administrators_give_roles(make_user):
    officer = make_user("officer", is_staff=True)
    with pytest.raises(PermissionDenied):
        services.grant_staff_role(officer, officer, StaffRole.EKONOMI)
    assert not StaffAssignment.objects.exists()


def test_a_duplicate_role_is_refused_by_the_service(admin_user, make_user):
    kalle = make_user("kalle")
    services.grant_staff_role(admin_user, kalle, StaffRole.EKONOMI)
    with pytest.raises(ValidationError):
        services.grant_staff_role(admin_user, kalle, StaffRole.EKONOMI)
