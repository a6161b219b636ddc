"""The words of published titles and summaries, for correcting typos.

A query that finds nothing has each word replaced by the most similar word
of this list (trigram similarity over a small table with a trigram index),
and the full-text search runs again. A trigger adds the words of a product
when it is published or its title or summary changes, bulk inserts
included. Words of archived products stay: correcting to a word that finds
nothing costs no more than not correcting. PostgreSQL only; SQLite corrects
words in Python.
"""

from django.db import migrations

WORDS_OF_PRODUCT = """
SELECT DISTINCT lexeme
FROM unnest(to_tsvector('simple', coalesce({row}.title, '') || ' ' || coalesce({row}.summary, ''))) AS t
WHERE char_length(lexeme) >= 3 AND lexeme !~ '^[0-9]+$'
"""

FORWARD = f"""
CREATE TABLE products_searchword (word text PRIMARY KEY);

CREATE INDEX products_searchword_trgm
ON products_searchword USING gin (word gin_trgm_ops);

CREATE OR REPLACE FUNCTION products_product_search_words() RETURNS trigger AS $$
BEGIN
  IF NEW.status = 'published' THEN
    INSERT INTO products_searchword (word)
    {WORDS_OF_PRODUCT.format(row="NEW")}
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER products_product_search_words_update
AFTER INSERT OR UPDATE OF title, summary, status ON products_product
FOR EACH ROW EXECUTE FUNCTION products_product_search_words();

INSERT INTO products_searchword (word)
SELECT DISTINCT t.lexeme
FROM products_product p,
  unnest(to_tsvector('simple', coalesce(p.title, '') || ' ' || coalesce(p.summary, ''))) AS t
WHERE p.status = 'published' AND char_length(t.lexeme) >= 3 AND t.lexeme !~ '^[0-9]+$'
ON CONFLICT DO NOTHING;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS products_product_search_words_update ON products_product;
DROP FUNCTION IF EXISTS products_product_search_words();
DROP TABLE IF EXISTS products_searchword;
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("products", "0004_summary_trigram_index")]

    operations = [
        migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD)),
    ]
