"""Every problem in the content and catalogs, found before anything is built.

`checks.check_site` is the entry point; `problems.Problem` is how every check (and the
catalog compiler) reports. Nothing is imported here, so the build's modules can use
`problems` without importing the checks that use them in turn.
"""
