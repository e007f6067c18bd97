"""A believable demo retailer, generated deterministically from a seed (pure: no database)."""
