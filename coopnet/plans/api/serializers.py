from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from coopnet.accounts.roles import shown_actor
from coopnet.core.api.serializers import FieldRulesMixin
from coopnet.core.querysets import CHANGE, is_admin
from coopnet.financing.models import Application
from coopnet.reference.models import Country

from ..forms import visible_projects
from ..models import (
    ControlPoint,
    Direction,
    Document,
    DocumentLink,
    Measure,
    ResponsibleBody,
    StatusReport,
    own_country,
)


def _user(serializer: serializers.Serializer) -> Any:  # type: ignore[type-arg]
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class DocumentLinkSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = DocumentLink
        fields = ("id", "from_document", "kind", "to_document", "source")


class DirectionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Direction
        fields = ("id", "number", "title", "title_en", "order", "source")


class DocumentSerializer(FieldRulesMixin, serializers.ModelSerializer):  # type: ignore[type-arg]
    """Writable: the document's own fields and its parties (country codes). Directions, links and measures
    are read here; measures are written through `/api/plans/measures/`."""

    parties = serializers.SlugRelatedField(many=True, slug_field="code", queryset=Country.objects.all(),
                                           required=False)
    directions = DirectionSerializer(many=True, read_only=True)
    links = DocumentLinkSerializer(many=True, read_only=True, source="links_out")
    measures_count = serializers.IntegerField(read_only=True, source="measures.count")

    class Meta:
        model = Document
        fields = ("id", "kind", "title", "title_en", "short_title", "issuing_body", "parties", "other_parties",
                  "number", "signed", "in_force", "period_start", "period_end", "url", "summary",
                  "reporting_period_months", "declared_measures", "declared_done_share", "declared_as_of",
                  "source", "source_note", "is_synthetic", "directions", "links", "measures_count",
                  "created", "updated")
        read_only_fields = ("source", "is_synthetic", "created", "updated")

    def validate_parties(self, value: list[Country]) -> list[Country]:
        country = own_country(_user(self))
        if country and country not in {c.code for c in value}:
            raise serializers.ValidationError(
                _("Your country (%(country)s) must stay a party, or you could no longer edit the document.")
                % {"country": country})
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None and "parties" not in attrs and own_country(_user(self)):
            raise serializers.ValidationError({"parties": _("Name the parties, your country among them.")})
        start = attrs.get("period_start", getattr(self.instance, "period_start", None))
        end = attrs.get("period_end", getattr(self.instance, "period_end", None))
        if start and end and end < start:
            raise serializers.ValidationError({"period_end": _("The period ends before it starts.")})
        return attrs


class ResponsibleBodySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = ResponsibleBody
        fields = ("side", "body")


class ControlPointSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = ControlPoint
        fields = ("date", "description")


class MeasureSerializer(FieldRulesMixin, serializers.ModelSerializer):  # type: ignore[type-arg]
    """Writable with its responsible bodies and control points: a list given replaces the stored one."""

    responsible = ResponsibleBodySerializer(many=True, required=False)
    control_points = ControlPointSerializer(many=True, required=False)
    projects = serializers.PrimaryKeyRelatedField(many=True, required=False, queryset=Application.objects.none())
    number = serializers.CharField(max_length=20)

    class Meta:
        model = Measure
        fields = ("id", "document", "direction", "parent", "number", "text", "text_en", "deadline",
                  "expected_result", "indicator", "risk_assessment", "projects", "linked_projects", "status",
                  "order", "responsible", "control_points", "source", "source_note", "is_synthetic", "created",
                  "updated")
        read_only_fields = ("status", "source", "is_synthetic", "created", "updated")
        validators: list[Any] = []  # the unique number per document is checked in `validate`, on `number`

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _user(self)
        fields = self.fields
        if user is not None and "projects" in fields:
            projects = visible_projects(user)
            if isinstance(self.instance, Measure):  # links made by someone who could see more stay possible
                projects = projects | self.instance.projects.all()
            fields["projects"].child_relation.queryset = projects.distinct()

    def _rows(self, name: str, serializer_class: type) -> list[dict[str, Any]]:
        """Nested rows are validated in full even in a PATCH (DRF would skip their required fields)."""
        rows = serializer_class(data=self.initial_data.get(name), many=True)
        if not rows.is_valid():
            raise serializers.ValidationError(rows.errors)
        return list(rows.validated_data)

    def validate_responsible(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return self._rows("responsible", ResponsibleBodySerializer)

    def validate_control_points(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return self._rows("control_points", ControlPointSerializer)

    def validate_document(self, value: Document) -> Document:
        user = _user(self)
        if user is not None and not Document.objects.restrict(user, CHANGE).filter(pk=value.pk).exists():
            raise PermissionDenied(_("You may not change this document."))
        if self.instance is not None and value.pk != self.instance.document_id:
            raise serializers.ValidationError(_("A measure cannot move to another document."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        doc: Document = attrs.get("document") or self.instance.document  # type: ignore[union-attr]
        errors: dict[str, Any] = {}
        number = attrs.get("number", getattr(self.instance, "number", "")).strip()
        if "number" in attrs:
            attrs["number"] = number
            if not number:
                errors["number"] = [_("This field may not be blank.")]
            elif doc.measures.filter(number=number).exclude(pk=getattr(self.instance, "pk", None) or 0).exists():
                errors["number"] = [_("This document already has a measure %(number)s.") % {"number": number}]
        direction = attrs.get("direction")
        if direction is not None and direction.document_id != doc.pk:
            errors["direction"] = [_("The direction belongs to another document.")]
        parent = attrs.get("parent")
        if parent is not None:
            if parent.document_id != doc.pk:
                errors["parent"] = [_("The measure it is part of belongs to another document.")]
            elif self.instance is not None and self._is_below(parent, self.instance):
                errors["parent"] = [_("A measure cannot be part of itself or of one of its parts.")]
        sides = set(doc.parties.values_list("code", flat=True))
        wrong = [i for i, r in enumerate(attrs.get("responsible", [])) if r["side"] not in sides]
        if wrong:
            errors["responsible"] = {i: {"side": [_("Not a party to the document (%(sides)s).")
                                                  % {"sides": ", ".join(sorted(sides)) or "—"}]} for i in wrong}
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    @staticmethod
    def _is_below(candidate: Measure, measure: Measure) -> bool:
        node: Measure | None = candidate
        seen: set[int] = set()
        while node is not None and node.pk not in seen:
            if node.pk == measure.pk:
                return True
            seen.add(node.pk)
            node = node.parent
        return False

    @transaction.atomic
    def save(self, **kwargs: Any) -> Measure:
        responsible = self.validated_data.pop("responsible", None)
        control_points = self.validated_data.pop("control_points", None)
        measure: Measure = super().save(**kwargs)
        if responsible is not None:
            measure.responsible.all().delete()
            for row in responsible:
                ResponsibleBody.objects.create(measure=measure, **row)
        if control_points is not None:
            measure.control_points.all().delete()
            for row in control_points:
                ControlPoint.objects.create(measure=measure, **row)
        return measure


class StatusReportSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    author = serializers.SerializerMethodField(help_text="The reporter's user name, for administrators and the "
                                               "reporter (null for others, and for reports from a seed document).")
    author_name = serializers.SerializerMethodField(help_text="Who reported, as everyone may see it: role and "
                                                    "organisation or country, or the document it comes from.")

    class Meta:
        model = StatusReport
        fields = ("id", "measure", "date", "status", "evidence", "author", "author_name", "source", "created")
        read_only_fields = ("author", "author_name", "source", "created")

    @extend_schema_field({"type": "string", "nullable": True})
    def get_author(self, obj: StatusReport) -> str | None:
        viewer = _user(self)
        if obj.author is None or not (is_admin(viewer) or getattr(viewer, "pk", None) == obj.author_id):
            return None
        return str(obj.author.get_username())

    def get_author_name(self, obj: StatusReport) -> str:
        return shown_actor(None, obj.author, obj.author_name)

    def validate_date(self, value: Any) -> Any:
        if value > timezone.localdate():
            raise serializers.ValidationError(_("A report cannot be dated in the future."))
        return value
