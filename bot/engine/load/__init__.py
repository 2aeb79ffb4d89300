"""Loading flows from YAML: files, shared checks, side files, located errors."""
