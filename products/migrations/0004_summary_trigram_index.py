"""A trigram index on summaries, so typo-tolerant search covers them too."""

from django.db import migrations


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("products", "0003_reference_data")]

    operations = [
        migrations.RunPython(
            on_postgresql(
                "CREATE INDEX products_product_summary_trgm "
                "ON products_product USING gin (summary gin_trgm_ops)"
            ),
            on_postgresql("DROP INDEX IF EXISTS products_product_summary_trgm"),
        ),
    ]
