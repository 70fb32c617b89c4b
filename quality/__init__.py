"""Quality gate over the published tables: Great Expectations suites plus computed pandas checks."""
