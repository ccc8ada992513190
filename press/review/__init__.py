"""For translators and reviewers: translation status, source diffs, and automatic QA."""
