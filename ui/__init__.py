"""The store app's Qt screens, widgets and item models."""
