"""Contextual regression: an interpretable promoter model, its contributions, gene
clusters, motifs and grammar."""
