"""litwatch: track the PubMed literature on ketamine for adolescent mental health."""

__version__ = "0.1.0"
