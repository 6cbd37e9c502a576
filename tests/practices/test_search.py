"""Swedish full-text search, the same on SQLite (FTS5) and PostgreSQL (to_tsvector('swedish', …))."""

import doctest

import pytest
from django.db import connection

from millennium.practices import search
from millennium.practices.models import Practice

pytestmark = pytest.mark.django_db


def test_the_modules_examples_hold():
    assert doctest.testmod(search).failed == 0


def found(query: str) -> list[str]:
    ids = search.search(query)
    titles = dict(Practice.objects.filter(pk__in=ids).values_list("pk", "title"))
    return [titles[pk] for pk in ids if pk in titles]


@pytest.fixture
def practices(make_practice):
    make_practice(title="Pappor och vab", body="Arbetet för jämställdhet på kommunens arbetsplatser.")
    make_practice(title="Cykelvägar till skolan", body="Fler barn cyklar. Trygga skolvägar.")
    make_practice(title="Komvux på kvällstid", summary="Vuxna studerar vidare.",
                  body="Utbildning för vuxna som arbetar dagtid.", results="Fler tog examen.")


def test_a_word_form_finds_the_others(practices):
    """The Done-when line of issue 6: "jämställd" finds "jämställdhet"."""
    assert found("jämställd") == ["Pappor och vab"]
    assert found("jämställdheten") == ["Pappor och vab"]
    assert found("cyklar") == ["Cykelvägar till skolan"]


def test_diacritics_may_be_left_out(practices):
    """Both databases: SQLite folds them in its tokenizer, PostgreSQL through the folded copy of the text."""
    assert found("jamstalldhet") == ["Pappor och vab"]
    assert found("JAMSTALLD") == ["Pappor och vab"]
    assert found("kvallstid") == ["Komvux på kvällstid"]


def test_a_word_finds_compounds_that_begin_with_it(practices):
    assert found("skol") == ["Cykelvägar till skolan"]
    assert found("cykel") == ["Cykelvägar till skolan"]  # "Cykelvägar"


def test_every_word_must_match_and_stop_words_are_ignored(practices):
    assert found("vuxna examen") == ["Komvux på kvällstid"]
    assert found("vuxna cyklar") == []
    assert found("jämställdhet och vab") == ["Pappor och vab"]
    assert search.search("och i på") is None  # nothing left to search for
    assert search.search("  ") is None


def test_all_fields_are_searched(practices):
    assert found("studerar") == ["Komvux på kvällstid"]  # summary
    assert found("examen") == ["Komvux på kvällstid"]  # results


def test_a_title_match_ranks_above_a_body_match(make_practice):
    make_practice(title="Trygga skolvägar", body="Om trafik.")
    make_practice(title="Om trafik", body="Föräldrar vill ha trygga skolvägar, säkra skolvägar och bra skolvägar.")
    assert found("skolvägar") == ["Trygga skolvägar", "Om trafik"]


def test_the_index_follows_edits_and_deletes(make_practice):
    practice = make_practice(title="Solceller på skolor")
    assert found("solceller") == ["Solceller på skolor"]

    practice.title = "Vindkraft på skolor"
    practice.save()
    assert found("solceller") == []
    assert found("vindkraft") == ["Vindkraft på skolor"]

    Practice.objects.filter(pk=practice.pk).delete()
    assert search.search("vindkraft") == []


def test_the_body_is_searched_as_shown_not_as_markup(make_practice):
    make_practice(title="Länkar", body="[rapporten](https://example.org/hemligsida) <script>skadlig()</script>")
    assert found("rapporten") == ["Länkar"]
    assert found("hemligsida") == [] and found("skadlig") == []


@pytest.mark.parametrize("query", ['"', "*", "NEAR(a b)", "a OR", "title:x", "'", "a & !b | (c", "-x", "^x", "–",
                                   "x:*", "\\", "%", "_"])
def test_search_syntax_in_a_query_is_harmless(practices, query):
    """Only the words of a query reach the database's search syntax (no error, whatever is typed)."""
    assert search.search(query) is None or isinstance(search.search(query), list)


def test_quotes_and_operators_around_a_word_are_ignored(practices):
    assert found('"jämställd*"') == ["Pappor och vab"]
    assert found("(jämställd) OR") == []  # "or" is a word here, and no practice has it


def test_the_search_table_exists_for_this_database():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {search.TABLE}")
        assert cursor.fetchone()[0] >= 0
