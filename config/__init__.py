"""Settings: the one place that reads the environment, and the reference generated from it."""
