from __future__ import annotations

from rest_framework import serializers

from coopnet.core.api.serializers import FieldRulesMixin, ModelCleanMixin

from ..models import Competency, Link, Organisation, OrganisationName, Site

# Free-text fields are unbounded TextFields in the database; the API refuses megabyte-sized essays.
TEXT_MAX_LENGTH = 20_000
LONG_TEXT = {"max_length": TEXT_MAX_LENGTH}


class OrganisationNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrganisationName
        fields = ["name", "language", "kind"]


class CompetencySerializer(FieldRulesMixin, ModelCleanMixin, serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="public_id", queryset=Organisation.objects.all())
    hs = serializers.ListField(source="hs_list", read_only=True)
    nace = serializers.ListField(source="nace_list", read_only=True)

    class Meta:
        model = Competency
        fields = ["id", "organisation", "description", "description_en", "hs_codes", "nace_codes", "hs", "nace",
                  "capacity_quantity", "capacity_unit", "capacity_period", "certifications", "source",
                  "is_synthetic", "updated"]
        read_only_fields = ["updated"]
        extra_kwargs = {"description": LONG_TEXT, "description_en": LONG_TEXT}


class SiteSerializer(FieldRulesMixin, ModelCleanMixin, serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="public_id", queryset=Organisation.objects.all())
    partner = serializers.SlugRelatedField(slug_field="public_id", queryset=Organisation.objects.all(),
                                           allow_null=True, required=False)

    class Meta:
        model = Site
        fields = ["id", "organisation", "kind", "country", "region", "city", "lat", "lon", "partner", "description",
                  "year", "source"]
        extra_kwargs = {"description": LONG_TEXT}


class LinkSerializer(serializers.ModelSerializer):
    partner = serializers.SlugRelatedField(slug_field="public_id", read_only=True)

    class Meta:
        model = Link
        fields = ["partner", "kind", "description", "year", "source"]


class OrganisationSerializer(FieldRulesMixin, ModelCleanMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="organisation-detail", lookup_field="public_id")
    names = OrganisationNameSerializer(many=True, read_only=True)
    competencies = CompetencySerializer(many=True, read_only=True)
    sites = SiteSerializer(many=True, read_only=True)
    links = LinkSerializer(many=True, read_only=True)
    merged_into = serializers.SlugRelatedField(slug_field="public_id", read_only=True)

    class Meta:
        model = Organisation
        fields = ["url", "public_id", "ref", "name", "name_en", "legal_form", "kind", "country", "region", "city",
                  "lat", "lon", "tax_id", "employees", "size", "website", "description", "names", "competencies",
                  "sites", "links", "merged_into", "is_synthetic", "source", "created", "updated"]
        read_only_fields = ["public_id", "merged_into", "created", "updated"]
        extra_kwargs = {"description": LONG_TEXT}


class OrganisationListSerializer(OrganisationSerializer):
    class Meta(OrganisationSerializer.Meta):
        fields = ["url", "public_id", "ref", "name", "name_en", "legal_form", "kind", "country", "region", "city",
                  "lat", "lon", "employees", "size", "website", "is_synthetic", "updated"]
