from rest_framework import serializers

from ..models import Country, HSCode, NACECode, Region


class CountrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["code", "iso3", "name_en", "name_ru", "status", "lat", "lon"]


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "country", "name_en", "name_ru", "kind", "lat", "lon"]


class HSCodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = HSCode
        fields = ["code", "parent", "level", "name_en", "name_ru"]


class NACECodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = NACECode
        fields = ["code", "parent", "level", "name_en", "name_ru"]
