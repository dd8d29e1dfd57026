"""From expression sources to the compendium: selection, normalisation, genes, splits."""
