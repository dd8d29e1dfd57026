"""The simulated demo world: a known regulatory network, planted promoter grammar, diseases.

Each stage is a module with one `simulate_*` entry point, seeded from the world seed and a
stage number, so that changing one stage's settings leaves the others' draws unchanged:
`network` → `genome` (promoters, gene structures, baselines) → `expression` (GTEx, ARCHS4),
`knowledge` (TF list, TRRUST), `diseases` (Expression Atlas, GWAS Catalog), and
`language_model` (a tiny DNABERT-6-style model folder). The truth lies in `truth.py`'s tables.
"""
