"""One scan from start to end: crawling, visiting, probing hosts, checking and storing, in order."""
