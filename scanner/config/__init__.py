"""Reading targets.toml: one typed value per target, every problem named with its file, line and field."""
