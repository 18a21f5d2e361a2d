"""Front matter normalisation: the keys pelican-yaml-metadata does not map by itself."""

from __future__ import annotations

import datetime as dt

import pytest

from importer.frontmatter import FrontMatterError, normalise, split

NOW = dt.datetime(2020, 1, 2, 3, 4)


def test_yaml_toml_and_json_front_matter_are_read() -> None:
    y = split("---\ntitle: A\ntags: [x, y]\n---\nBody\n")
    assert y.meta == {"title": "A", "tags": ["x", "y"]} and y.body == "Body\n" and y.body_line == 5
    t = split('+++\ntitle = "B"\ndate = 2019-03-04T05:06:07Z\n+++\n\nText')
    assert t.meta["title"] == "B" and t.meta["date"].year == 2019 and t.body_line == 5
    j = split('{\n  "title": "C"\n}\nBody')
    assert j.meta == {"title": "C"} and j.body.strip() == "Body"


def test_trailing_tabs_are_repaired_and_reported() -> None:
    s = split("---\ntitle: T\nauthors:\n- melody\t\t\n- noah\n---\nx")
    assert s.meta["authors"] == ["melody", "noah"]
    assert "trailing tabs" in s.fixed


def test_broken_yaml_names_the_line() -> None:
    with pytest.raises(FrontMatterError) as err:
        split("---\ntitle: ok\ntags: [a, b\nother: x\n---\nbody")
    assert err.value.line >= 3


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2015-06-12 10:00:00 -4", dt.datetime(2015, 6, 12, 14, 0, tzinfo=dt.UTC)),
        ("2014-03-19T10:14:29-04:00", dt.datetime(2014, 3, 19, 14, 14, 29, tzinfo=dt.UTC)),
        ("March 5, 2019", dt.datetime(2019, 3, 5)),
    ],
)
def test_dates_in_common_forms_are_kept_for_the_plugin(value: str, expected: dt.datetime) -> None:
    meta, notes = normalise({"title": "x", "date": value}, "post", "jekyll", fallback_date=NOW)
    assert meta["date"] == value and not notes  # the plugin parses it natively
    from importer.frontmatter import parse_date

    got = parse_date(value)
    assert got == expected if got.tzinfo is None else got.astimezone(dt.UTC) == expected


def test_missing_date_comes_from_the_jekyll_file_name() -> None:
    meta, notes = normalise({"title": "x"}, "2016-02-29-leap", "jekyll", fallback_date=NOW)
    assert meta["date"] == dt.date(2016, 2, 29) and notes == []
    meta, notes = normalise(
        {"title": "x", "date": "Last Modified"}, "p", "eleventy", fallback_date=NOW
    )
    assert meta["date"] == NOW and meta["source_date"] == "Last Modified"
    assert [n[0] for n in notes] == ["missing-date"]


def test_authors_tags_summary_category_status_and_renamed_keys() -> None:
    meta, notes = normalise(
        {
            "title": "T",
            "date": "2020-01-01",
            "author": "Ann Lee",
            "tags": "one two",
            "categories": ["Notes", "Other"],
            "excerpt": "The <em>short</em> version.",
            "description": "Not this one.",
            "published": False,
            "url": "/old/place/",
        },
        "t",
        "jekyll",
        fallback_date=NOW,
    )
    assert meta["authors"] == ["Ann Lee"] and "author" not in meta
    assert meta["tags"] == ["one", "two"]
    assert meta["category"] == "Notes" and meta["categories"] == ["Notes", "Other"]
    assert meta["summary"] == "The <em>short</em> version."
    assert meta["excerpt"] == "The <em>short</em> version."  # kept
    assert meta["status"] == "draft"
    assert meta["source_url"] == "/old/place/" and "url" not in meta
    assert [n[0] for n in notes] == ["renamed-key"]


def test_eleventy_collection_tags_are_dropped_and_description_is_the_summary() -> None:
    meta, _ = normalise(
        {"title": "T", "date": "2021-01-01", "tags": ["posts", "design"], "description": "D"},
        "t",
        "eleventy",
        fallback_date=NOW,
    )
    assert meta["tags"] == ["design"] and meta["summary"] == "D"
