"""Exports: every format is read back by a real parser and must give back the records, fields and characters."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts
from markdown_it import MarkdownIt
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from litwatch import export
from litwatch.errors import UsageError
from litwatch.models import (
    AbstractSection,
    Article,
    Author,
    Classification,
    MeshHeading,
    MeshQualifier,
    PubDate,
    StoredArticle,
)

SPECIAL_TITLE = "Dose {mg/kg} & 50% response: $cost, a_b #2, C:\\path ~ x^2 in TRD and {unbalanced"


def _classified(pmid: str, **kw) -> Classification:
    base = dict(
        pmid=pmid,
        version="2026.1",
        on_topic=True,
        long_term_efficacy=True,
        safety=True,
        design="rct",
        evidence_rank=2,
        population="adolescent",
        follow_up_weeks=26.0,
        safety_signals=("dissociation", "blood_pressure"),
        reasons={
            "long_term_efficacy": ('abstract: "26-week follow-up"',),
            "safety": ("abstract: dissociation",),
        },
    )
    return Classification(**(base | kw))


# A classified RCT: structured abstract, five authors with accents, MeSH with a starred qualifier, DOI, PMC.
TRIAL = StoredArticle(
    Article(
        pmid="31000001",
        title="Esketamine nasal spray for MDD with suicidal ideation in adolescents: a randomized trial.",
        abstract=(
            AbstractSection("To test esketamine.", "OBJECTIVE", "OBJECTIVE"),
            AbstractSection("Relapse fell\nover 26 weeks.", "RESULTS", "RESULTS"),
        ),
        journal="Journal of Adolescent Psychopharmacology",
        journal_abbrev="J Adolesc Psychopharmacol",
        volume="29",
        issue="4",
        pages="123-9",
        issn="1557-8992",
        pub_date=PubDate(2019, 11, 5),
        authors=(
            Author("Müller", "Jürgen", "J", affiliation="Klinik für Psychiatrie, Berlin, Germany."),
            Author("García-López", "María José", "MJ"),
            Author("O'Brien", "Seán", "S"),
            Author("van der Berg", "Anna", "A"),
            Author("Smith", "Jane A", "JA"),
        ),
        doi="10.1000/jap.2019.0042",
        pmcid="PMC6800001",
        language=("eng",),
        publication_types=("Journal Article", "Randomized Controlled Trial"),
        mesh=(
            MeshHeading("Ketamine", "D007649", False, (MeshQualifier("therapeutic use", "Q000627", True),)),
            MeshHeading("Adolescent", "D000293"),
            MeshHeading("Suicidal Ideation", "D059020", True),
            MeshHeading("Depressive Disorder, Treatment-Resistant", "D061218"),
        ),
        keywords=("esketamine", "treatment-resistant depression"),
        status="MEDLINE",
    ),
    _classified("31000001"),
    queries=("trd", "suicidal_ideation"),
    first_seen="2026-11-01T08:00:00+00:00",
    updated="2026-11-02T08:00:00+00:00",
    seq=1,
)

# A group author first, a MedlineDate, no DOI, every LaTeX special in the title; not classified yet.
GROUP = StoredArticle(
    Article(
        pmid="31000002",
        title=SPECIAL_TITLE,
        abstract=(AbstractSection("An unstructured abstract with *stars* and [brackets]."),),
        journal="Child Psychiatry & Human Development",
        journal_abbrev="Child Psychiatry Hum Dev",
        volume="50",
        pages="e1001",
        pub_date=PubDate(2019, 11, None, None, "2019 Nov-Dec"),
        authors=(Author(collective_name="Ketamine and Youth Study Group, Europe"), Author("Lee", None, "K")),
        language=("eng", "ger"),
        publication_types=("Journal Article",),
    ),
    None,
    queries=("anxiety",),
    first_seen="2026-11-01T08:00:01+00:00",
    seq=2,
)

# A book chapter (PubMed Bookshelf): the book title sits in `journal`.
CHAPTER = StoredArticle(
    Article(
        pmid="31000003",
        title="Ketamine for adolescent bipolar depression",
        journal="Handbook of Paediatric Psychopharmacology",
        publisher="Example Academic Press",
        pub_date=PubDate(2020),
        authors=(Author("Okafor", "Ngozi", "N"),),
        is_book=True,
        publication_types=("Review",),
        language=("eng",),
    ),
    _classified("31000003", long_term_efficacy=False, design="narrative_review", follow_up_weeks=None),
    queries=("bipolar",),
    first_seen="2026-11-01T08:00:02+00:00",
    seq=3,
)

# Same first author and year as TRIAL; a title a spreadsheet would run as a formula.
FORMULA = StoredArticle(
    Article(
        pmid="31000004",
        title='=HYPERLINK("http://example.invalid","ketamine")',
        journal="Journal of Adolescent Psychopharmacology",
        journal_abbrev="J Adolesc Psychopharmacol",
        pub_date=PubDate(2019, 2),
        authors=(Author("Müller", "Jürgen", "J"),),
        doi="10.1000/(SICI)1099-1166(199806)13:6<403::AID>3.0.CO;2-4",
        keywords=("-ketamine",),
    ),
    _classified("31000004", safety=False, safety_signals=()),
    first_seen="2026-11-01T08:00:03+00:00",
    seq=4,
)

RECORDS = [TRIAL, GROUP, CHAPTER, FORMULA]


def render(fmt: str, records=RECORDS) -> str:
    buf = io.StringIO()
    assert export.export(iter(records), fmt, buf) == len(records)
    return buf.getvalue()


# --- RIS --------------------------------------------------------------------------------------------------


def test_ris_is_read_back_by_rispy_with_every_record_and_field():
    entries = rispy.loads(render("ris"))

    assert [e["accession_number"] for e in entries] == ["31000001", "31000002", "31000003", "31000004"]
    trial, group, chapter, formula = entries
    assert trial["type_of_reference"] == "JOUR"
    assert trial["title"] == TRIAL.article.title
    assert trial["authors"] == [
        "Müller, Jürgen",
        "García-López, María José",
        "O'Brien, Seán",
        "van der Berg, Anna",
        "Smith, Jane A",
    ]
    assert (trial["year"], trial["date"]) == ("2019", "2019/11/05/")
    assert (trial["secondary_title"], trial["alternate_title1"]) == (
        "Journal of Adolescent Psychopharmacology",
        "J Adolesc Psychopharmacol",
    )
    assert (trial["start_page"], trial["end_page"]) == ("123", "129")  # PubMed's '123-9' expanded
    assert trial["doi"] == "10.1000/jap.2019.0042"
    assert trial["urls"] == ["https://pubmed.ncbi.nlm.nih.gov/31000001/"]
    assert trial["custom2"] == "PMC6800001"
    assert trial["abstract"] == "OBJECTIVE: To test esketamine. RESULTS: Relapse fell over 26 weeks."
    assert trial["keywords"] == [
        "esketamine",
        "treatment-resistant depression",
        "Ketamine",
        "Adolescent",
        "Suicidal Ideation",
        "Depressive Disorder, Treatment-Resistant",
    ]
    assert trial["name_of_database"] == "PubMed"

    assert group["title"] == SPECIAL_TITLE
    assert group["authors"] == ["Ketamine and Youth Study Group, Europe", "Lee, K"]
    assert group["date"] == "2019/11//"
    assert "doi" not in group
    assert group["start_page"] == "e1001" and "end_page" not in group

    assert chapter["type_of_reference"] == "CHAP"
    assert (chapter["secondary_title"], chapter["publisher"]) == (
        "Handbook of Paediatric Psychopharmacology",
        "Example Academic Press",
    )
    assert formula["doi"] == FORMULA.article.doi


def test_ris_fields_stay_on_one_line_and_records_end_with_er():
    text = render("ris")

    for line in text.splitlines():
        assert line == "" or re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line), line
    assert text.count("ER  - \n") == len(RECORDS)
    assert text.count("\n\n") == len(RECORDS) - 1  # one blank line between records, none inside one


@pytest.mark.parametrize(
    ("pages", "start", "end"),
    [
        ("123-9", "123", "129"),
        ("1199-201", "1199", "1201"),
        ("S12-9", "S12", "S19"),
        ("e1001", "e1001", None),
    ],
)
def test_ris_expands_pubmed_page_abbreviations(pages, start, end):
    rec = StoredArticle(Article(pmid="1", title="t", pages=pages))
    (entry,) = rispy.loads(export.to_ris(rec))

    assert (entry["start_page"], entry.get("end_page")) == (start, end)


def test_ris_book_without_a_separate_title_is_a_whole_book():
    book = StoredArticle(Article(pmid="9", title="Ketamine", journal="Ketamine", is_book=True, publisher="P"))
    (entry,) = rispy.loads(export.to_ris(book))

    assert entry["type_of_reference"] == "BOOK" and "secondary_title" not in entry


# --- BibTeX -----------------------------------------------------------------------------------------------


def _latex_decoder() -> LatexNodes2Text:
    """bibtexparser's own decoder, except that \\textasciicircum reads as the '^' LaTeX prints.

    (pylatexenc, like Zotero's importer, reads it as U+02C6 MODIFIER LETTER CIRCUMFLEX.)
    """
    db = get_default_latex_context_db()
    specs = [MacroTextSpec("url", simplify_repl="%s"), MacroTextSpec("textasciicircum", "^")]
    db.add_context_category("litwatch-test", prepend=True, macros=specs)
    return LatexNodes2Text(latex_context=db, keep_braced_groups=False, math_mode="verbatim")


def parse_bibtex(text: str) -> bibtexparser.Library:
    lib = bibtexparser.parse_string(
        text,
        append_middleware=[
            SeparateCoAuthors(),
            SplitNameParts(),
            LatexDecodingMiddleware(decoder=_latex_decoder()),
        ],
    )
    assert lib.failed_blocks == []
    return lib


def test_bibtex_is_read_back_by_bibtexparser_with_decoded_text():
    entries = parse_bibtex(render("bibtex")).entries

    assert [e.entry_type for e in entries] == ["article", "article", "incollection", "article"]
    assert len({e.key for e in entries}) == len(entries)
    trial, group, chapter, formula = (e.fields_dict for e in entries)
    assert trial["title"].value == TRIAL.article.title
    assert [(n.last, n.first) for n in trial["author"].value][:2] == [
        (["Müller"], ["Jürgen"]),
        (["García-López"], ["María", "José"]),
    ]
    assert (trial["author"].value[3].von, trial["author"].value[3].last) == (["van", "der"], ["Berg"])
    assert trial["journal"].value == "Journal of Adolescent Psychopharmacology"
    assert (trial["year"].value, trial["month"].value) == ("2019", "nov")
    assert (trial["volume"].value, trial["number"].value, trial["pages"].value) == ("29", "4", "123–129")
    assert (trial["doi"].value, trial["pmid"].value, trial["pmcid"].value) == (
        "10.1000/jap.2019.0042",
        "31000001",
        "PMC6800001",
    )
    assert trial["url"].value == "https://pubmed.ncbi.nlm.nih.gov/31000001/"
    assert trial["abstract"].value == "OBJECTIVE: To test esketamine. RESULTS: Relapse fell over 26 weeks."
    assert trial["language"].value == "english"
    # biblatex splits keywords at commas outside braces: a MeSH heading with a comma stays one keyword.
    assert trial["keywords"].value == (
        "esketamine, treatment-resistant depression, Ketamine, Adolescent, Suicidal Ideation, "
        "Depressive Disorder, Treatment-Resistant"
    )
    assert "Suicidal Ideation, {Depressive Disorder, Treatment-Resistant}}," in render("bibtex", [TRIAL])

    assert group["title"].value == SPECIAL_TITLE
    # One braced group name (bibtexparser keeps the braces it split by), not 'Ketamine' and a 'Youth Study Group'.
    assert group["author"].value[0].last == ["{Ketamine and Youth Study Group, Europe}"]
    assert group["author"].value[0].first == []
    assert len(group["author"].value) == 2
    assert group["journal"].value == "Child Psychiatry & Human Development"
    assert "doi" not in group

    assert chapter["booktitle"].value == "Handbook of Paediatric Psychopharmacology"
    assert chapter["publisher"].value == "Example Academic Press"
    assert formula["doi"].value == FORMULA.article.doi


def test_bibtex_keeps_braces_balanced_as_bibtex_counts_them():
    """BibTeX counts every brace, escaped or not: an odd '{' in a title must not swallow the next entry."""
    text = render("bibtex")
    depth = 0
    for ch in text:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0
    assert depth == 0
    assert len(parse_bibtex(text).entries) == len(RECORDS)


def test_bibtex_protects_acronyms_from_sentence_case_styles():
    text = render("bibtex", [TRIAL])

    assert "{MDD}" in text
    assert "title = {Esketamine nasal" in text  # the first word is not frozen


def test_bibtex_keys_are_stable_across_exports_and_unique_for_same_author_and_year():
    first = [e.key for e in parse_bibtex(render("bibtex")).entries]
    second = [e.key for e in parse_bibtex(render("bibtex", list(reversed(RECORDS)))).entries]

    assert sorted(first) == sorted(second)
    assert first[0] == "muller2019_31000001" and first[3] == "muller2019_31000004"
    assert first[1] == "ketamine2019_31000002"
    assert all(re.fullmatch(r"[a-z0-9_]+", k) for k in first)


def test_bibtex_keys_stay_unique_when_a_record_repeats():
    keys = [key for key, _ in export.bibtex_keys([TRIAL, TRIAL, GROUP])]

    assert len(set(keys)) == 3


# --- MEDLINE ----------------------------------------------------------------------------------------------


def read_medline(text: str) -> list[dict[str, list[str]]]:
    """A small MEDLINE reader: 'TAG - value' lines, 6-space continuation lines, blank lines between records."""
    records, current, tag = [], {}, None
    for line in text.splitlines():
        if not line.strip():
            if current:
                records.append(current)
            current, tag = {}, None
        elif line.startswith("      "):
            current[tag][-1] += " " + line.strip()
        else:
            m = re.fullmatch(r"([A-Z]{2,4}) {0,2}- (.*)", line)
            assert m and len(line[: line.index("-")]) == 4, line
            tag = m[1]
            current.setdefault(tag, []).append(m[2])
    if current:
        records.append(current)
    return records


def test_medline_is_read_back_with_its_tags():
    trial, group, chapter, formula = read_medline(render("medline"))

    assert trial["PMID"] == ["31000001"] and trial["OWN"] == ["NLM"] and trial["STAT"] == ["MEDLINE"]
    assert trial["TI"] == [TRIAL.article.title]
    assert trial["DP"] == ["2019 Nov 5"]
    assert trial["FAU"][:2] == ["Müller, Jürgen", "García-López, María José"]
    assert trial["AU"][:2] == ["Müller J", "García-López MJ"]
    assert trial["AD"] == ["Klinik für Psychiatrie, Berlin, Germany."]
    assert trial["AB"] == ["OBJECTIVE: To test esketamine. RESULTS: Relapse fell over 26 weeks."]
    assert trial["MH"] == [
        "Ketamine/*therapeutic use",
        "Adolescent",
        "*Suicidal Ideation",
        "Depressive Disorder, Treatment-Resistant",
    ]
    assert trial["OT"] == ["esketamine", "treatment-resistant depression"]
    assert trial["LID"] == trial["AID"] == ["10.1000/jap.2019.0042 [doi]"]
    assert trial["PMC"] == ["PMC6800001"]
    assert (trial["TA"], trial["JT"]) == (
        ["J Adolesc Psychopharmacol"],
        ["Journal of Adolescent Psychopharmacology"],
    )
    assert (trial["VI"], trial["IP"], trial["PG"], trial["IS"]) == (["29"], ["4"], ["123-9"], ["1557-8992"])
    assert trial["PT"] == ["Journal Article", "Randomized Controlled Trial"]
    assert trial["SO"] == ["J Adolesc Psychopharmacol. 2019 Nov 5;29(4):123-9. doi: 10.1000/jap.2019.0042."]

    assert group["DP"] == ["2019 Nov-Dec"]
    assert group["CN"] == ["Ketamine and Youth Study Group, Europe"]
    assert group["TI"] == [SPECIAL_TITLE]
    assert group["LA"] == ["eng", "ger"]
    assert "LID" not in group and "AID" not in group

    assert chapter["BTI"] == ["Handbook of Paediatric Psychopharmacology"]
    assert chapter["PB"] == ["Example Academic Press"]
    assert chapter["PT"][-1] == "Book Chapter"  # the type Zotero's MEDLINE importer turns into a book section
    assert formula["TI"] == [FORMULA.article.title]


def test_medline_wraps_long_fields_at_80_columns_without_breaking_words():
    long_title = " ".join(
        ["Long-term esketamine maintenance in treatment-resistant adolescent depression"] * 4
    )
    rec = StoredArticle(Article(pmid="7", title=long_title))
    text = export.to_medline(rec)

    ti_lines = [ln for ln in text.splitlines() if ln.startswith(("TI  - ", "      "))]
    assert len(ti_lines) > 1
    assert all(len(ln) <= 80 for ln in ti_lines)
    assert read_medline(text)[0]["TI"] == [long_title]


# --- CSV --------------------------------------------------------------------------------------------------


def test_csv_opens_in_excel_and_python_with_one_row_per_record(tmp_path):
    path = tmp_path / "articles.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        assert export.export(iter(RECORDS), "csv", fh) == 4

    assert path.read_bytes().startswith(b"\xef\xbb\xbfpmid,")  # the BOM Excel needs to read UTF-8
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(export.CSV_COLUMNS)
    assert [r["pmid"] for r in rows] == ["31000001", "31000002", "31000003", "31000004"]
    trial, group, chapter, formula = rows
    assert trial["title"] == TRIAL.article.title
    assert trial["authors"] == "Müller J; García-López MJ; O'Brien S; van der Berg A; Smith JA"
    assert trial["mesh"] == (
        "Ketamine/*therapeutic use; Adolescent; *Suicidal Ideation; Depressive Disorder, Treatment-Resistant"
    )
    assert trial["queries"] == "trd; suicidal_ideation"
    assert (trial["on_topic"], trial["long_term_efficacy"], trial["design"]) == ("true", "true", "rct")
    assert (trial["follow_up_weeks"], trial["safety_signals"]) == ("26", "dissociation; blood_pressure")
    assert (trial["pub_date"], trial["year"]) == ("2019-11-05", "2019")
    assert trial["abstract"] == "OBJECTIVE: To test esketamine. RESULTS: Relapse fell over 26 weeks."
    assert group["title"] == SPECIAL_TITLE
    assert (group["on_topic"], group["design"], group["doi"]) == ("", "", "")  # not classified, no DOI
    assert chapter["safety"] == "true" and chapter["long_term_efficacy"] == "false"
    assert formula["title"] == "'" + FORMULA.article.title  # a spreadsheet shows it, never runs it
    assert formula["keywords"] == "'-ketamine"


def test_csv_with_no_records_is_just_the_header():
    buf = io.StringIO()

    assert export.export(iter([]), "csv", buf, bom=False) == 0
    assert list(csv.reader(io.StringIO(buf.getvalue()))) == [list(export.CSV_COLUMNS)]


# --- JSONL ------------------------------------------------------------------------------------------------


def test_jsonl_has_one_object_per_line_with_classification_or_nulls():
    text = render("jsonl")
    lines = text.splitlines()
    objs = [json.loads(line) for line in lines]

    assert len(lines) == 4 and "Müller" in lines[0]  # UTF-8 as is, not \u escapes
    trial, group, chapter, _ = objs
    assert trial["pmid"] == "31000001" and trial["title"] == TRIAL.article.title
    assert trial["abstract_sections"][1] == {
        "label": "RESULTS",
        "text": "Relapse fell\nover 26 weeks.",
        "category": "RESULTS",
    }
    assert (trial["pub_date"], trial["pub_date_text"], trial["year"]) == ("2019-11-05", "2019 Nov 5", 2019)
    assert trial["authors"][:2] == ["Müller J", "García-López MJ"]
    assert trial["authors_full"][0]["affiliation"] == "Klinik für Psychiatrie, Berlin, Germany."
    assert trial["mesh"][0] == {
        "descriptor": "Ketamine",
        "ui": "D007649",
        "major": False,
        "qualifiers": [{"name": "therapeutic use", "ui": "Q000627", "major": True}],
    }
    assert (trial["design"], trial["evidence_rank"], trial["follow_up_weeks"]) == ("rct", 2, 26.0)
    assert trial["reasons"]["safety"] == ["abstract: dissociation"]
    assert trial["classifier_version"] == "2026.1"
    assert (
        trial["queries"] == ["trd", "suicidal_ideation"] and trial["updated"] == "2026-11-02T08:00:00+00:00"
    )

    assert (group["pub_date"], group["pub_date_text"]) == ("2019-11", "2019 Nov-Dec")
    assert group["authors_full"][0]["collective_name"] == "Ketamine and Youth Study Group, Europe"
    for key in (
        "on_topic",
        "long_term_efficacy",
        "safety",
        "design",
        "evidence_rank",
        "safety_signals",
        "reasons",
    ):
        assert group[key] is None, key
    assert chapter["is_book"] is True and chapter["publisher"] == "Example Academic Press"


# --- Markdown ---------------------------------------------------------------------------------------------


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.items, self.strong, self.links, self.tags = [], [], [], set()
        self._in = None

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag == "li":
            self.items.append("")
        if tag == "strong":
            self.strong.append("")
        if tag == "a":
            self.links.append(dict(attrs)["href"])
        self._in = tag

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self.items:
            self.items[-1] += data
        if self._in == "strong":
            self.strong[-1] += data


def test_markdown_lists_records_with_literal_text_and_links():
    text = render("markdown")
    page = _Collect()
    page.feed(MarkdownIt("commonmark").render(text))

    assert len(page.items) == 4
    assert page.strong[0] == TRIAL.article.title
    assert page.strong[1] == SPECIAL_TITLE + "."  # nothing in it became markup
    assert page.tags <= {"ol", "li", "p", "strong", "em", "a", "br"}
    assert "Müller J, García-López MJ, O'Brien S, et al." in page.items[0]
    assert "J Adolesc Psychopharmacol 2019 Nov 5;29(4):123-9." in page.items[0]
    assert "randomised controlled trial · follow-up 26 weeks" in page.items[0].lower()
    assert "safety signals: dissociation, blood pressure" in page.items[0]
    assert "https://pubmed.ncbi.nlm.nih.gov/31000001/" in page.links
    assert "https://doi.org/10.1000/jap.2019.0042" in page.links
    assert not any("doi.org" in link for link in page.links if "31000002" in link)
    assert "Design" not in page.items[1] and "follow-up" not in page.items[1]  # not classified
    assert "Handbook of Paediatric Psychopharmacology Example Academic Press; 2020." in page.items[2]
    assert text.startswith("1. ") and "\n4. " in text
    assert r"\$cost" in text  # '$' escaped too, so editors that render math leave it alone


# --- streaming and errors ---------------------------------------------------------------------------------


class _WatchingStream(io.StringIO):
    """Notes how many records the exporter had pulled from its input at each write."""

    def __init__(self, pulled):
        super().__init__()
        self.pulled, self.seen = pulled, []

    def write(self, s):
        self.seen.append(self.pulled[0])
        return super().write(s)


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_export_streams_each_record_before_reading_the_next(fmt):
    pulled = [0]

    def records():
        for rec in RECORDS * 3:
            pulled[0] += 1
            yield rec

    out = _WatchingStream(pulled)
    assert export.export(records(), fmt, out) == 12
    first_record_write = next(i for i, n in enumerate(out.seen) if n >= 1)
    assert out.seen[first_record_write] == 1  # the first record was written before the second was read
    assert max(b - a for a, b in zip(out.seen, out.seen[1:], strict=False)) <= 1


def test_unknown_format_is_a_usage_error_naming_the_choices():
    with pytest.raises(UsageError) as err:
        export.export(iter(RECORDS), "endnote-xml", io.StringIO())

    assert err.value.exit_code == 2
    assert "endnote-xml" in str(err.value) and "ris, bibtex, medline, csv, jsonl, markdown" in str(err.value)
