"""Rule trans_select: score each network of trans.selection's grid on the validation split,
keep the best as trans model `network`, and write the grid and the choice."""

from cistrans.io.results import write_json
from cistrans.io.tables import write_tsv
from cistrans.logs import rule_logging
from cistrans.trans.data import load_trans_data
from cistrans.trans.model import check_gene_order, load_model
from cistrans.trans.selection import Regularisation, choose_regularisation

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    grid = [Regularisation(**point) for point in snakemake.params.grid]
    models = [
        load_model(weights, sidecar)
        for weights, sidecar in zip(snakemake.input.weights, snakemake.input.sidecars, strict=True)
    ]
    data = load_trans_data(snakemake.input.compendium, models[0].tf_ids)
    for model, sidecar in zip(models, snakemake.input.sidecars, strict=True):
        check_gene_order(model, data.tf_ids, data.target_ids, source=sidecar)
    table, best, at_edge = choose_regularisation(models, data, grid=grid)
    chosen = table.iloc[best]
    selection = {
        "metric": "validation_explained_variance",
        "chosen": {"weight_decay": grid[best].weight_decay, "dropout": grid[best].dropout},
        "validation_explained_variance": float(chosen.validation_explained_variance),
        "at_edge": at_edge,
        "grid": table.drop(columns="chosen").to_dict(orient="records"),
    }
    write_tsv(table, snakemake.output.table)
    write_json(selection, snakemake.output.selection)
    network = models[best]
    network.info["selection"] = selection
    network.save(snakemake.output.weights, snakemake.output.sidecar)
