"""The hub's HTTP application (FastAPI); the store app must never import it."""
