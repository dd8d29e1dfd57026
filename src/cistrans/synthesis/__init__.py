"""The cis–trans synthesis: analyses that read both approaches' results."""
