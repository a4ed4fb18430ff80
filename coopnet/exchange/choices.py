from django.db import models
from django.utils.translation import gettext_lazy as _


class OpportunityKind(models.TextChoices):
    BUSINESS = "business", _("Business cooperation")
    TECHNOLOGY = "technology", _("Technology")
    RESEARCH = "research", _("Research and development")
    SUBCONTRACTING = "subcontracting", _("Subcontracting (request for quotation)")


class Direction(models.TextChoices):
    REQUEST = "request", _("Request")
    OFFER = "offer", _("Offer")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("Under review")
    CHANGES = "changes", _("Changes requested")
    PUBLISHED = "published", _("Published")
    EXPIRED = "expired", _("Expired")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")


class Outcome(models.TextChoices):
    SUPPLY = "supply", _("Supply contract")
    SUBCONTRACTING = "subcontracting", _("Subcontracting agreement")
    JOINT_VENTURE = "joint_venture", _("Joint venture")
    LICENCE = "licence", _("Licence agreement")
    DISTRIBUTION = "distribution", _("Distribution agreement")
    JOINT_RD = "joint_rd", _("Joint research and development")
    NO_AGREEMENT = "none", _("No agreement")


class InterestStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    BROKERING = "brokering", _("With the contact point")
    FORWARDED = "forwarded", _("Forwarded to the owner")
    ACCEPTED = "accepted", _("Accepted: contact shared")
    DECLINED = "declined", _("Declined")
    AGREEMENT = "agreement", _("Became an agreement")
