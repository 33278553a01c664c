"""One browser session's state, deep links and practice, with no Panel import."""
