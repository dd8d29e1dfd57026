"""Cis models: gene expression from the promoter sequence (and mRNA features), on the genes,
labels and gene splits of the cis inputs. So far the simple baselines every sequence model is
set beside: k-mer ridge and mRNA-feature ridge, each with a permuted-label control."""
