"""What is done with a built site: sitemap and robots.txt, deploys, reproducibility."""
