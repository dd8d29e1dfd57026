"""The run in one place: the summary of every approach's headline figures beside the
published ones (and on the demo world the scores against its truth), and the provenance
record. `snakemake --report results/report.html` gathers these with every figure."""


rule summary:
    input:
        unpack(summary_inputs),
    output:
        table=report(
            "results/summary.tsv",
            caption="../report/summary.rst",
            category="Summary",
        ),
        markdown=report(
            "results/summary.md",
            caption="../report/summary.rst",
            category="Summary",
        ),
    log:
        "logs/summary.log",
    benchmark:
        "benchmarks/results/summary.tsv"
    conda:
        "../envs/cistrans.yaml"
    params:
        summary=settings("summary"),
        match_q_value=config["ctxreg"]["match_q_value"],
        shares=config["trans"]["pruning"]["shares"],
        source=run_source(APPROACHES),
        approaches=APPROACHES,
    script:
        "../scripts/summary.py"


# The summary of one approach, built by its named target (`snakemake trans`): what that
# target ran, whatever else `approaches` lists.
use rule summary as approach_summary with:
    input:
        unpack(approach_summary_inputs),
    output:
        table="results/{approach}/summary.tsv",
        markdown="results/{approach}/summary.md",
    log:
        "logs/summary_{approach}.log",
    benchmark:
        "benchmarks/results/summary_{approach}.tsv"
    wildcard_constraints:
        approach="trans|cis|ctxreg",
    params:
        summary=settings("summary"),
        match_q_value=config["ctxreg"]["match_q_value"],
        shares=config["trans"]["pruning"]["shares"],
        source=lambda wildcards: run_source([wildcards.approach]),
        approaches=lambda wildcards: [wildcards.approach],


# The provenance record runs last: its inputs are every other final target. It reads the
# benchmark files of the whole folder rather than naming them as inputs: Snakemake 9 counts a
# job's benchmark file among its products, so another rule could take it as an input, but
# which benchmark files a run makes (the wildcards of every job) is known only to the DAG;
# listing them here would repeat every rule's wildcard logic. The record assigns each file
# to its rule by the rules' benchmark patterns (a file of a rule no longer in the workflow
# gets none); a file left by an earlier run of a job this run does not plan is read too.
rule provenance:
    input:
        final_results(),
        pyproject=workflow.source_path("../pyproject.toml"),
    output:
        provenance=report(
            "results/provenance.json",
            caption="../report/provenance.rst",
            category="Summary",
        ),
    log:
        "logs/provenance.log",
    benchmark:
        "benchmarks/results/provenance.tsv"
    conda:
        "../envs/cistrans.yaml"
    params:
        config=config,
        config_files=CONFIG_FILES,
        changed=CHANGED_SETTINGS,
        inputs=provenance_inputs(),
        benchmarks="benchmarks/results",
        patterns=benchmark_patterns,
    script:
        "../scripts/provenance.py"
