"""The words each mode shows: selection text, the explainer, plain place names, search."""
