"""Rows for the staff dashboard's tests: the uptake map's world (S2020/01591
with its 2021 keys published, the real kommuner and regioner) and helpers
that write payables and recovery rows straight to the tables."""

import datetime
import itertools

from django.contrib.auth import get_user_model

from fordela.access.models import StaffAssignment, StaffRole
from fordela.payments.models import Payable, PayableSource, PayableStatus
from fordela.requisitions.models import Requisition

URL = "/handlaggning/oversikt/"
TODAY = "2022-06-15T10:00"
_serial = itertools.count(1)


def staff(role: StaffRole, username: str | None = None):
    user = get_user_model().objects.create_user(username or role.value, password="x")
    StaffAssignment.objects.create(user=user, role=role)
    return user


def payable(requisition: Requisition, due_on: datetime.date, status=PayableStatus.OPEN):
    return Payable.objects.create(
        organisation=requisition.organisation,
        pool=requisition.pool,
        source=PayableSource.REQUISITION,
        reference=f"requisition:{requisition.pk}",
        case_number=requisition.case_number,
        requisition=requisition,
        amount_sek=requisition.amount_sek,
        bank_giro="50501055",
        received_on=due_on - datetime.timedelta(days=30),
        due_on=due_on,
        status=status,
    )
