"""Build PubmedArticle XML for tests: small, but shaped like efetch output (PMID, dates, abstract, MeSH, ids)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from litwatch.models import Classification

DOCTYPE = (
    '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
)

LTE_ABSTRACT = (
    "Adolescents aged 13-17 years with treatment-resistant depression received six intravenous ketamine infusions. "
    "Response was sustained at the 6-month follow-up in 40% of participants and relapse was delayed."
)
SAFETY_ABSTRACT = (
    "We report adverse events in 30 adolescents (aged 12-17) with major depressive disorder given esketamine nasal "
    "spray: dissociation, nausea and transient blood pressure increases were common; no serious adverse events."
)
ANIMAL_ABSTRACT = (
    "Adolescent male rats received ketamine (10 mg/kg) and depression-like behaviour was measured in the forced "
    "swim test; ketamine reduced immobility."
)


def record(
    pmid: str,
    title: str = "Ketamine for adolescent depression",
    abstract: str = LTE_ABSTRACT,
    *,
    edat: str = "2026-11-20",
    year: int = 2026,
    doi: str | None = None,
    mesh: tuple[str, ...] = (),
    publication_types: tuple[str, ...] = ("Journal Article",),
) -> str:
    """One <PubmedArticle> element."""
    y, m, d = edat.split("-")
    doi = doi or f"10.5555/lw.{pmid}"
    mesh_xml = "".join(
        f'<MeshHeading><DescriptorName UI="D{i:06d}" MajorTopicYN="N">{escape(t)}</DescriptorName></MeshHeading>'
        for i, t in enumerate(mesh)
    )
    pts = "".join(f'<PublicationType UI="D016428">{escape(p)}</PublicationType>' for p in publication_types)
    return (
        f'<PubmedArticle><MedlineCitation Status="PubMed-not-MEDLINE" Owner="NLM"><PMID Version="1">{pmid}</PMID>'
        f'<Article PubModel="Print-Electronic"><Journal><ISSN IssnType="Electronic">1234-5678</ISSN>'
        f'<JournalIssue CitedMedium="Internet"><Volume>12</Volume><Issue>3</Issue><PubDate><Year>{year}</Year>'
        f"<Month>Nov</Month></PubDate></JournalIssue><Title>Journal of Youth Psychiatry</Title>"
        f"<ISOAbbreviation>J Youth Psychiatry</ISOAbbreviation></Journal>"
        f"<ArticleTitle>{escape(title)}</ArticleTitle><Pagination><MedlinePgn>101-9</MedlinePgn></Pagination>"
        f'<ELocationID EIdType="doi" ValidYN="Y">{escape(doi)}</ELocationID>'
        f"<Abstract><AbstractText>{escape(abstract)}</AbstractText></Abstract>"
        f'<AuthorList CompleteYN="Y"><Author ValidYN="Y"><LastName>Rivera</LastName><ForeName>Ana</ForeName>'
        f"<Initials>A</Initials></Author></AuthorList><Language>eng</Language>"
        f"<PublicationTypeList>{pts}</PublicationTypeList></Article>"
        f"<MedlineJournalInfo><MedlineTA>J Youth Psychiatry</MedlineTA></MedlineJournalInfo>"
        f"{'<MeshHeadingList>' + mesh_xml + '</MeshHeadingList>' if mesh else ''}</MedlineCitation>"
        f'<PubmedData><History><PubMedPubDate PubStatus="entrez"><Year>{y}</Year><Month>{int(m)}</Month>'
        f"<Day>{int(d)}</Day></PubMedPubDate></History><PublicationStatus>ppublish</PublicationStatus>"
        f'<ArticleIdList><ArticleId IdType="pubmed">{pmid}</ArticleId><ArticleId IdType="doi">{escape(doi)}'
        f"</ArticleId></ArticleIdList></PubmedData></PubmedArticle>"
    )


def article_set(*records: str) -> str:
    return DOCTYPE + "<PubmedArticleSet>" + "".join(records) + "</PubmedArticleSet>\n"


def classification(pmid, *, on_topic=True, lte=False, safety=False, design="cohort", population="adolescent"):
    """A hand-made Classification, for tests that store labels without running the classifier."""
    return Classification(
        pmid=pmid,
        version="t",
        on_topic=on_topic,
        long_term_efficacy=lte,
        safety=safety,
        design=design,
        evidence_rank=3,
        population=population,
        excluded=None if on_topic else "animal",
        reasons={"safety": ('abstract: "dissociation"',)} if safety else {},
    )


def keep_hand_labels(db) -> None:
    """Mark the stored labels as the current classifier's, so the CLI does not reclassify hand-made ones."""
    from litwatch import store
    from litwatch.classify import CLASSIFIER_VERSION

    store.set_meta(db, "classifier_version", CLASSIFIER_VERSION)
