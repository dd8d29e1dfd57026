"""The simulated demo world: a known regulatory network, planted promoter grammar, diseases.

Each stage is a module with one `simulate_*` entry point that returns data (its rule's
script writes the files), seeded from the world seed and a stage number (`rng.py`), so that
changing one stage's settings leaves the others' draws unchanged: `network` → `genome`
(promoters, gene structures, baselines) → `expression` (GTEx, ARCHS4; sample designs in
`cohorts`), `knowledge` (TF list, TRRUST), `diseases` (Expression Atlas, GWAS Catalog), and
`language_model` (a tiny DNABERT-6-style model folder, saved by `save_tiny_dnabert`).
`dynamics` says how activity flows through the network; `truth` writes the truth tables.
"""
