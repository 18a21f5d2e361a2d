"""partisan: party names, nicknames and campaign talk; ordinary words pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from prudent.document import TextDocument
from prudent.policy import PolicyError
from tests.text.helpers import check_text, checker, make_root, where


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


# -- issue 12: as people really type it ----------------------------------------


@pytest.mark.parametrize(
    ("sentence", "matched"),
    [
        ("vote labour on thursday", "vote labour"),
        ("i support the liberal party", "liberal party"),
        ("join the lib dems today", "lib dems"),
        ("maga hats everywhere", "maga"),
        ("VOTE TORY ON THURSDAY", "VOTE TORY"),
        ("donate to the conservatives before friday", "the conservatives"),
        ("Vote L a b o u r", "Vote L a b o u r"),
        ("Vote L-a-b-o-u-r", "Vote L-a-b-o-u-r"),
        ("Vote Lab.our", "Vote Lab.our"),
        ("Vote Lab\u0585ur", "Vote Lab\u0585ur"),  # Armenian oh
        ("Vote \u13deabour", "Vote \u13deabour"),  # Cherokee tle
        ("The T.o.r.i.e.s are out.", "T.o.r.i.e.s"),
        ("V O T E L A B O U R", "V O T E L A B O U R"),
        ("V.O.T.E. L.A.B.O.U.R.", "V.O.T.E. L.A.B.O.U.R"),
        ("Go #Republican today", "#Republican"),
        ("Go #VoteRedToSaveAmerica", "#VoteRedToSaveAmerica"),
        ("Re-elect Trump 2028!", "Re-elect Trump 2028"),
        ("Biden-Harris 2024!", "Biden-Harris 2024"),
        ("Pierre Poilievre should be Prime Minister.", "Pierre Poilievre should be Prime Minister"),
        (
            "Keir Starmer deserves a majority; get out and vote for him.",
            "Keir Starmer deserves a majority",
        ),
        ("Re-elect Mayor X", "Re-elect Mayor X"),
        ("Knocking doors for Kamala this weekend.", "Knocking doors for Kamala"),
        ("Please vote for Councillor Jane Doe.", "vote for Councillor Jane Doe"),
        ("Axe the tax!", "Axe the tax"),
        ("Stop the boats!", "Stop the boats"),  # ordinary words, chanted
        ("Donate to Bernie's campaign today.", "Donate to Bernie's"),
        ("Vote Poilievre!", "Vote Poilievre"),
        ("the dup won two seats", "dup"),
        ("Take back control!", "Take back control"),  # a "!" entry, chanted
        (
            "Let's make Pierre Poilievre our next Prime Minister.",
            "Pierre Poilievre our next Prime Minister",
        ),
        ("Make America Great Again", "Make America Great Again"),
        ("Get Brexit Done", "Get Brexit Done"),
    ],
)
def test_partisan_as_typed_fires_on_the_words(root: Path, sentence: str, matched: str) -> None:
    report = check_text(root, f"Title: A note\n\n{sentence}\n")
    assert where(report.findings) == [("partisan", 3, sentence.index(matched) + 1, matched)]


@pytest.mark.parametrize(
    "sentence",
    [
        "I reviewed the NDP (New Development Plan) with the team.",
        "The NDP (national development plan) is due.",
        "New Development Plan (NDP) first; the NDP then goes to cabinet.",
        "The NDP, or National Development Plan, sets targets.",
        "NDP stands for National Dialogue Process in this report.",
        "A documentary about the Whigs and the Tories of the 1700s.",
        "In 1867 the Conservatives formed the first government.",
        "The Liberal Party was founded in 1867\nand the NDP long after.",
        "The Liberal Party of the 19th century backed free trade.",
        "The Republican calendar in France renamed the months.",
        "Whig history treats the past as steady progress.",
        "The Prime Minister announced a new housing program.",
        "Prime Minister Carney announced a new housing program.",
        "President Trump signed an executive order on hiring.",
        "The debate between Harris and Trump drew 67 million viewers.",
        "Trump won the 2024 election; Biden left office in 2025.",
        "Members re-elected Jane Smith as treasurer.",
        "We are investing in green infrastructure.",
        "Labour shortages hit the construction sector.",
        "A tea party for the retirees.",
        "The Bloc Party played a great set.",
        "The UN's Build Back Better framework for disaster recovery.",
        "Items a b c and d are due; see node.js and the well-known co-op.",
        "Take back control of your inbox with filters.",
        "Get out and vote! Every vote counts.",
        "Our CPC (cost per click) fell; the dup of the file descriptor failed.",
        "The council will vote for Mayor Chow's budget.",
        "Stop the boats from mooring at the old pier.",
        "Harris County opened new polling stations.",
        "Stop the steal of bikes from the rack: lock them.",
        "Trump's campaign said the rally was moved.",
        "Irish Republicans marched in 1916 and again in 1966.",
    ],
)
def test_look_alikes_pass(root: Path, sentence: str) -> None:
    report = check_text(root, f"Title: A note\n\n{sentence}\n")
    assert where(report.findings) == [], sentence


def test_an_ordinary_word_in_lower_case_needs_a_campaign_context(root: Path) -> None:
    quiet = check_text(
        root, "Title: T\n\nThe conservatives in my family like the liberal government.\n"
    )
    assert where(quiet.findings) == []
    line = "My cousins will vote and canvass for the conservatives."
    loud = check_text(root, f"Title: T\n\n{line}\n")
    assert where(loud.findings) == [("partisan", 3, line.index("the") + 1, "the conservatives")]
    assert "campaign ('vote')" in loud.findings[0].message


def test_tags_slugs_and_urls_are_read_in_any_case(root: Path) -> None:
    text = (
        "Title: A note\nSlug: vote-labour-now\nTags: maga, snp, labour party, VoteLabour, democrats\n"
        "Tags: labour market, green infrastructure, reform\n\n"
        "See [this](https://example.org/2024/i-support-the-liberal-party/) and "
        "[that](https://example.org/labour-market-notes).\n"
    )
    assert where(check_text(root, text).findings) == [
        ("partisan", 2, 7, "vote-labour"),
        ("partisan", 3, 7, "maga"),
        ("partisan", 3, 13, "snp"),
        ("partisan", 3, 18, "labour party"),
        ("partisan", 3, 32, "VoteLabour"),
        ("partisan", 3, 44, "democrats"),
        ("partisan", 6, text.split("\n")[5].index("liberal-party") + 1, "liberal-party"),
    ]


def test_yaml_front_matter_slugs_and_lists(root: Path) -> None:
    text = (
        "---\ntitle: T\npermalink: /re-elect-trump-2028/\ntags:\n  - tories\n  - budget\n---\n"
        "Body.\n"
    )
    assert where(check_text(root, text).findings) == [
        ("partisan", 3, 13, "re-elect-trump-2028"),
        ("partisan", 5, 5, "tories"),
    ]


def test_the_finding_names_the_list_entries_and_why(root: Path) -> None:
    report = check_text(
        root, "Title: T\n\nPierre Poilievre should be Prime Minister.\nVote Lab.our\n"
    )
    person, party = report.findings
    assert "guardrails/partisan/people/ca.txt:" in person.message
    assert "guardrails/partisan/language/en.txt:" in person.message
    assert "leader of the Conservative Party of Canada" in person.message
    assert "takes sides" in person.message and "a name alone is fine" in person.fix
    assert "guardrails/partisan/uk.txt:" in party.message and "neutral" in party.message


def test_lists_are_per_jurisdiction_and_language(tmp_path: Path) -> None:
    root = make_root(tmp_path, '[rules.partisan]\nlexicons = ["us"]\n')
    text = "Title: T\n\nRe-elect Trump 2028! Poilievre should be Prime Minister. Axe the tax!\n"
    assert [m for *_, m in where(check_text(root, text).findings)] == ["Re-elect Trump 2028"]
    (root / "guardrails/partisan/language/xx.txt").write_text("[nope]\n")
    bad = make_root(tmp_path, '[rules.partisan]\nlanguages = ["en", "xx"]\n')
    with pytest.raises(PolicyError, match=r"language/xx.txt:1.*unknown section \[nope\]"):
        check_text(bad, "Title: T\n\nx\n")


def test_local_candidates_list(tmp_path: Path) -> None:
    root = make_root(tmp_path, '[rules.partisan]\nextra_people_lists = ["partisan/local.txt"]\n')
    (root / "guardrails/partisan/local.txt").write_text("Jo Bloggs = ward 5 candidate\n")
    text = "Title: T\n\nJo Bloggs deserves to win. Jo Bloggs opened the library.\n"
    assert where(check_text(root, text).findings) == [
        ("partisan", 3, 1, "Jo Bloggs deserves to win")
    ]


def test_a_site_without_lists_of_its_own_gets_the_shipped_people_and_slogans(
    tmp_path: Path,
) -> None:
    (tmp_path / "guardrails.toml").write_text("")  # no guardrails/ folder at all
    report = checker(tmp_path).check(
        [TextDocument("p.md", "Title: T\n\nAxe the tax! Poilievre should be Prime Minister.\n")]
    )
    assert [m for *_, m in where(report.findings)] == [
        "Axe the tax",
        "Poilievre should be Prime Minister",
    ]


def test_a_chant_says_so(root: Path) -> None:
    report = check_text(root, "Title: T\n\nDrain the swamp!\n")
    assert where(report.findings) == [("partisan", 3, 1, "Drain the swamp")]
    assert "chanted, with '!'" in report.findings[0].message
    assert (
        where(
            check_text(root, "Title: T\n\nWe had to drain the swamp behind the depot.\n").findings
        )
        == []
    )


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("Mark Carney is a banker.\nWe have to beat him in May.", 3),
        ("Jagmeet Singh spoke at the forum. I support him fully.", 3),
        ("Honnêtement, Pierre Poilievre n'a aucune crédibilité. Il faut le battre.", 3),
        ("Jagmeet Singh parle des travailleurs.\nJe l'appuie à 100 %.", 3),
    ],
)
def test_a_call_a_sentence_later_points_back_at_the_candidate(
    root: Path, text: str, line: int
) -> None:
    report = check_text(root, f"Title: T\n\n{text}\n")
    assert [(rule, ln) for rule, ln, _, _ in where(report.findings)] == [("partisan", line)]
    assert "campaigning for or against a candidate" in report.findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "Jagmeet Singh spoke at the forum. I support the idea of dental care.",
        "Mark Carney spoke in Ottawa. We have to beat the deadline.\n\nI support him.",
        "Pierre Poilievre a parlé hier. Il faut le lire pour comprendre.",
    ],
)
def test_a_later_call_needs_the_candidate_within_one_sentence(root: Path, text: str) -> None:
    report = check_text(root, f"Title: T\n\n{text}\n")
    assert where(report.findings, "partisan") == []
