"""One module per screen of the store app."""
