"""Tests of the persistence layer, each run on SQLite and PostgreSQL."""
