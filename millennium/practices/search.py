"""Full-text search of practices in Swedish, on SQLite and on PostgreSQL.

Both databases keep a side table, `practices_search`, one row per practice, written on every save and removed on
delete (signals.py); migration 0002 creates it for the database in use.

- SQLite: an FTS5 table of the Swedish Snowball stems (snowballstemmer) of title, summary, body and results;
  its tokenizer (unicode61, remove_diacritics 2) folds å, ä, ö to a, a, o on both sides, so "jamstalldhet"
  finds "jämställdhet". Ranked with bm25, the title weighing most.
- PostgreSQL: a tsvector from `to_tsvector('swedish', …)` (the same Snowball stemmer) with a GIN index, ranked
  with ts_rank. PostgreSQL folds no diacritics without the unaccent extension, which a database may not have:
  so the text is indexed twice, as written and folded (here, in Python), and a query word matches either form.

A query word matches words that begin with its stem ("jämställd" finds "jämställdhetsarbete"): Swedish joins
words into compounds, and a search for the first part should find them. Every word must match (AND); stop
words ("och", "i", …) are left out. The body is indexed as the reader sees it: the text of its sanitised HTML.
"""

import html
import re
import unicodedata
from functools import cache

import snowballstemmer
from django.db import connection
from django.utils.html import strip_tags

TABLE = "practices_search"
FIELDS = ("title", "summary", "body", "results")
# bm25 weights per FIELDS on SQLite, setweight classes on PostgreSQL: a word in the title counts most.
SQLITE_WEIGHTS = (10.0, 4.0, 1.0, 2.0)
PG_WEIGHTS = ("A", "B", "C", "C")
LIMIT = 500

# Letters and digits; not "_", which FTS5's tokenizer splits on while Python's \w does not.
_WORD = re.compile(r"[^\W_]+")

# Snowball's Swedish stop words: the list PostgreSQL's 'swedish' configuration uses
# (share/tsearch_data/swedish.stop), so both databases ignore the same words.
STOP_WORDS = frozenset("""
och det att i en jag hon som han på den med var sig för så till är men ett om hade de av icke mig du henne då sin
nu har inte hans honom skulle hennes där min man ej vid kunde något från ut när efter upp vi dem vara vad över än
dig kan sina här ha mot alla under någon eller allt mycket sedan ju denna själv detta åt utan varit hur ingen mitt
ni bli blev oss din dessa några deras blir mina samma vilken er sådan vår blivit dess inom mellan sådant varför
varje vilka ditt vem vilket sitta sådana vart dina vars vårt våra ert era vilkas
""".split())


@cache
def _stemmer():
    return snowballstemmer.stemmer("swedish")


def fold(text: str) -> str:
    """Without diacritics: "jämställdhet" → "jamstalldhet"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The words of a text, lower-case, without stop words."""
    return [w for w in _WORD.findall(text.lower()) if w not in STOP_WORDS]


def stems(text: str) -> str:
    """The Swedish stems of a text's words, for the SQLite index.

    >>> stems("Jämställdhet i förskolorna")
    'jämställd förskol'
    """
    stemmer = _stemmer()
    out = []
    for word in words(text):
        stem = stemmer.stemWord(word)
        out.append(stem)
        # The Swedish rules look at å, ä and ö, so the stem of the word typed without them can differ from the
        # stem without them; both are kept, for a query typed either way.
        folded = stemmer.stemWord(fold(word))
        if folded != fold(stem):
            out.append(folded)
    return " ".join(out)


def fields(practice) -> dict[str, str]:
    """The texts indexed, as the reader sees them (the body without its markup)."""
    return {"title": practice.title, "summary": practice.summary,
            "body": html.unescape(strip_tags(practice.body_html)), "results": practice.results}


def index(practice) -> None:
    """Write (or rewrite) the practice's row of the search table."""
    texts = fields(practice)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = %s", [practice.pk])
            cursor.execute(f"INSERT INTO {TABLE} (rowid, {', '.join(FIELDS)}) VALUES (%s, %s, %s, %s, %s)",
                           [practice.pk, *(stems(texts[f]) for f in FIELDS)])
        elif connection.vendor == "postgresql":
            vector = " || ".join(f"setweight(to_tsvector('swedish', %s), '{w}')" for w in PG_WEIGHTS)
            cursor.execute(
                f"INSERT INTO {TABLE} (practice_id, document) VALUES (%s, {vector}) "
                "ON CONFLICT (practice_id) DO UPDATE SET document = EXCLUDED.document",
                [practice.pk, *(_as_written_and_folded(texts[f]) for f in FIELDS)])


def unindex(practice_id: int) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = %s", [practice_id])
        elif connection.vendor == "postgresql":
            cursor.execute(f"DELETE FROM {TABLE} WHERE practice_id = %s", [practice_id])


def reindex(practices) -> int:
    """Index every practice given (after restoring a database, say); returns how many."""
    n = 0
    for practice in practices:
        index(practice)
        n += 1
    return n


def search(query: str) -> list[int] | None:
    """Ids of the practices matching `query`, best first; None when the query has no word to search for.

    Ids only: the caller filters them (published, a goal …) and keeps this order.
    """
    terms = words(query)
    if not terms:
        return None
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s "
                f"ORDER BY bm25({TABLE}, {', '.join(map(str, SQLITE_WEIGHTS))}), rowid LIMIT {LIMIT}",
                [_fts5_query(terms)])
        elif connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT practice_id FROM {TABLE}, to_tsquery('swedish', %s) AS query WHERE document @@ query "
                f"ORDER BY ts_rank(document, query) DESC, practice_id LIMIT {LIMIT}",
                [_tsquery(terms)])
        else:
            raise NotImplementedError(f"full-text search on {connection.vendor}")
        return [row[0] for row in cursor.fetchall()]


def _fts5_query(terms: list[str]) -> str:
    """("jämställd"* OR "jamstalld"*) AND ("skol"*): every word, as written or folded, as a prefix.

    The words are letters and digits only (`_WORD`), so they cannot close the quotes or add FTS5 syntax.
    """
    stemmer = _stemmer()
    parts = []
    for term in terms:
        forms = dict.fromkeys([stemmer.stemWord(term), stemmer.stemWord(fold(term))])
        parts.append("(" + " OR ".join(f'"{form}"*' for form in forms) + ")")
    return " AND ".join(parts)


def _tsquery(terms: list[str]) -> str:
    """('jämställd':* | 'jamstalld':*) & ('skolan':*): PostgreSQL stems each word itself.

    to_tsquery rather than websearch_to_tsquery, which has no prefix match; safe for the same reason as above.
    """
    parts = []
    for term in terms:
        forms = dict.fromkeys([term, fold(term)])
        parts.append("(" + " | ".join(f"'{form}':*" for form in forms) + ")")
    return " & ".join(parts)


def _as_written_and_folded(text: str) -> str:
    folded = fold(text)
    return text if folded == text else f"{text}\n{folded}"
