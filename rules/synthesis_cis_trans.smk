"""The cis-trans synthesis, cis and trans together: each held-out gene's level in each tissue
predicted from its promoter's JASPAR site counts, from the tissue's TF expression profile,
and from both with their site × TF interactions (ridge on (gene, tissue) rows, penalties
from cis.baselines.alphas), and a permuted-label control; built with the ctxreg approach
when trans is on and the labels have tissues (`synthesis_cis_trans_files`)."""

SYNTHESIS_CIS_TRANS = "results/synthesis/cis_trans"


rule synthesis_cis_trans:
    input:
        labels="results/sequence/labels.tsv",
        by_tissue="results/sequence/labels_by_tissue.tsv",
        sites=rules.ctxreg_sites.output.sites,
        jaspar=rules.ctxreg_jaspar.output.motifs,
        compendium=rules.expression_compendium.output.compendium,
    output:
        metrics=report(
            f"{SYNTHESIS_CIS_TRANS}/metrics.tsv",
            caption="../report/synthesis_cis_trans_table.rst",
            category="Synthesis",
        ),
        predictions=f"{SYNTHESIS_CIS_TRANS}/predictions.tsv",
    log:
        "logs/synthesis/cis_trans.log",
    benchmark:
        "benchmarks/results/synthesis/cis_trans.tsv"
    conda:
        "../envs/cistrans.yaml"
    resources:
        # the ridges hold (genes x tissues) rows of ~3,000 features several times over:
        # measured 2.5 GB at 500 genes, 4.3 GB at 1,000 (30 tissues, 3,079 features)
        mem_mb=1000 + 4 * config["synthesis"]["max_genes"],
    params:
        alphas=config["cis"]["baselines"]["alphas"],
        seed=config["cis"]["seeds"][0],
        max_genes=config["synthesis"]["max_genes"],
    script:
        "../scripts/synthesis_cis_trans.py"


# The figure, drawn from the tables above (changing it reruns only this rule).
rule synthesis_cis_trans_figure:
    input:
        metrics=rules.synthesis_cis_trans.output.metrics,
        predictions=rules.synthesis_cis_trans.output.predictions,
    output:
        figure=report(
            f"{SYNTHESIS_CIS_TRANS}/comparison.png",
            caption="../report/synthesis_cis_trans.rst",
            category="Synthesis",
        ),
    log:
        "logs/synthesis/cis_trans_figure.log",
    benchmark:
        "benchmarks/results/synthesis/cis_trans_figure.tsv"
    conda:
        "../envs/cistrans.yaml"
    script:
        "../scripts/synthesis_cis_trans_figure.py"
