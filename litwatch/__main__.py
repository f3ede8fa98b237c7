"""`python -m litwatch`."""

from litwatch.cli import app

if __name__ == "__main__":
    app()
