"""Figures drawn from the tables the workflow writes; the models never draw."""
