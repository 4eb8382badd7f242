"""Reports for people and machines: terminal tables, JSON and CSV."""
