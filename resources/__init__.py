"""Package data: themes, icons, carrier rate sheets and demo-network settings."""
