from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import serializers

from ..models import ControlPoint, Direction, Document, DocumentLink, Measure, ResponsibleBody, StatusReport


class DocumentLinkSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = DocumentLink
        fields = ("id", "from_document", "kind", "to_document", "source")


class DirectionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Direction
        fields = ("id", "number", "title", "title_en", "order", "source")


class DocumentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    parties = serializers.SlugRelatedField(many=True, slug_field="code", read_only=True)
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


class ResponsibleBodySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = ResponsibleBody
        fields = ("side", "body")


class ControlPointSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = ControlPoint
        fields = ("date", "description")


class MeasureSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    responsible = ResponsibleBodySerializer(many=True, read_only=True)
    control_points = ControlPointSerializer(many=True, read_only=True)

    class Meta:
        model = Measure
        fields = ("id", "document", "direction", "parent", "number", "text", "text_en", "deadline",
                  "expected_result", "indicator", "risk_assessment", "linked_projects", "status",
                  "responsible", "control_points", "source", "source_note", "is_synthetic", "created", "updated")
        read_only_fields = ("status",)


class StatusReportSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = StatusReport
        fields = ("id", "measure", "date", "status", "evidence", "author", "author_name", "source", "created")
        read_only_fields = ("author", "author_name", "source", "created")

    def validate_date(self, value: Any) -> Any:
        if value > timezone.localdate():
            raise serializers.ValidationError("A report cannot be dated in the future.")
        return value
