"""Full-text search on PostgreSQL: a weighted vector kept by a trigger.

The vector is a plain column filled by a trigger rather than a generated
column, so that the same migrations also run on SQLite (the embedded default),
where these statements are skipped and the simple search is used. The
trigger also fills rows inserted in bulk.
"""

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE OR REPLACE FUNCTION products_product_search_vector() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('russian', coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector('russian', coalesce(NEW.summary, '')), 'B') ||
    setweight(to_tsvector('russian', coalesce(NEW.description, '')), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER products_product_search_vector_update
BEFORE INSERT OR UPDATE OF title, summary, description ON products_product
FOR EACH ROW EXECUTE FUNCTION products_product_search_vector();

UPDATE products_product SET title = title;

CREATE INDEX products_product_search_gin
ON products_product USING gin (search_vector);

CREATE INDEX products_product_title_trgm
ON products_product USING gin (title gin_trgm_ops);
"""

BACKWARD = """
DROP INDEX IF EXISTS products_product_title_trgm;
DROP INDEX IF EXISTS products_product_search_gin;
DROP TRIGGER IF EXISTS products_product_search_vector_update ON products_product;
DROP FUNCTION IF EXISTS products_product_search_vector();
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("products", "0001_initial")]

    operations = [
        migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD)),
    ]
