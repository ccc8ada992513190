"""Translation review: sync records, staleness, status, paragraph diffs, QA and review site."""
