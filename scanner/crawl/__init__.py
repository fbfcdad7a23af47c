"""The crawler's building blocks: URL normalisation, robots.txt, sitemaps, document probes."""
