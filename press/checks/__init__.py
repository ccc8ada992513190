"""`invoke check` before a build, the gates after it, and the page weight budget."""
