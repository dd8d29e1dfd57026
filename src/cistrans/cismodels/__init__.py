"""Cis models: gene expression from the promoter sequence (and mRNA features), on the genes,
labels and gene splits of the cis inputs: TExCNN on DNABERT / DNABERT-2 segment embeddings,
the one-hot CNN of Xpresso and DeepLncLoc's Word2Vec TextCNN (`networks`, trained by `fit`
and `runs`), beside the simple baselines every sequence model is set against (k-mer ridge
and mRNA-feature ridge, `baselines`), each with a permuted-label control; `comparison` sets
them side by side with the published figures."""
