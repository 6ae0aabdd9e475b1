"""Playbooks: validated data files plus the deterministic analysers that apply them."""
