"""From evidence to findings: the check registry, the runner that applies checks, and fingerprints."""
