"""French text (issue 13): the three text rules judge French posts, paragraph by
paragraph in a mixed post, with the real models; an English-only site never loads
the French ones."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench import french_quality
from prudent.document import PLAIN, TextDocument
from prudent.policy import Policy, PolicyError
from prudent.text import TextChecker, french, language
from tests.text.helpers import make_root

ROOT = Path(__file__).resolve().parents[2]
JUDGED = french_quality.JUDGED


@pytest.fixture(scope="module")
def tc() -> TextChecker:
    return french_quality.checker(ROOT)


def _findings(tc: TextChecker, *docs: TextDocument) -> list[tuple[str, str, int, str]]:
    report = tc.check(list(docs))
    return sorted(
        (f.location.path, f.rule, f.location.line, f.matched)
        for f in report.findings
        if f.rule in JUDGED
    )


def test_the_issues_french_examples_are_caught_at_their_lines(tc: TextChecker) -> None:
    text = (
        "Title: Une semaine au bureau\n"
        "\n"
        "Franchement, Jean Dupont est un imbécile et un lâche.\n"
        "\n"
        "Je déteste mon travail au ministère, mon patron est nul.\n"
        "\n"
        "Je milite pour le Bloc québécois depuis dix ans.\n"
    )
    got = _findings(tc, TextDocument("content/posts/fr.md", text))
    rules_at = {(rule, line) for _, rule, line, _ in got}
    assert ("personal-attack", 3) in rules_at
    assert ("workplace-complaint", 5) in rules_at
    assert ("partisan", 7) in rules_at
    # the messages are English and quote the French words
    report = tc.check([TextDocument("content/posts/fr2.md", text)])
    attack = next(f for f in report.findings if f.rule == "personal-attack")
    assert "'imbécile' is aimed at Jean Dupont" in attack.message
    assert attack.matched.startswith("Jean Dupont est un imbécile")


def test_french_look_alikes_pass(tc: TextChecker) -> None:
    text = (
        "Title: Tirer parti des essais\n"
        "\n"
        "Grâce au partage, nous pouvons tirer parti du travail de chacun, sans parti pris.\n"
        "\n"
        "Ajoutez votre nom dans le bloc de signature; le bouton vert envoie le formulaire.\n"
        "\n"
        "Un parti, au sens général, regroupe des personnes. Le match était nul.\n"
        "\n"
        "Paul n'est pas un idiot, et Marie n'est jamais nulle en réunion.\n"
        "\n"
        "Sans réseau, activez la fonction modem du téléphone.\n"  # not the MoDem party
    )
    assert _findings(tc, TextDocument("content/posts/ok.md", text)) == []


def test_accents_and_their_absence_both_match(tc: TextChecker) -> None:
    got = _findings(
        tc,
        TextDocument("content/posts/a.md", "Franchement, Jean Dupont est un imbecile.\n"),
        TextDocument("content/posts/b.md", "Je milite pour le Bloc quebecois depuis dix ans.\n"),
    )
    assert [(p, r) for p, r, _, _ in got] == [
        ("content/posts/a.md", "personal-attack"),
        ("content/posts/b.md", "partisan"),
    ]


def test_a_pronoun_points_back_to_the_person_named_before(tc: TextChecker) -> None:
    text = "J'ai rencontré Karine Roy hier à la réunion.\nElle est nulle.\n"
    got = _findings(tc, TextDocument("content/posts/p.md", text))
    assert [(r, line) for _, r, line, _ in got] == [("personal-attack", 2)]


def test_a_french_paragraph_in_an_english_post_is_judged_in_french(tc: TextChecker) -> None:
    text = (
        "Title: A week of research\n"
        "\n"
        "We tested the new form with twelve people this week and fixed three problems.\n"
        "\n"
        "Je déteste mon travail au ministère et mon patron est vraiment nul depuis le début.\n"
        "\n"
        "The English paragraphs stay with the English rules, which found nothing here.\n"
    )
    got = _findings(tc, TextDocument("content/posts/mixed.md", text))
    assert ("workplace-complaint", 5) in {(r, line) for _, r, line, _ in got}
    assert all(line == 5 for _, _, line, _ in got)


def test_lang_metadata_decides_before_detection() -> None:
    doc = TextDocument("content/posts/x.md", "Title: Bonjour\nLang: fr\n\nHello.\n")
    assert language.declared(doc) == "fr"
    spans = language.spans(doc, "Bonjour\n\nHello.", ("en", "fr"))
    assert {s.language for s in spans} == {"fr"}
    yaml = TextDocument("content/posts/y.md", "---\ntitle: Hi\nlang: en-CA\n---\n\nBonjour.\n")
    assert language.declared(yaml) == "en"


def test_a_setting_and_a_bookmark_note_get_a_language_too(tc: TextChecker) -> None:
    setting = TextDocument(
        "pelicanconf.py", "Ce crétin de Paul a encore menti.", PLAIN, 3, 12, "setting SITESUBTITLE"
    )
    note = TextDocument(
        "content/bookmarks/pinboard.json", "J'en ai marre de mon patron.", PLAIN, 7, 20, "bookmark"
    )
    got = _findings(tc, setting, note)
    assert [(p, r, line) for p, r, line, _ in got] == [
        ("content/bookmarks/pinboard.json", "workplace-complaint", 7),
        ("pelicanconf.py", "personal-attack", 3),
    ]


@pytest.mark.parametrize("name", french_quality.SETS)
def test_the_labelled_french_sets(name: str, tc: TextChecker) -> None:
    got = french_quality.score(french_quality.LABELLED / name, tc)
    caught, positives = got["caught"]
    passed, negatives = got["passed"]
    assert positives >= 20 and negatives >= 15
    assert caught / positives >= 0.9, got["errors"]
    assert passed / negatives >= 0.9, got["errors"]


def test_no_post_of_the_real_french_sample_is_blocked(tc: TextChecker) -> None:
    posts, hits = french_quality.corpus(french_quality.CORPUS, tc)
    assert posts >= 9
    assert hits == []


def test_no_post_of_100_more_real_french_posts_is_blocked(tc: TextChecker) -> None:
    posts, hits = french_quality.corpus(french_quality.MORE, tc)
    assert posts == 100
    assert hits == []


def test_an_english_only_site_loads_no_french_model(tmp_path: Path) -> None:
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from prudent.document import TextDocument\n"
        "from prudent.policy import Policy\n"
        "from prudent.text import TextChecker, french, language\n"
        "tc = TextChecker(Policy.load(Path(sys.argv[1])), cache=False)\n"
        "docs = [TextDocument(f'content/posts/{i}.md', 'Title: Notes\\n\\nWe shipped the form '\n"
        "        'today. My boss is a great manager and the café downstairs is open.\\n') "
        "for i in range(5)]\n"
        "tc.check(docs)\n"
        "print(json.dumps({'spacy_fr': french.loaded(), 'langid': language.identifier_loaded(),"
        " 'modules': sorted(m for m in sys.modules if m.startswith(('fr_core', 'py3langid')))}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(ROOT)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got == {"spacy_fr": False, "langid": False, "modules": []}


def test_a_french_model_that_cannot_load_says_how_to_fix_it(monkeypatch) -> None:
    import importlib.util

    from prudent.text.nlp import ModelUnavailable

    real = importlib.util.find_spec
    monkeypatch.setattr(french, "_nlp", None)
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda n, *a: None if n == french.SPACY_MODEL else real(n, *a)
    )
    with pytest.raises(ModelUnavailable, match=r"requirements-model\.txt"):
        french.french()


def test_text_languages_is_checked(tmp_path: Path) -> None:
    root = make_root(tmp_path, '[text]\nlanguages = ["en", "de"]\n')
    with pytest.raises(PolicyError, match=r"text\.languages"):
        TextChecker(Policy.load(root), detectors={})
    root = make_root(tmp_path, '[text]\nlanguages = ["en"]\n')
    tc = TextChecker(Policy.load(root), detectors={}, cache=False)
    assert tc.partisan_fr is None and tc.french == {}


def test_a_translation_builds_under_its_language_with_links_both_ways(project: Path) -> None:
    from sitebuild.build import build

    post = next((project / "content" / "posts").glob("*webchat*.md"))
    slug = "webchat-plain-language"
    post.write_text(post.read_text("utf-8").replace("\n\n", f"\nSlug: {slug}\n\n", 1), "utf-8")
    (project / "content" / "posts" / "webchat-fr.md").write_text(
        "Title: Clavardage en langage clair\n"
        "Date: 2026-09-28 10:00\n"
        f"Slug: {slug}\n"
        "Lang: fr\n"
        "\n"
        "Nous avons tenu un clavardage sur le langage clair avec nos collègues. "
        "Les gens ont posé de bonnes questions et nous avons tiré parti de leurs idées.\n",
        encoding="utf-8",
    )
    result = build(project / "pelicanconf.py")
    assert not result.report.failed, result.report.to_text()
    french = list(result.output.glob(f"fr/*/*/{slug}/index.html"))
    assert len(french) == 1
    page = french[0].read_text("utf-8")
    assert '<html lang="fr">' in page
    assert 'hreflang="en"' in page
    english = next(result.output.glob(f"20*/*/{slug}/index.html")).read_text("utf-8")
    assert '<html lang="en">' in english and 'hreflang="fr"' in english


def test_another_language_is_not_taken_for_french() -> None:
    spanish = (
        "¡Hola! Mi nombre es Edwin Torres. Soy ingeniero de software y trabajo con la gente "
        "de la oficina para ofrecer servicios digitales en español a todas las personas."
    )
    doc = TextDocument("content/posts/es.md", spanish)
    assert {s.language for s in language.spans(doc, spanish, ("en", "fr"))} == {"en"}
    declared = TextDocument("content/posts/es2.md", "Title: Hola\nLang: es-PR\n\n" + spanish)
    assert {s.language for s in language.spans(declared, spanish, ("en", "fr"))} == {"en"}
