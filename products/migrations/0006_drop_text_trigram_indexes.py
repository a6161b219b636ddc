"""Typos are now corrected against the word list of migration 0005, so the
trigram indexes on whole titles and summaries serve no query any more and
only slow down writes."""

from django.db import migrations

FORWARD = """
DROP INDEX IF EXISTS products_product_title_trgm;
DROP INDEX IF EXISTS products_product_summary_trgm;
"""

BACKWARD = """
CREATE INDEX IF NOT EXISTS products_product_title_trgm
ON products_product USING gin (title gin_trgm_ops);
CREATE INDEX IF NOT EXISTS products_product_summary_trgm
ON products_product USING gin (summary gin_trgm_ops);
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("products", "0005_search_words")]

    operations = [
        migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD)),
    ]
