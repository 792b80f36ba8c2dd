"""The extractor's rule tables (responses/extraction/data/*.tsv): every row's example is its test.

Adding a ministerial title, a departmental address or a former name is one row of its table; the row's
`example` column is checked here, so the new row is tested without writing a test by hand.
"""

from datetime import date

import pytest

from responses.extraction.departments import (
    address_department,
    address_rows,
    former_names,
    matcher_for,
    title_department,
    title_rows,
)
from responses.extraction.tables import TableError, read_table

TITLE_ROWS = title_rows()


def test_a_portfolio_that_moved_between_departments_follows_the_documents_date():
    role = "Minister of State for Skills"
    assert title_department(role, on=date(2013, 6, 4)) == "Department for Business and Trade"  # BIS
    assert title_department(role, on=date(2024, 6, 4)) == "Department for Education"
    assert title_department(role, on=date(2005, 6, 4)) == "Department for Education"  # DfES
    assert title_department(role) == "Department for Education"  # undated: the undated row decides
    energy = "Minister of State for Energy"
    assert (
        title_department(energy, on=date(2019, 1, 1))
        == "Department for Business, Energy and Industrial Strategy"
    )
    assert (
        title_department(energy, on=date(2012, 1, 1)) == "Department for Energy Security and Net Zero"
    )  # DECC


def test_a_period_that_is_not_a_date_is_refused(tmp_path, monkeypatch):
    from responses.extraction import departments, tables

    (tmp_path / "ministerial_titles.tsv").write_text(
        "kind\twords\tdepartment\texample\tsince\tuntil\nportfolio\tSkills\tHome Office\tx\tsoon\t\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(tables, "DATA", tmp_path)
    tables.read_table.cache_clear()
    departments.title_rows.cache_clear()
    try:
        with pytest.raises(TableError, match="since 'soon' is not a date"):
            departments.title_rows()
    finally:
        tables.read_table.cache_clear()
        departments.title_rows.cache_clear()


@pytest.mark.parametrize("row", TITLE_ROWS, ids=[f"{r.kind}:{r.words}" for r in TITLE_ROWS])
def test_each_ministerial_title_row_gives_its_department(row):
    assert row.example, f"{row.words}: no example"
    # A row that holds for a period is tested on its first (or last) day.
    assert title_department(row.example, on=row.since or row.until) == row.department


@pytest.mark.parametrize("row", TITLE_ROWS, ids=[f"{r.kind}:{r.words}" for r in TITLE_ROWS])
def test_each_title_row_names_a_department_of_the_fixture(row):
    assert row.department in matcher_for(None).canonical_names


ADDRESS_ROWS = address_rows()


@pytest.mark.parametrize(("pattern", "department", "example"), ADDRESS_ROWS, ids=[r[2] for r in ADDRESS_ROWS])
def test_each_address_row_gives_its_department(pattern, department, example):
    assert address_department(example) == department
    assert department in matcher_for(None).canonical_names


FORMER = former_names()


@pytest.mark.parametrize(("name", "department", "example"), FORMER, ids=[r[0] for r in FORMER])
def test_each_former_name_reads_as_its_successor(name, department, example):
    found = matcher_for(None).find(example)
    assert [d for d, _, _ in found] == [department]


def test_an_acronym_of_a_former_name_is_matched_in_capitals_only():
    matcher = matcher_for(None)
    assert matcher.find("BERR officials") and not matcher.find("berr officials")


def test_a_department_of_the_table_keeps_its_own_name_over_a_former_names_row():
    # BEIS is a row of fixtures/departments.json: letters from it stay BEIS's.
    rows = [
        ("Department for Business, Energy and Industrial Strategy", "BEIS", ()),
        ("Department for Business and Trade", "DBT", ()),
    ]
    found = matcher_for(rows).find("the Department for Business, Energy and Industrial Strategy will")
    assert [d for d, _, _ in found] == ["Department for Business, Energy and Industrial Strategy"]


@pytest.mark.parametrize(
    "role",
    [
        "Minister for Women and Equalities",  # no department's portfolio in the table
        "Chair of the Committee",
        "Director of Policy",
        "",
    ],
)
def test_roles_that_name_no_department_give_none(role):
    assert title_department(role) is None


def test_the_first_matching_row_wins_so_specific_portfolios_come_first():
    assert title_department("Minister of State for Energy Security and Net Zero") == (
        "Department for Energy Security and Net Zero"
    )
    assert title_department("Minister of State for Security") == "Home Office"


def test_a_malformed_row_names_its_file_and_line(tmp_path, monkeypatch):
    from responses.extraction import tables

    (tmp_path / "broken.tsv").write_text("# comment\nwords\tdepartment\nonly one\textra\tcolumn\n")
    monkeypatch.setattr(tables, "DATA", tmp_path)
    read_table.cache_clear()
    try:
        with pytest.raises(TableError, match=r"broken\.tsv:3"):
            read_table("broken.tsv")
    finally:
        read_table.cache_clear()


def test_an_empty_required_cell_is_an_error(tmp_path, monkeypatch):
    from responses.extraction import tables

    (tmp_path / "blank.tsv").write_text("words\tdepartment\texample\n102 Petty France\t\tx\n")
    monkeypatch.setattr(tables, "DATA", tmp_path)
    read_table.cache_clear()
    try:
        with pytest.raises(TableError, match=r"blank\.tsv:2: no department"):
            read_table("blank.tsv")
    finally:
        read_table.cache_clear()
