"""Figures drawn from the tables the workflow writes; the models never draw.

The non-interactive backend is set here, before any figure module imports pyplot (jobs on
cluster nodes have no display)."""

import matplotlib

matplotlib.use("Agg")
