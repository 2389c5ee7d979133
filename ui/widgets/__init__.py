"""Small reusable widgets and delegates (one public widget class per module)."""
