"""Rule trans_lightup: the TF × target light-up matrix of a trans model (network, linear
baseline or ensemble), and each TF's importance (mean |light-up|)."""

from cistrans.io.results import write_matrix
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging
from cistrans.training import use_threads
from cistrans.trans.lightup import importance_table, lightup
from cistrans.trans.model import load_models

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    use_threads(snakemake.threads)  # torch must not use more cores than the job holds
    model = load_models(snakemake.input.weights, snakemake.input.sidecars)
    scores = lightup(model, **snakemake.params.lightup)
    write_matrix(scores, snakemake.output.scores)
    write_tsv(importance_table(scores, model), snakemake.output.importance)
