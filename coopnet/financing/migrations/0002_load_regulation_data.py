"""Load the shipped regulation data: industries, rule sets, approved lenders, base-rate histories."""

from django.db import migrations


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    from coopnet.financing.loading import load as load_data

    load_data(
        apps.get_model("financing", "Industry"),
        apps.get_model("financing", "RuleSetVersion"),
        apps.get_model("financing", "ApprovedLender"),
        apps.get_model("financing", "BaseRate"),
        apps.get_model("reference", "Country"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("financing", "0001_initial"),
        ("reference", "0002_load_reference_data"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
