"""Choices of the financing app (labels translatable)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted by the bank")
    PRIMARY_EXPERTISE = "primary_expertise", _("EEC primary expertise")
    CONSULTATIVE_COMMITTEE = "consultative_committee", _("Consultative Committee on Industry")
    COUNCIL_DECISION = "council_decision", _("EEC Council decision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned to the bank")


class Decision(models.TextChoices):
    SUBMIT = "submit", _("Submit")
    START_EXPERTISE = "start_expertise", _("Start primary expertise")
    PASS_EXPERTISE = "pass_expertise", _("Pass primary expertise")
    RECOMMEND = "recommend", _("Recommend to the Council")
    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Return to the bank")
    REJECT = "reject", _("Reject")
    RESUBMIT = "resubmit", _("Resubmit")


class ParticipantRole(models.TextChoices):
    LEAD = "lead", _("Lead enterprise")
    SUPPLIER = "supplier", _("Supplier")
    BUYER = "buyer", _("Buyer")
    INVESTOR = "investor", _("Investor")
    PARTNER = "partner", _("Partner")


class FlowKind(models.TextChoices):
    DRAWDOWN = "drawdown", _("Drawdown")
    REPAYMENT = "repayment", _("Repayment")


class DayCount(models.TextChoices):
    ACT_365 = "ACT/365", _("Actual/365")
    ACT_ACT = "ACT/ACT", _("Actual/actual")
    ACT_360 = "ACT/360", _("Actual/360")


class Currency(models.TextChoices):
    AMD = "AMD", _("Armenian dram")
    BYN = "BYN", _("Belarusian rouble")
    KGS = "KGS", _("Kyrgyz som")
    KZT = "KZT", _("Kazakh tenge")
    RUB = "RUB", _("Russian rouble")
