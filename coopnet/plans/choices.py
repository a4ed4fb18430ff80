from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    AGREEMENT = "agreement", _("Agreement")
    DECREE = "decree", _("Decree or resolution")
    DECISION = "decision", _("Decision")
    STRATEGY = "strategy", _("Strategy")
    PROGRAMME = "programme", _("Programme")
    MAIN_DIRECTIONS = "main_directions", _("Main directions")
    ACTION_PLAN = "action_plan", _("Action plan")
    ROADMAP = "roadmap", _("Roadmap")
    JOINT_STATEMENT = "joint_statement", _("Joint statement")


#: Kinds whose measures are checked for quality flags (they promise measures to be done).
PLAN_KINDS = (
    DocumentKind.PROGRAMME,
    DocumentKind.MAIN_DIRECTIONS,
    DocumentKind.ACTION_PLAN,
    DocumentKind.ROADMAP,
)


class LinkKind(models.TextChoices):
    IMPLEMENTS = "implements", _("implements")
    AMENDS = "amends", _("amends")
    REPLACES = "replaces", _("replaces")


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    PARTIALLY = "partially", _("Partially implemented")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


FLAG_LABELS = {
    "no_deadline": _("No deadline"),
    "no_control_points": _("No control points"),
    "no_responsible": _("No responsible body"),
    "one_sided_responsibility": _("One-sided responsibility"),
    "no_indicator": _("No indicator"),
    "no_risk_assessment": _("No risk assessment"),
    "carried_over": _("Carried over"),
    "overdue": _("Overdue"),
    "stale": _("No recent report"),
}
