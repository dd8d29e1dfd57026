"""Trans: predict every non-TF gene from TF expression, read the network, prune, diseases."""
