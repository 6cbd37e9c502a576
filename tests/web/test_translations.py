"""The English catalogue is complete, compiled from the current text, and keeps every placeholder."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


@pytest.fixture(scope="module")
def po():
    return polib.pofile(str(CATALOGUE / "django.po"))


def test_every_text_is_translated_and_none_is_fuzzy(po):
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_the_compiled_catalogue_is_the_current_one(po):
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
                for e in polib.mofile(str(CATALOGUE / "django.mo")) if e.msgid}
    source = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
              for e in po.translated_entries()}
    assert compiled == source, "run `make messages` (or compile the .po) after editing it"


def test_placeholders_survive_translation(po):
    wrong = []
    for entry in po.translated_entries():
        expected = sorted(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        translations = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        for text in translations:
            if sorted(set(PLACEHOLDER.findall(text))) != sorted(set(expected)):
                wrong.append((entry.msgid, text))
    assert wrong == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/", "/en/kommun/1280/", "/en/kommun/1280/nyckeltal/N01982/", "/en/karta/N00945/",
                                  "/en/om/", "/en/tillganglighet/"])
def test_english_pages_use_the_english_texts(client, path):
    html = client.get(path).content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html or "Skip to main content" in html
    assert "Hoppa till innehållet" not in html
