"""The full-text search table (practices/search.py), in the form the database in use supports.

SQLite: an FTS5 table of Swedish stems; its tokenizer folds diacritics (remove_diacritics 2). PostgreSQL: a
tsvector per practice with a GIN index. No foreign key to the practice on purpose: a search row whose practice
is gone is never shown (search results are looked up among the practices) and is replaced if the id returns.
"""

from django.db import migrations

SQL = {
    "sqlite": (
        ["CREATE VIRTUAL TABLE practices_search USING fts5("
         "title, summary, body, results, tokenize = 'unicode61 remove_diacritics 2')"],
        ["DROP TABLE IF EXISTS practices_search"],
    ),
    "postgresql": (
        ["CREATE TABLE practices_search (practice_id bigint PRIMARY KEY, document tsvector NOT NULL)",
         "CREATE INDEX practices_search_document ON practices_search USING GIN (document)"],
        ["DROP TABLE IF EXISTS practices_search"],
    ),
}


def _run(statements: int):
    def run(apps, schema_editor):
        for sql in SQL.get(schema_editor.connection.vendor, ((), ()))[statements]:
            schema_editor.execute(sql)
        if statements == 0:  # practices saved before the table existed
            from millennium.practices.search import reindex

            reindex(apps.get_model("practices", "Practice").objects.all())

    return run


class Migration(migrations.Migration):

    dependencies = [("practices", "0001_initial")]

    # Only on the database whose vendor has a statement set; other databases get no search table.
    operations = [migrations.RunPython(_run(0), _run(1))]
