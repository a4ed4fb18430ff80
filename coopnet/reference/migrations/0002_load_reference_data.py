"""Load the reference data shipped in coopnet/reference/data/ (countries, regions, HS, NACE)."""
from django.db import migrations


def load(apps, schema_editor):
    from coopnet.reference.loading import load as load_rows

    load_rows(apps.get_model("reference", "Country"), apps.get_model("reference", "Region"),
              apps.get_model("reference", "HSCode"), apps.get_model("reference", "NACECode"))


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
