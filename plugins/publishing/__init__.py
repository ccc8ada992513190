"""Everything between a built site and its readers: headers, sitemap, deploys, offline edition."""
