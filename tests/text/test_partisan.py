"""partisan: party names, nicknames and campaign talk; ordinary words pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.text.helpers import check_text, make_root, where


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_root(tmp_path_factory.mktemp("partisan"))


@pytest.mark.parametrize(
    "sentence",
    [
        "We took a liberal approach to the style guide.",
        "That is a conservative estimate of the cost.",
        "Conservative estimates put it at a week.",
        "The labour market is tight this year.",
        "Labour Day is a holiday.",
        "Labor Day is a holiday too.",
        "Democratic values matter in a democratic society.",
        "Come to the party after work!",
        "Nothing changes during the election period.",
        "Our tea party was lovely; the Republic of Ireland team came.",
        "We vote on the agenda with a show of hands.",
        "The Skills Network Protocol (SNP) links the SNP data stores.",
        "Liberals and conservatives alike disagree.",
        "The Minister of Labour and the Labour Code. Labour Day's parade.",
        "The history of the repository and its factories.",
        "Processes talk over IPC; ipc(7) explains it.",
        "The Cross-Project Council (CPC) approves it; the CPC meets monthly.",
    ],
)
def test_ordinary_words_pass(root: Path, sentence: str) -> None:
    report = check_text(root, f"Title: A note\n\n{sentence}\n")
    assert where(report.findings) == []


@pytest.mark.parametrize(
    ("sentence", "matched"),
    [
        ("I met the Liberal Party people.", "Liberal Party"),
        ("The Tories announced it.", "Tories"),
        ("The NDP platform is out.", "NDP"),
        ("The NDP's platform is out.", "NDP's"),
        ("The GOP said so.", "GOP"),
        ("Please vote Labour tomorrow.", "vote Labour"),
        ("Use the hashtag #VoteNDP today.", "#VoteNDP"),
        ("Liberal MPs voted.", "Liberal MPs"),
        ("Both Democrats and Republicans agree.", "Democrats"),
        ("The Lib Dems and the SNP.", "Lib Dems"),
        ("A Labour government would.", "Labour government"),
        ("Bloc Québécois members.", "Bloc Québécois"),
        ("MAGA hats.", "MAGA"),
        ("Justin Trudeau's Liberals lost ground.", "Liberals"),
        ("Keir Starmer's Labour won.", "Labour won"),
        ("Labour's manifesto is out.", "Labour's"),
    ],
)
def test_parties_and_campaign_talk_fire(root: Path, sentence: str, matched: str) -> None:
    report = check_text(root, f"Title: A note\n\n{sentence}\n")
    found = where(report.findings)
    assert found, sentence
    rule, line, col, text = found[0]
    assert (rule, line, col, text) == ("partisan", 3, sentence.index(matched) + 1, matched)
    assert all(f.severity == "error" for f in report.findings)


@pytest.mark.parametrize(
    ("source", "matched"),
    [
        ("the **Lib**eral Party", "Lib**eral Party"),
        ("the T0ries", "T0ries"),
        ("the \u0422\u043eries", "\u0422\u043eries"),  # Cyrillic
        ("the N\u200bD\u200bP", "N\u200bD\u200bP"),
        ("the N.D.P.", "N.D.P."),
        ("the G&#79;P", "G&#79;P"),
        ("the gop", "gop"),
        ("the tories", "tories"),
        ("the TORIES", "TORIES"),
        ("VOTE LABOUR", "VOTE LABOUR"),
        ("vote\n1abour", "vote\n1abour"),
        ("the 1PC and the L1beral Party", "L1beral Party"),
        ("#v0tendp", "#v0tendp"),
        ("the Tories\u2019 plan", "Tories\u2019"),
    ],
)
def test_evasions_are_caught_at_the_right_place(root: Path, source: str, matched: str) -> None:
    text = f"Title: A note\nTags: notes\n\nFirst line.\nSo {source} again.\n"
    report = check_text(root, text)
    found = where(report.findings, "partisan")
    assert len(found) == 1, (source, found)
    _, line, col, written = found[0]
    assert (line, col) == (5, 4 + source.index(matched))
    assert written == " ".join(matched.split())


def test_titles_tags_and_summaries_are_checked(root: Path) -> None:
    report = check_text(
        root,
        "Title: Why I vote Labour\nTags: gop, plain language\nSummary: About the NDP.\n"
        "Guardrails-Note: x\n\nBody.\n",
    )
    assert [(line, col) for _, line, col, _ in where(report.findings)] == [
        (1, 14),
        (2, 7),
        (3, 20),
    ]


def test_every_finding_is_reported_and_explained(root: Path) -> None:
    report = check_text(root, "Title: T\n\nThe Tories, the NDP\nand the GOP.\n")
    assert len(report.errors) == 3
    f = report.errors[0]
    assert "political party" in f.message and "neutral" in f.message
    assert "guardrails/partisan/" in f.message  # which list entry
    assert "<!-- guardrails: allow partisan because" in f.fix


def test_lexicons_are_chosen_by_the_policy(tmp_path: Path) -> None:
    root = make_root(tmp_path, '[rules.partisan]\nlexicons = ["us"]\n')
    report = check_text(root, "Title: T\n\nThe Tories and the GOP.\n")
    assert [m for *_, m in where(report.findings)] == ["GOP"]


def test_site_lists_extend_and_allow(tmp_path: Path) -> None:
    root = make_root(
        tmp_path,
        '[rules.partisan]\nextra_lists = ["partisan/local.txt"]\n'
        'allow_lists = ["partisan/allow.txt", "partisan/ok.txt"]\n',
    )
    (root / "guardrails/partisan/local.txt").write_text("# ours\nOntario Liberal$\n")
    (root / "guardrails/partisan/ok.txt").write_text("the NDP Street Fair\n")
    report = check_text(root, "Title: T\n\nThe Ontario Liberal office. the NDP Street Fair.\n")
    assert [m for *_, m in where(report.findings)] == ["Ontario Liberal"]


def test_footnotes_and_link_texts_are_prose(root: Path) -> None:
    text = (
        "Title: T\n\nA claim.[^1] See [the GOP page][gop].\n\n"
        "[^1]: As the Tories said.\n[gop]: https://example.org/\n"
    )
    assert [(line, m) for _, line, _, m in where(check_text(root, text).findings)] == [
        (3, "GOP"),
        (5, "Tories"),
    ]


def test_links_to_party_sites_are_partisan(root: Path) -> None:
    text = (
        "Title: T\n\nSee [this page](https://www.ndp.ca/platform) and "
        "<a href='https://secure.actblue.com/donate/x'>this</a>.\n"
        "Not [this](https://www.ndp.ca.example.org/).\n"
    )
    report = check_text(root, text)
    assert where(report.findings) == [
        ("partisan", 3, 17, "https://www.ndp.ca/platform"),
        ("partisan", 3, 59, "https://secure.actblue.com/donate/x"),
    ]
    assert "political party's or campaign's site (www.ndp.ca" in report.findings[0].message
