"""PubMed XML -> Article: field mapping, DOCTYPE handling without network, error bodies, streaming big files."""

from __future__ import annotations

import gzip
import re
import socket
import tracemalloc
from dataclasses import replace
from pathlib import Path

import pytest
from Bio.Entrez.Parser import DataHandler  # only to find Biopython's DTD cache directory

from litwatch.errors import ParseError
from litwatch.models import AbstractSection, Article, Author, MeshHeading, MeshQualifier, PubDate
from litwatch.parse import ParsedBatch, iter_file_batches, parse_batch

DATA = Path(__file__).parent / "data"
PROLOG = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
    '1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
)
ARTICLE = (
    '<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{pmid}</PMID>'
    '<Article PubModel="Print"><Journal><JournalIssue CitedMedium="Print"><Volume>1</Volume><PubDate><Year>2026'
    "</Year><Month>Jan</Month></PubDate></JournalIssue><Title>Generated Journal</Title></Journal>"
    "<ArticleTitle>Generated record {pmid} on ketamine in adolescents.</ArticleTitle><Pagination><MedlinePgn>"
    '1-2</MedlinePgn></Pagination><Abstract><AbstractText Label="RESULTS" NlmCategory="RESULTS">Outcome with '
    "r<sup>2</sup> &lt; 0.5 in Müller's cohort.</AbstractText></Abstract><Language>eng</Language>"
    '<PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType></PublicationTypeList>'
    "</Article><MedlineJournalInfo><MedlineTA>Gen J</MedlineTA><NlmUniqueID>1</NlmUniqueID></MedlineJournalInfo>"
    '</MedlineCitation><PubmedData><History><PubMedPubDate PubStatus="entrez"><Year>2026</Year><Month>1</Month>'
    "<Day>2</Day></PubMedPubDate></History><PublicationStatus>ppublish</PublicationStatus><ArticleIdList>"
    '<ArticleId IdType="pubmed">{pmid}</ArticleId></ArticleIdList></PubmedData></PubmedArticle>\n'
)
BOOK = (
    '<PubmedBookArticle><BookDocument><PMID Version="1">{pmid}</PMID><ArticleIdList><ArticleId '
    'IdType="bookaccession">NBK{pmid}</ArticleId></ArticleIdList><Book><Publisher><PublisherName>Gen Press'
    "</PublisherName></Publisher><BookTitle>Generated Book {pmid}</BookTitle><PubDate><Year>2025</Year></PubDate>"
    "</Book><Language>eng</Language></BookDocument><PubmedBookData><PublicationStatus>ppublish"
    '</PublicationStatus><ArticleIdList><ArticleId IdType="pubmed">{pmid}</ArticleId></ArticleIdList>'
    "</PubmedBookData></PubmedBookArticle>\n"
)


def parsed(name: str) -> dict[str, Article]:
    """The articles of a fixture by PMID; the fixture must convert without skips."""
    batch = parse_batch((DATA / name).read_bytes())
    assert batch.skipped == []
    return {a.pmid: a for a in batch.articles}


def generated_set(pmids: list[int], book_every: int = 0) -> str:
    """A PubmedArticleSet of small generated records (every `book_every`-th one a book), with a DeleteCitation."""
    records = [
        (BOOK if book_every and i % book_every == book_every - 1 else ARTICLE).format(pmid=p)
        for i, p in enumerate(pmids)
    ]
    deleted = '<DeleteCitation><PMID Version="1">1</PMID></DeleteCitation>\n'
    return PROLOG + "<PubmedArticleSet>\n" + "".join(records) + deleted + "</PubmedArticleSet>\n"


def write(path: Path, text: str | bytes, compress: bool = False) -> Path:
    data = text.encode("utf-8") if isinstance(text, str) else text
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


@pytest.fixture
def no_network(monkeypatch):
    """Every attempt to resolve or connect fails (and is recorded) for the duration of the test."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args[1:] or args)
        raise OSError("network access attempted during a parse test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


# --- abstracts and text ---------------------------------------------------------------------------------------


def test_structured_abstract_keeps_labels_and_categories_in_order():
    article = parsed("parse_abstracts.xml")["38100001"]
    assert [(s.label, s.category) for s in article.abstract] == [
        ("BACKGROUND", "BACKGROUND"),
        ("METHODS", "METHODS"),
        ("RESULTS", "RESULTS"),
        ("CONCLUSIONS & RELEVANCE", "CONCLUSIONS"),
        ("TRIAL REGISTRATION", "UNASSIGNED"),
    ]
    assert article.abstract_text.splitlines()[0] == (
        "BACKGROUND: Adolescents with treatment-resistant depression have few options."
    )
    assert "Resumen" not in article.abstract_text  # OtherAbstract is not the article's abstract


def test_unstructured_abstract_is_one_unlabelled_section_and_missing_abstract_is_empty():
    articles = parsed("parse_abstracts.xml")
    assert articles["38100002"].abstract == (
        AbstractSection(
            "Ketamine acts on NMDA receptors & may act quickly in young people; evidence remains thin."
        ),
    )
    assert articles["38100003"].abstract == ()


@pytest.mark.parametrize(
    ("pmid", "field", "expected"),
    [
        (
            "38100001",
            "title",
            "In vivo effects of esketamine when 5 < 6: a randomised trial in H2O-loaded adol",
        ),
        (
            "38100001",
            "results",
            "Response was higher with esketamine (r2<0.25; P = .03), and the ratio a/b stayed",
        ),
        ("38100001", "conclusions", "Esketamine was well tolerated over the short term."),
        ("38100002", "title", "Ketamine & the adolescent brain: a narrative overview."),
    ],
)
def test_markup_is_stripped_and_entities_decoded(pmid, field, expected):
    article = parsed("parse_abstracts.xml")[pmid]
    sections = {s.category: s.text for s in article.abstract}
    value = article.title if field == "title" else sections[field.upper()]
    assert value.startswith(expected)
    assert "  " not in value


def test_word_glued_italics_keep_words_apart():
    glued = b"<ArticleTitle>Variants at the<i>TERT</i>gene, H<sub>2</sub>O; same record"
    xml = (DATA / "parse_doctype_250101.xml").read_bytes().replace(b"<ArticleTitle>Same record", glued)
    assert parse_batch(xml).articles[0].title.startswith("Variants at the TERT gene, H2O; same record")


def test_vernacular_title_stands_in_for_an_empty_article_title():
    article = parsed("parse_abstracts.xml")["38100003"]
    assert article.title == "Kétamine chez l'adolescent suicidaire : à propos d'un cas."
    assert article.language == ("fre",)


def test_values_are_plain_python_objects_not_biopython_ones():
    for article in parsed("pubmed_records.xml").values():
        strings = [article.pmid, article.title, article.journal, article.doi, article.status]
        strings += [article.entrez_date, *article.language, *article.publication_types, *article.keywords]
        strings += [a.last_name or a.collective_name for a in article.authors]
        strings += [s.text for s in article.abstract] + [m.descriptor for m in article.mesh]
        assert {type(s) for s in strings if s is not None} == {str}


# --- dates ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pmid", "expected", "shown"),
    [
        ("38200001", PubDate(2019, 11, 5), "2019 Nov 5"),
        ("38200002", PubDate(2021, 11), "2021 Nov"),
        ("38200003", PubDate(2022, 1), "2022 Jan"),
        ("38200004", PubDate(2020, season="Spring"), "2020 Spring"),
        ("38200005", PubDate(2019, 11, medline_date="2019 Nov-Dec"), "2019 Nov-Dec"),
        ("38200006", PubDate(1998, 12, medline_date="1998 Dec-1999 Jan"), "1998 Dec-1999 Jan"),
        ("38200007", PubDate(2000, medline_date="2000 Spring-Summer"), "2000 Spring-Summer"),
        ("38200008", PubDate(2005, medline_date="2005"), "2005"),
        ("38200009", PubDate(2024, 6, 30), "2024 Jun 30"),  # empty PubDate: the electronic ArticleDate
        ("38200010", PubDate(2023, season="Winter"), "2023 Winter"),  # has a year: ArticleDate not used
    ],
)
def test_publication_date_forms(pmid, expected, shown):
    date = parsed("parse_dates.xml")[pmid].pub_date
    assert date == expected
    assert date.display() == shown


@pytest.mark.parametrize(
    ("pmid", "entrez_date"),
    [("38200001", "2026-01-09"), ("38200009", "2026-03-07"), ("38200010", "2026-12-31")],
)
def test_entrez_date_is_padded_iso_from_the_entrez_history_entry(pmid, entrez_date):
    assert parsed("parse_dates.xml")[pmid].entrez_date == entrez_date


# --- people, books, identifiers, indexing -----------------------------------------------------------------------


def test_authors_collective_non_ascii_invalid_and_affiliations():
    authors = parsed("parse_people.xml")["38300001"].authors
    assert authors == (
        Author(collective_name="Youth Ketamine Registry Consortium"),
        Author(
            "Müller",
            "Jürgen",
            "J",
            affiliation="Klinik für Kinder- und Jugendpsychiatrie, Universität Teststadt, Germany.",
        ),
        Author(
            "Nowak", "Łukasz", "Ł", affiliation="Department of Psychiatry, Test University, Kraków, Poland."
        ),
        Author("García-López", "María José", "MJ"),
        Author("Ng", None, "K"),
    )
    assert [a.display for a in authors][1:] == ["Müller J", "Nowak Ł", "García-López MJ", "Ng K"]


def test_book_chapter_uses_chapter_authors_book_title_and_publisher():
    chapter = parsed("parse_book.xml")["38400001"]
    assert chapter.is_book
    assert chapter.title == "Ketamine and Esketamine in Youth"
    assert chapter.journal == "Handbook of Adolescent Psychopharmacology®"
    assert chapter.publisher == "Test Academic Press"
    assert [a.display for a in chapter.authors] == ["Chapterwright C", "Second S"]  # not the editor
    assert chapter.pub_date == PubDate(2023, 9)
    assert chapter.doi == "10.5555/book.900001"
    assert chapter.entrez_date == "2023-09-20"
    assert [s.label for s in chapter.abstract] == ["CLINICAL CHARACTERISTICS", "MANAGEMENT"]
    assert chapter.keywords == ("esketamine",)
    assert chapter.publication_types == ("Review",)


def test_whole_book_takes_its_title_from_the_book_and_editors_when_no_authors():
    book = parsed("parse_book.xml")["38400003"]
    assert book.is_book
    assert book.title == book.journal == "Treatment-Resistant Depression in Young People: An Evidence Review"
    assert [a.display for a in book.authors] == ["Redactor R", "Evidence Review Group"]
    assert book.publisher == "National Test Institute"


def test_books_and_articles_keep_document_order():
    batch = parse_batch((DATA / "parse_book.xml").read_bytes())
    assert [(a.pmid, a.is_book) for a in batch.articles] == [
        ("38400001", True),
        ("38400002", False),
        ("38400003", True),
    ]


@pytest.mark.parametrize(
    ("pmid", "doi", "pmcid", "pages", "abbrev"),
    [
        ("38500001", "10.5555/lw.2025.0001", "PMC11000001", "e250044", "Identif Test J Child Psychiatry"),
        ("38500002", "10.5555/lw.2024.0002", "PMC11000002", "1402-1409", "Front Test Psychiatry"),
        ("38500003", None, None, "301-4", "Older Test J"),  # the only DOIs are in its ReferenceList
    ],
)
def test_identifiers_come_from_the_record_never_from_its_references(pmid, doi, pmcid, pages, abbrev):
    article = parsed("parse_ids.xml")[pmid]
    assert (article.doi, article.pmcid, article.pages, article.journal_abbrev) == (doi, pmcid, pages, abbrev)


def test_mesh_headings_with_qualifiers_and_major_flags():
    mesh = parsed("parse_ids.xml")["38500001"].mesh
    assert mesh == (
        MeshHeading("Adolescent", "D000293"),
        MeshHeading(
            "Ketamine",
            "D007649",
            False,
            (
                MeshQualifier("administration & dosage", "Q000008", True),
                MeshQualifier("adverse effects", "Q000009", False),
            ),
        ),
        MeshHeading("Suicidal Ideation", "D059020", True),
    )
    assert [m.descriptor for m in mesh if m.is_major] == ["Ketamine", "Suicidal Ideation"]


def test_keywords_from_all_lists_without_markup_or_duplicates():
    article = parsed("parse_ids.xml")["38500001"]
    assert article.keywords == ("Esketamine", "long-term safety", "adolescent depression")


def test_journal_fields_language_types_and_status():
    article = parsed("parse_ids.xml")["38500001"]
    assert (article.journal, article.volume, article.issue, article.issn) == (
        "Identifier Test Journal of Child Psychiatry",
        "33",
        "7",
        "1555-0002",
    )
    assert article.language == ("eng", "spa")
    assert article.publication_types == ("Journal Article", "Clinical Trial, Phase III")
    assert article.status == "MEDLINE"
    assert article.pub_date == PubDate(2025, 7, 15)  # the issue date wins over the ArticleDate


def test_shared_records_fixture_has_twelve_records_entered_in_2026():
    batch = parse_batch((DATA / "pubmed_records.xml").read_bytes())
    assert batch.skipped == []
    assert [a.pmid for a in batch.articles] == [str(p) for p in range(39000001, 39000013)]
    assert all(a.entrez_date.startswith("2026-") for a in batch.articles)
    assert all(a.title and a.authors and a.mesh for a in batch.articles)


# --- records that cannot be converted ---------------------------------------------------------------------------


def test_records_without_pmid_or_title_are_skipped_and_the_rest_kept():
    batch = parse_batch((DATA / "parse_skips.xml").read_bytes())
    assert [a.pmid for a in batch.articles] == ["38600001", "38600004"]
    assert batch.skipped == [(None, "the record has no PMID"), ("38600003", "the record has no title")]


def test_a_record_biopython_cannot_read_is_skipped_by_pmid_not_the_whole_batch():
    xml = (DATA / "pubmed_records.xml").read_bytes()
    broken = xml.replace(
        b"<ArticleTitle>Single-dose", b'<ArticleTitle><x:b xmlns:x="http://example.org/x">!</x:b>Single-dose'
    )
    batch = parse_batch(broken)
    assert len(batch.articles) == 11
    assert "39000004" not in {a.pmid for a in batch.articles}
    assert [pmid for pmid, _ in batch.skipped] == ["39000004"]


def test_delete_citation_and_empty_set_give_no_articles():
    empty = PROLOG + "<PubmedArticleSet></PubmedArticleSet>\n"
    deleted = PROLOG + '<PubmedArticleSet><DeleteCitation><PMID Version="1">1</PMID></DeleteCitation>'
    deleted += "</PubmedArticleSet>"
    assert parse_batch(empty.encode()) == ParsedBatch([], [])
    assert parse_batch(deleted.encode()) == ParsedBatch([], [])


# --- DOCTYPEs and the network -----------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["190101", "250101", "990101", "http", "none", "bare"])
def test_every_doctype_variant_gives_the_same_article_without_network(variant, no_network):
    reference = parse_batch((DATA / "parse_doctype_250101.xml").read_bytes()).articles[0]
    article = parse_batch((DATA / f"parse_doctype_{variant}.xml").read_bytes()).articles[0]
    assert article.title.startswith("Same record, DOCTYPE variant: ")
    assert replace(article, title="") == replace(reference, title="")
    assert article.abstract_text == "Intravenous ketamine for depressed adolescents, <18 years."
    assert no_network == []


def test_unshipped_future_dtd_is_neither_downloaded_nor_cached(no_network):
    cache = Path(DataHandler.local_dtd_dir) if DataHandler.local_dtd_dir else None
    if cache is not None:
        (cache / "pubmed_990101.dtd").unlink(missing_ok=True)
    batch = parse_batch((DATA / "parse_doctype_990101.xml").read_bytes())
    assert [a.pmid for a in batch.articles] == ["38700001"]
    assert batch.articles[0].doi == "10.5555/doctype.1"
    assert no_network == []
    if cache is not None:
        assert not (cache / "pubmed_990101.dtd").exists()


# --- documents that are not PubMed XML --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "parse_error_efetch.xml",
            "not PubMed XML: NCBI answered with an error: Cannot retrieve history data",
        ),
        ("parse_error_bare.xml", "not PubMed XML: NCBI answered with an error: Invalid query_key"),
        ("parse_error_html.xml", "not PubMed XML: got an HTML page: 502 Bad Gateway"),
        (
            "parse_error_esearch.xml",
            "not PubMed XML: the root element is <eSearchResult>, expected <PubmedArticleSet>",
        ),
        ("parse_truncated.xml", "truncated or malformed PubMed XML"),
        (b"", "not PubMed XML: the document is empty"),
        (b"\n  \n", "not PubMed XML: the document is empty"),
        (
            b'{"error":"API rate limit exceeded"}',
            'not PubMed XML: got JSON: {"error":"API rate limit exceeded"}',
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not PubMed XML"),
        (b'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet>\n', "not PubMed XML: no root element"),
        (b"<PubmedArticleSet><PubmedArticle><MedlineCitation>", "truncated or malformed PubMed XML"),
        (PROLOG.encode() + b"<PubmedArticleSet><PubmedArticle></Wrong></PubmedArticleSet>", "malformed"),
    ],
)
def test_non_pubmed_documents_raise_one_line_parse_error(source, message, no_network):
    xml = (DATA / source).read_bytes() if isinstance(source, str) else source
    with pytest.raises(ParseError) as caught:
        parse_batch(xml)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert no_network == []


@pytest.mark.parametrize("fraction", [0.05, 0.2, 0.5, 0.77, 0.99])
def test_a_response_cut_anywhere_raises_parse_error(fraction):
    xml = (DATA / "pubmed_records.xml").read_bytes()
    with pytest.raises(ParseError):
        parse_batch(xml[: int(len(xml) * fraction)])


# --- files ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
def test_big_file_streams_in_batches_in_document_order(tmp_path, compress):
    pmids = list(range(50000001, 50002501))
    # gzip is recognised by its magic bytes: the compressed file keeps a plain .xml name
    path = write(tmp_path / "export.xml", generated_set(pmids, book_every=700), compress)
    batches = list(iter_file_batches(path, batch_size=400))
    assert [len(b.articles) for b in batches] == [400] * 6 + [100]
    assert [a.pmid for b in batches for a in b.articles] == [str(p) for p in pmids]
    assert sum(a.is_book for b in batches for a in b.articles) == 3
    assert all(b.skipped == [] for b in batches)
    assert batches[-1].articles[-1].abstract[0].text == "Outcome with r2 < 0.5 in Müller's cohort."


def test_memory_does_not_grow_with_the_file(tmp_path):
    small = write(tmp_path / "small.xml", generated_set(list(range(1, 41))))
    large = write(tmp_path / "large.xml", generated_set(list(range(1, 401))))

    def peak(path: Path) -> int:
        tracemalloc.start()
        try:
            assert sum(len(b.articles) for b in iter_file_batches(path, batch_size=40)) > 0
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    peak(small)  # warm caches (compiled regexes, imports) so both runs measure the same thing
    # Reading the large file whole would take about 4x the memory of the small one; streaming takes about the same.
    assert peak(large) < 1.5 * peak(small)


@pytest.mark.parametrize(
    "name",
    ["pubmed_records.xml", "parse_book.xml", "parse_skips.xml", "parse_ids.xml", "parse_doctype_none.xml"],
)
@pytest.mark.parametrize("suffix", [".xml", ".xml.gz"])
def test_file_batches_give_what_parse_batch_gives(tmp_path, name, suffix, no_network):
    data = (DATA / name).read_bytes()
    path = write(tmp_path / f"copy{suffix}", data, compress=suffix.endswith(".gz"))
    batches = list(iter_file_batches(path, batch_size=2))
    whole = parse_batch(data)
    assert [a for b in batches for a in b.articles] == whole.articles
    assert [s for b in batches for s in b.skipped] == whole.skipped
    assert all(len(b.articles) + len(b.skipped) <= 2 for b in batches)
    assert no_network == []


def test_plain_file_with_a_gz_suffix_is_read_as_plain(tmp_path):
    path = write(tmp_path / "mislabelled.xml.gz", (DATA / "pubmed_records.xml").read_bytes())
    assert sum(len(b.articles) for b in iter_file_batches(path)) == 12


@pytest.mark.parametrize("cut", [1, 7, 14, 15, 16, 40])
def test_record_cut_by_a_read_boundary_is_not_lost(tmp_path, cut):
    """Regression: a record whose start tag straddled a 64 KiB read was dropped without a word."""
    head = PROLOG + "<PubmedArticleSet>\n"
    filler = "<!--" + "x" * (65536 - cut - len(head.encode()) - 7) + "-->"
    text = generated_set(list(range(70000001, 70000041))).replace(head, head + filler, 1)
    assert text.index("<PubmedArticle>") == 65536 - cut
    batches = list(iter_file_batches(write(tmp_path / "cut.xml", text), batch_size=100))
    assert [a.pmid for b in batches for a in b.articles] == [str(p) for p in range(70000001, 70000041)]


def test_empty_set_file_yields_nothing(tmp_path):
    path = write(tmp_path / "empty.xml", PROLOG + "<PubmedArticleSet>\n</PubmedArticleSet>\n")
    assert list(iter_file_batches(path)) == []


@pytest.mark.parametrize(
    ("content", "compress", "message"),
    [
        ("parse_error_html.xml", False, "not PubMed XML: got an HTML page: 502 Bad Gateway"),
        ("parse_error_efetch.xml", True, "not PubMed XML: NCBI answered with an error"),
        ("parse_error_esearch.xml", False, "the root element is <eSearchResult>"),
        (b"", False, "not PubMed XML: the document is empty"),
        (b"\x1f\x8b\x08\x00garbage that is not deflate data", False, "truncated or malformed"),
        (gzip.compress(b"<PubmedArticleSet>" * 500)[:60], False, "truncated or malformed"),
        (b"PK\x03\x04 a zip archive, not xml", False, "not PubMed XML"),
    ],
)
def test_bad_files_raise_parse_error_naming_the_file(tmp_path, content, compress, message):
    data = (DATA / content).read_bytes() if isinstance(content, str) else content
    path = write(tmp_path / "input.xml", data, compress)
    with pytest.raises(ParseError) as caught:
        list(iter_file_batches(path))
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_truncated_file_raises_after_the_complete_batches(tmp_path):
    data = (DATA / "pubmed_records.xml").read_bytes()
    path = write(tmp_path / "cut.xml", data[: data.index(b'<PMID Version="1">39000008')])
    stream = iter_file_batches(path, batch_size=2)
    first = [next(stream) for _ in range(3)]
    assert [a.pmid for b in first for a in b.articles] == [str(p) for p in range(39000001, 39000007)]
    with pytest.raises(ParseError, match=re.escape(str(path)) + ".*truncated or malformed"):
        next(stream)


def test_missing_file_is_a_parse_error(tmp_path):
    with pytest.raises(ParseError, match="cannot read .*nowhere.xml"):
        list(iter_file_batches(tmp_path / "nowhere.xml"))


# --- big bodies are handed to Bio a piece at a time ----------------------------------------------------------


def _body(pmids) -> bytes:
    parts = [BOOK.format(pmid=p) if p % 7 == 0 else ARTICLE.format(pmid=p) for p in pmids]
    return (PROLOG + "<PubmedArticleSet>\n" + "".join(parts) + "</PubmedArticleSet>\n").encode()


def test_a_body_of_several_pieces_gives_every_record_once_in_document_order():
    from litwatch.parse import PIECE

    pmids = list(range(1, 2 * PIECE + 38))
    batch = parse_batch(_body(pmids))
    assert [a.pmid for a in batch.articles] == [str(p) for p in pmids]
    assert [a.is_book for a in batch.articles] == [p % 7 == 0 for p in pmids]
    assert batch.skipped == []


def test_a_body_cut_right_after_a_piece_is_still_refused_as_truncated():
    from litwatch.parse import PIECE

    body = _body(range(1, 2 * PIECE + 1))
    cut = body[: body.index(b"</PubmedArticleSet>")]  # every record complete, the root never closed
    with pytest.raises(ParseError, match="truncated or malformed"):
        parse_batch(cut)


def test_a_bad_record_in_a_later_piece_is_skipped_and_the_rest_kept():
    from litwatch.parse import PIECE

    pmids = list(range(1, PIECE + 20))
    bad = PIECE + 6  # an article (every 7th is a book)
    body = _body(pmids).replace(
        f"<ArticleTitle>Generated record {bad} ".encode(),
        f'<ArticleTitle><x:b xmlns:x="http://example.org/x">!</x:b>Generated record {bad} '.encode(),
    )
    batch = parse_batch(body)
    assert [pmid for pmid, _ in batch.skipped] == [str(bad)]
    assert [a.pmid for a in batch.articles] == [str(p) for p in pmids if p != bad]
