"""Refuses any article or page whose HTML holds what readers must not get (docs/safety.md)."""

from pelican import signals

from press.rendering import markup_allowlist


def register():
    """Check each article and page as Pelican creates it."""
    signals.initialized.connect(markup_allowlist.load_memo)
    signals.content_object_init.connect(markup_allowlist.check_rendered_html)
    signals.finalized.connect(markup_allowlist.save_memo)
