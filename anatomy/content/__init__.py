"""The atlas's content: the schema, loading ``annotations.yaml`` with line numbers, the rules."""
