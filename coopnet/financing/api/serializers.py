from __future__ import annotations

from typing import Any

from rest_framework import serializers

from coopnet.accounts.roles import shown_actor

from ..models import (
    Application,
    ApplicationParticipant,
    ApprovedLender,
    BaseRate,
    BudgetEnvelope,
    LoanFlow,
    RuleSetVersion,
    StageTransition,
)


class BaseRateSerializer(serializers.ModelSerializer):
    class Meta:
        model = BaseRate
        fields = ["id", "country", "date", "rate", "source", "source_note"]


class RuleSetSerializer(serializers.ModelSerializer):
    industries = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = RuleSetVersion
        fields = [
            "id", "name", "effective_from", "min_member_states", "max_duration_years", "currencies",
            "margin_pp", "subsidised_share", "annual_cap_rub", "industries", "min_cost_rub",
            "min_partner_supply_share", "day_count", "budget_share_pct", "source",
        ]


class ApprovedLenderSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApprovedLender
        fields = ["id", "name", "aliases", "country", "organisation", "approved_on", "removed_on", "source"]


class ParticipantSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationParticipant
        fields = ["name", "country", "role", "organisation"]


class FlowSerializer(serializers.ModelSerializer):
    class Meta:
        model = LoanFlow
        fields = ["kind", "date", "amount"]


class TransitionSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField(help_text="Who decided: role and organisation (never a user name).")

    class Meta:
        model = StageTransition
        fields = ["decision", "from_stage", "to_stage", "actor_name", "at", "reason", "subsidy_total_rub"]

    def get_actor_name(self, obj: StageTransition) -> str:
        return shown_actor(None, obj.actor, obj.actor_name)


class ApplicationSerializer(serializers.ModelSerializer):
    participants = ParticipantSerializer(many=True, read_only=True)
    flows = FlowSerializer(many=True, read_only=True)
    transitions = TransitionSerializer(many=True, read_only=True)
    bank_name = serializers.CharField(source="bank.name", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id", "reference", "title", "industry", "bank", "bank_name", "lender_name", "lender_country",
            "currency", "loan_rate", "cost_rub", "application_date", "start", "completion", "stage",
            "stage_changed", "participants", "flows", "transitions",
        ]
        read_only_fields = fields


class TransitionRequestSerializer(serializers.Serializer):
    decision = serializers.CharField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class BudgetEnvelopeSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(max_digits=20, decimal_places=2, read_only=True)
    committed = serializers.DecimalField(max_digits=20, decimal_places=2, read_only=True)
    remaining = serializers.DecimalField(max_digits=20, decimal_places=2, read_only=True)

    class Meta:
        model = BudgetEnvelope
        fields = ["year", "duties_revenue_rub", "share_pct", "amount", "committed", "remaining", "source"]


class CheckRequestSerializer(serializers.Serializer):
    """Documents the request body of `POST /api/projects/check/` (the `projects check` file)."""

    title = serializers.CharField()
    industry = serializers.CharField()
    application_date = serializers.DateField()
    start = serializers.DateField()
    completion = serializers.DateField()
    participants = serializers.ListField(child=serializers.DictField())
    loan = serializers.DictField()
    base_rates = serializers.ListField(child=serializers.DictField(), required=False)
    fx_rub = serializers.DecimalField(max_digits=20, decimal_places=8, required=False)

    def to_internal_value(self, data: Any) -> Any:
        return data
