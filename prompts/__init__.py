"""Jinja2 prompt templates, shipped as package data and rendered with StrictUndefined."""
