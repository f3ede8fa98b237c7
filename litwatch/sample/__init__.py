"""Invented PubMed records shipped for `litwatch demo`; they are data only, read with importlib.resources."""
