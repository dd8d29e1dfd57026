"""`snakemake predict` on the built demo: a table of sequences and a table of variants scored
by the trained LegNet, reading the sidecar the demo run saved beside its weights, with
nothing but the predict jobs run (and their outputs removed again, so the demo's other
tests see the demo as it was built)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from cistrans.io.fasta import read_fasta_records
from tests.conftest import DEMO_CONFIG, run_snakemake

RUN = Path("results/cis/legnet/dna/seed_0")
# The demo's windows, -7,000...+3,500 around each TSS, of which LegNet reads -650...+100.
START, STOP = 7000 - 650, 7000 + 100


def jobs_run(output: str) -> dict[str, int]:
    table = output.split("Job stats:", 1)[1].split("total", 1)[0]
    return {rule: int(n) for rule, n in re.findall(r"^(\w+)\s+(\d+)\s*$", table, flags=re.M)}


def test_predict_scores_new_sequences_and_variants_with_the_demo_legnet(
    demo_workdir: Path, tmp_path: Path
) -> None:
    sidecar = json.loads((demo_workdir / RUN / "model.json").read_text())
    assert sidecar["kind"] == "legnet" and sidecar["input"]["length"] == STOP - START
    assert sidecar["input"]["window"]["crop"]["upstream"] == 650
    windows = {
        name: sequence
        for _, name, sequence in read_fasta_records(
            demo_workdir / "results" / "sequence" / "windows.fa.gz", fix="-"
        )
    }
    genes = list(windows)[:4]
    trained = pd.read_csv(demo_workdir / RUN / "predictions.tsv", sep="\t").set_index("gene_id")
    # the first gene given whole (cropped as in training), the others as the cropped window
    given = [windows[genes[0]]] + [windows[g][START:STOP] for g in genes[1:]]
    table = tmp_path / "mine.tsv"
    table.write_text(
        "id\tsequence\n" + "".join(f"{g}\t{s}\n" for g, s in zip(genes, given, strict=True))
    )
    variants = tmp_path / "variants.tsv"
    rows = []
    for gene in genes:
        reference = windows[gene][START:STOP]
        alternative = reference[:600] + ("A" if reference[600] != "A" else "C") + reference[601:]
        rows.append(f"{gene}_snv\t{reference}\t{alternative}\n")
    variants.write_text("id\tsequence\talternative\n" + "".join(rows))
    made = ["results/predict", "logs/predict", "benchmarks/results/predict"]
    try:
        for path, name in ((table, "mine"), (variants, "variants")):
            config = tmp_path / f"{name}.yaml"
            config.write_text(f"predict:\n  sequence_table: {path}\n  model: legnet\n")
            result = run_snakemake(
                demo_workdir, "predict", "--cores", "2", "--configfile", DEMO_CONFIG, str(config)
            )
            assert jobs_run(result.stdout + result.stderr) == {"predict_sequences": 1, "predict": 1}
        out = demo_workdir / "results" / "predict"
        scored = pd.read_csv(out / "mine" / "legnet" / "seed_0" / "predictions.tsv", sep="\t")
        varied = pd.read_csv(out / "variants" / "legnet" / "seed_0" / "predictions.tsv", sep="\t")
    finally:
        for folder in made:
            shutil.rmtree(demo_workdir / folder, ignore_errors=True)
    assert list(scored.columns) == ["id", "predicted"] and scored.id.tolist() == genes
    # in label units: the training run's own predictions of these genes
    np.testing.assert_allclose(scored.predicted, trained.predicted[genes], atol=1e-4)
    assert list(varied.columns) == ["id", "reference", "alternative", "difference"]
    np.testing.assert_allclose(varied.reference, scored.predicted, atol=1e-4)
    np.testing.assert_allclose(varied.difference, varied.alternative - varied.reference, atol=1e-4)
