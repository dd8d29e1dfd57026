"""The cis–trans synthesis (results/synthesis/): whether the targets a TF lights up carry its
motif in their promoters, and whether the motifs that drive the cis predictions belong to the
TFs the pruning sweep keeps."""

SYNTHESIS = "results/synthesis"


rule synthesis_motifs:
    input:
        scores="results/trans/network/lightup.parquet",
        compendium=rules.expression_compendium.output.compendium,
        core_tfs=rules.trans_pruning.output.core,
        sites=rules.ctxreg_sites.output.sites,
        codes=rules.ctxreg_onehot.output.codes,
        code_genes=rules.ctxreg_onehot.output.genes,
        jaspar=rules.ctxreg_jaspar.output.motifs,
        contributions=rules.ctxreg_contributions.output.contributions,
        jaspar_mode=ctxreg_jaspar_mode_files("importance.tsv", control=False),
    output:
        targets=report(
            f"{SYNTHESIS}/motif_targets.tsv",
            caption="../report/synthesis_motif_targets_table.rst",
            category="Synthesis",
        ),
        targets_summary=report(
            f"{SYNTHESIS}/motif_targets_summary.tsv",
            caption="../report/synthesis_motif_targets_summary.rst",
            category="Synthesis",
        ),
        importance=f"{SYNTHESIS}/motif_importance.tsv",
        importance_summary=report(
            f"{SYNTHESIS}/motif_importance_summary.tsv",
            caption="../report/synthesis_motif_importance_summary.rst",
            category="Synthesis",
        ),
    log:
        "logs/synthesis/motifs.log",
    benchmark:
        "benchmarks/results/synthesis/motifs.tsv"
    conda:
        "../envs/cistrans.yaml"
    params:
        top_targets=config["synthesis"]["top_targets"],
        fdr=config["synthesis"]["fdr"],
        seed=config["cis"]["seeds"][0],
        match_q_value=config["ctxreg"]["match_q_value"],
    script:
        "../scripts/synthesis_motifs.py"


# Figures, drawn from the tables above (changing one reruns only this rule).
rule synthesis_motif_figures:
    input:
        targets=rules.synthesis_motifs.output.targets,
        targets_summary=rules.synthesis_motifs.output.targets_summary,
        importance=rules.synthesis_motifs.output.importance,
        importance_summary=rules.synthesis_motifs.output.importance_summary,
    output:
        targets=report(
            f"{SYNTHESIS}/motif_targets.png",
            caption="../report/synthesis_motif_targets.rst",
            category="Synthesis",
        ),
        importance=report(
            f"{SYNTHESIS}/motif_importance.png",
            caption="../report/synthesis_motif_importance.rst",
            category="Synthesis",
        ),
    log:
        "logs/synthesis/motif_figures.log",
    benchmark:
        "benchmarks/results/synthesis/motif_figures.tsv"
    conda:
        "../envs/cistrans.yaml"
    script:
        "../scripts/synthesis_motif_figures.py"
