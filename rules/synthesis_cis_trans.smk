"""The cis-trans synthesis, cis and trans together: each held-out gene's level in each tissue
predicted from its promoter's JASPAR site counts, from the tissue's TF expression profile,
and from both with their site × TF interactions (ridge on (gene, tissue) rows, penalties
from cis.baselines.alphas), and a permuted-label control; built when `cis_trans_synthesis`
says so (trans and ctxreg enabled, tissue labels from the compendium)."""

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
            caption="../report/synthesis_cis_trans.rst",
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
        mem_mb=4000,
    params:
        alphas=config["cis"]["baselines"]["alphas"],
        seed=config["cis"]["seeds"][0],
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
