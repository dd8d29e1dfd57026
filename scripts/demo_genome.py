"""Rule demo_genome: lay the demo genes out on chromosomes; write FASTA, GTF and cis truth."""

from cistrans.demo.genome import simulate_genome
from cistrans.demo.network import Network
from cistrans.demo.rng import stage_rng
from cistrans.demo.truth import write_truth_table
from cistrans.io.fasta import index_fasta, write_fasta
from cistrans.io.gtf import write_gtf
from cistrans.io.results import write_json
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    inp, out = snakemake.input, snakemake.output
    network = Network.read(inp.genes, inp.edges, inp.programmes, inp.motifs)
    genome = simulate_genome(
        stage_rng(snakemake.params.seed, "genome"), network, **snakemake.params.genome
    )
    write_fasta(out.fasta, genome.sequences)
    index_fasta(out.fasta)  # writes out.fai
    write_gtf(out.gtf, genome.gtf)
    write_truth_table(genome.instances, out.instances)
    write_truth_table(genome.structures, out.structures)
    write_truth_table(genome.baselines, out.baselines)
    write_truth_table(genome.mrna_effects, out.mrna_effects)
    write_json(genome.pair.as_dict(), out.pair)
