"""Readers and writers of every external format, with clear errors on bad input."""
