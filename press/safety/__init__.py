"""What may be published: allowlists of markup, URLs, documents and names."""
