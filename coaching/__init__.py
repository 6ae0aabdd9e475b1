"""The coaching engine: playbooks, analysers and the service. Pure domain code."""
