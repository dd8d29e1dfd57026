"""Where a run's data came from, in words: the first line of each summary and of the
report's landing page. Light on imports: the Snakefile reads it when it plans a run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def describe_source(
    source: str,
    *,
    expression_sources: Sequence[str],
    sequence_source: str,
    inputs: Mapping[str, str],
    approaches: Sequence[str],
    demo_world: bool,
) -> str:
    """Where a run's data came from, in words, for the summary's first line.

    source: config `source` (demo, download); expression_sources: `expression.sources`;
    sequence_source: `sequence.source` (genome, table); inputs: config `inputs` (your own
    files by name); approaches: the approaches summarised; demo_world: whether the run reads
    any file of the simulated demo world. E.g. "expression: your own cohort
    (inputs.custom_matrix: cohort.tsv); your own files: inputs.custom_matrix, …", or "the
    simulated demo world (scored against its truth)".
    """
    if demo_world and not inputs:
        return "the simulated demo world (scored against its truth)"
    parts = []
    if "trans" in approaches or sequence_source == "genome":
        if "custom" in expression_sources:
            matrix = inputs.get("custom_matrix", "?")
            parts.append(f"expression: your own cohort (inputs.custom_matrix: {matrix})")
        elif source == "download":
            parts.append(f"expression: the public downloads ({', '.join(expression_sources)})")
    if {"cis", "ctxreg"} & set(approaches):
        if sequence_source == "table":
            table = inputs.get("sequence_table", inputs.get("sequence_fasta", "?"))
            parts.append(f"sequences: your own sequence table ({table})")
        elif source == "download":
            parts.append("sequences: the public GRCh38 genome and GENCODE annotation")
    if inputs:
        parts.append("your own files: " + ", ".join(f"inputs.{name}" for name in sorted(inputs)))
    if demo_world:
        parts.append("the simulated demo world for the other inputs")
    return "; ".join(parts) or source
