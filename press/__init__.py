"""FFHR's publishing system: what turns content/ and locale/ into the published sites.

`press.core` holds what every other part builds on (problems); `press.safety` decides what
may be published at all.
"""
