"""The translation index, the sync records of translations, and the interface catalogs."""
