"""cistrans: gene expression from trans (TF expression) and cis (promoter sequence)."""

__version__ = "0.1.0"
