"""DNA sequence handling: windows around TSSs, mRNA features, tokenisation, embeddings."""
