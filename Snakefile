from snakemake.utils import min_version

min_version("9.0")


configfile: "config/config.yaml"


report: "report/workflow.rst"


include: "rules/common.smk"
include: "rules/demo.smk"
include: "rules/download.smk"
include: "rules/expression.smk"
include: "rules/trans.smk"
include: "rules/sequence.smk"
include: "rules/embed.smk"
include: "rules/cis.smk"
include: "rules/ctxreg.smk"
include: "rules/synthesis.smk"
include: "rules/synthesis_cis_trans.smk"
include: "rules/report.smk"


rule all:
    default_target: True
    input:
        final_outputs(),


# One target per approach (`snakemake trans`), whatever `approaches` lists.
rule trans:
    input:
        approach_outputs("trans"),


rule cis:
    input:
        approach_outputs("cis"),


rule ctxreg:
    input:
        approach_outputs("ctxreg"),
