"""Build-speed benchmark (issue 7): our build beside i18n-subsites, Pelican and Markdown."""
