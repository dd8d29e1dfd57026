from snakemake.utils import min_version

min_version("9.0")


# The demo world's settings apply to the demo alone: `snakemake` with no --configfile runs
# the demo (config/config.yaml); a config of your own (--configfile, one or more files) starts
# from the schema's defaults, the papers' settings, and never inherits the demo's tuning. To
# change the demo, give both: --configfile config/config.yaml yours.yaml.
if not workflow.overwrite_configfiles:

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
include: "rules/predict.smk"


rule all:
    default_target: True
    input:
        final_outputs(),


# One target per approach (`snakemake trans`), whatever `approaches` lists, with its summary
# (results/<approach>/summary.md).
rule trans:
    input:
        approach_outputs("trans"),
        approach_summary_files("trans"),


rule cis:
    input:
        approach_outputs("cis"),
        approach_summary_files("cis"),


rule ctxreg:
    input:
        approach_outputs("ctxreg"),
        approach_summary_files("ctxreg"),
