from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ..choices import Outcome
from ..models import Interest, Opportunity


class OutcomeField(serializers.ChoiceField):
    """The outcome of a closed opportunity; null while it has none (the database keeps "")."""

    def to_representation(self, value: Any) -> Any:
        return None if value in ("", None) else super().to_representation(value)


class OpportunitySerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="public_id", read_only=True)
    country = serializers.CharField(source="country_id", read_only=True)
    outcome = OutcomeField(choices=Outcome.choices, allow_null=True, read_only=True)

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "kind",
            "direction",
            "title",
            "description",
            "organisation",
            "country",
            "hs_codes",
            "nace_codes",
            "quantity",
            "unit",
            "certifications",
            "countries_wanted",
            "countries_excluded",
            "part_name",
            "drawing_ref",
            "material",
            "tolerances",
            "deadline",
            "status",
            "published_at",
            "expires_on",
            "outcome",
            "created",
            "updated",
        ]
        read_only_fields = fields


class InterestSerializer(serializers.ModelSerializer):
    organisation = serializers.SerializerMethodField()

    class Meta:
        model = Interest
        fields = ["id", "opportunity", "organisation", "message", "anonymous", "brokered", "status", "reply", "created"]
        read_only_fields = fields

    def get_organisation(self, obj: Interest) -> Any:
        return obj.shown_to_owner() if obj.anonymous else obj.organisation.public_id


class MatchRequestSerializer(serializers.Serializer):
    """Documents the request body; validation itself is the engine's `parse_request`."""

    text = serializers.CharField(required=False, allow_blank=True)
    hs = serializers.ListField(child=serializers.CharField(), required=False)
    nace = serializers.ListField(child=serializers.CharField(), required=False)
    quantity = serializers.FloatField(required=False)
    unit = serializers.CharField(required=False)
    certifications = serializers.ListField(child=serializers.CharField(), required=False)
    countries = serializers.ListField(child=serializers.CharField(), required=False)
    exclude_countries = serializers.ListField(child=serializers.CharField(), required=False)
    buyer_country = serializers.CharField(required=False)
    buyer_region = serializers.CharField(required=False)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=500)


class MatchResultSerializer(serializers.Serializer):
    ref = serializers.CharField(allow_null=True)
    id = serializers.CharField()
    name = serializers.CharField()
    country = serializers.CharField()
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.DictField())
    suitable = serializers.BooleanField(help_text="A good enough answer to offer as a partner.")


class MatchResponseSerializer(serializers.Serializer):
    results = MatchResultSerializer(many=True, help_text="The suitable organisations, best first.")
    nothing_suitable = serializers.BooleanField(help_text="No organisation in the registry answers the request.")
    closest = MatchResultSerializer(many=True, help_text="When nothing is suitable: the nearest few.")


class ConsortiumRequestSerializer(serializers.Serializer):
    lines = serializers.ListField(
        child=serializers.JSONField(),
        required=False,
        help_text="Strings ('hs:8408', 'шины') or {label, text, hs, nace, quantity}.",
    )
    bom_csv = serializers.CharField(required=False, help_text="CSV text with columns component, hs, nace, quantity.")
    min_countries = serializers.IntegerField(required=False, min_value=1, max_value=5)
    exclude_countries = serializers.ListField(child=serializers.CharField(), required=False)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=50)
