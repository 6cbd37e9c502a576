"""The demo's example practices: loaded from the bundled file, published, marked as examples, never twice."""

import pytest
import yaml

from millennium.cli import main
from millennium.practices.examples import EXAMPLES, load_examples
from millennium.practices.models import Practice

pytestmark = pytest.mark.django_db


def bundled() -> list[dict]:
    return yaml.safe_load(EXAMPLES.read_text(encoding="utf-8"))


def test_examples_load_published_marked_and_tagged_as_in_the_file():
    summary = load_examples()

    entries = bundled()
    assert 3 <= len(entries) <= 4
    assert (summary.new, summary.changed, summary.unchanged) == (len(entries), 0, 0)
    for entry in entries:
        practice = Practice.objects.get(title=entry["title"])
        assert practice.is_example and practice.title.startswith("Exempel:")
        assert practice.status == "published" and practice.published_at is not None
        assert practice.municipality.code == entry["municipality"]
        assert sorted(m.code for m in practice.measures.all()) == sorted(entry["measures"])
        assert sorted(("mdg-" if g.framework.code == "mdg" else "") + g.code for g in practice.goals.all()) == \
            sorted(entry["goals"])
        assert sorted(t.code for t in practice.targets.all()) == sorted(entry["targets"])
        assert "påhittat exempel" in practice.body_html
        practice.full_clean()  # a role as contact, a period in order


def test_malmo_has_examples_on_gender_equality_and_education():
    load_examples()
    malmo = Practice.objects.filter(municipality__code="1280")
    assert malmo.filter(goals__framework__code="sdg", goals__code="5", measures__code="N00945").exists()
    assert malmo.filter(goals__framework__code="sdg", goals__code="4", measures__code="N01982").exists()


def test_loading_twice_creates_no_duplicates_and_saves_nothing():
    load_examples()
    stamps = dict(Practice.objects.values_list("pk", "updated_at"))

    summary = load_examples()

    assert (summary.new, summary.changed, summary.unchanged) == (0, 0, len(stamps))
    assert dict(Practice.objects.values_list("pk", "updated_at")) == stamps


def test_loading_again_updates_a_changed_example(tmp_path):
    load_examples()
    entries = bundled()
    entries[0]["summary"] = "En ny sammanfattning."
    entries[0]["measures"] = ["N00945"]
    changed = tmp_path / "examples.yaml"
    changed.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")

    summary = load_examples(changed)

    practice = Practice.objects.get(title=entries[0]["title"])
    assert (summary.new, summary.changed) == (0, 1)
    assert practice.summary == "En ny sammanfattning." and [m.code for m in practice.measures.all()] == ["N00945"]
    assert Practice.objects.count() == len(entries)


def test_search_finds_the_examples():
    from millennium.practices.search import search

    load_examples()
    hits = Practice.objects.filter(pk__in=search("jämställd"))
    assert hits.filter(municipality__code="1280").exists()


def test_cli_loads_examples_and_reports(capsys):
    assert main(["practices", "load-examples"]) == 0
    assert main(["practices", "load-examples"]) == 0
    err = capsys.readouterr().err
    n = len(bundled())
    assert f"{n} new, 0 changed, 0 unchanged." in err and f"0 new, 0 changed, {n} unchanged." in err
    assert Practice.objects.count() == n


@pytest.mark.parametrize(("text", "message"), [
    ('- municipality: "9999"\n  title: "Exempel: x"\n  summary: s\n  body: b\n',
     ":1: unknown municipality '9999'"),
    ('- municipality: "1280"\n  title: "Exempel: x"\n  summary: s\n  body: b\n\n'
     '- municipality: "1280"\n  title: "Exempel: y"\n  summary: s\n  body: b\n  measures: [X99999]\n',
     ":6: unknown key figure(s) X99999"),
    ('- municipality: "1280"\n  title: "Inte märkt"\n  summary: s\n  body: b\n', ":1: an example's title must begin"),
    ('- municipality: "1280"\n  title: "Exempel: x"\n  summary: s\n  body: b\n  contact_role: "040-123456"\n',
     ":1: contact_role:"),
    ('- municipality: "1280"\n  title: "Exempel: x"\n  goals: ["99"]\n', ':1: unknown goal \'99\''),
    ("- [unclosed\n", ":2:1: not valid YAML"),
])
def test_bad_input_exits_1_and_writes_nothing(tmp_path, capsys, text, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")

    assert main(["practices", "load-examples", "--file", str(bad)]) == 1

    err = capsys.readouterr().err
    assert f"error: {bad}{message}" in err
    assert not Practice.objects.exists()


def test_wrong_usage_exits_2():
    with pytest.raises(SystemExit) as exit_:
        main(["practices"])
    assert exit_.value.code == 2
