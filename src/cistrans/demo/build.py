"""Build each stage of the demo world from its settings and write it in the real formats.

One function per Snakemake rule; each reads the truth of earlier stages from `truth_dir`
and writes its files. Same seed and settings give byte-identical files.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from cistrans.demo import diseases as disease_sim
from cistrans.demo import expression as expr
from cistrans.demo import knowledge
from cistrans.demo.genome import BASELINES_FILE, STRUCTURES_FILE, simulate_genome
from cistrans.demo.language_model import save_tiny_dnabert
from cistrans.demo.network import Network, simulate_network
from cistrans.demo.rng import stage_rng
from cistrans.demo.tissues import TISSUES
from cistrans.demo.truth import read_truth
from cistrans.io.archs4 import write_archs4
from cistrans.io.atlas import write_atlas_analytics, write_atlas_configuration
from cistrans.io.fasta import index_fasta, write_fasta
from cistrans.io.gct import write_gct
from cistrans.io.gtex import write_sample_attributes
from cistrans.io.gtf import write_gtf
from cistrans.io.gwas import write_gwas_associations
from cistrans.io.tflist import write_lambert_tf_list
from cistrans.io.trrust import write_trrust

log = logging.getLogger(__name__)

SAMPLES_FILE = "samples.tsv"
CAUSAL_FILE = "disease_causal_tfs.tsv"
GTEX_LIBRARY_SIZE = 3e7


def build_network(
    truth_dir: str | Path, seed: int, jaspar_release: str, **settings: object
) -> None:
    """Draw the network and write its truth tables and motifs."""
    network = simulate_network(stage_rng(seed, "network"), jaspar_release, **settings)
    network.write(truth_dir)
    log.info(
        "network: %d TFs (%d masters), %d genes, %d edges",
        network.tfs.shape[0],
        int(network.genes.is_master.sum()),
        len(network.genes),
        len(network.edges),
    )


def build_genome(
    truth_dir: str | Path, fasta: str | Path, gtf: str | Path, seed: int, **settings: object
) -> None:
    """Lay out genes on chromosomes; write FASTA (+ .fai), GTF and the cis truth."""
    network = Network.read(truth_dir)
    genome = simulate_genome(stage_rng(seed, "genome"), network, **settings)
    write_fasta(fasta, genome.sequences)
    index_fasta(fasta)
    write_gtf(gtf, genome.gtf)
    genome.write_truth(truth_dir)
    log.info(
        "genome: %d chromosomes, %d bp, %d GTF records, %d planted sites",
        len(genome.sequences),
        sum(map(len, genome.sequences.values())),
        len(genome.gtf),
        len(genome.instances),
    )


def build_expression(
    truth_dir: str | Path,
    gtex_tpm: str | Path,
    gtex_samples: str | Path,
    archs4: str | Path,
    seed: int,
    n_gtex_donors: int,
    n_gtex_samples: int,
    n_archs4_series: int,
    n_archs4_samples: int,
    noise_sd: float,
    batch_sd: float,
    fraction_single_cell: float,
    fraction_low_depth: float,
) -> None:
    """Simulate GTEx-like and ARCHS4-like samples and write the GCT, attributes and HDF5."""
    rng = stage_rng(seed, "expression")
    network = Network.read(truth_dir)
    baselines = read_truth(Path(truth_dir) / BASELINES_FILE, ["baseline"]).baseline.to_numpy()
    structures = read_truth(Path(truth_dir) / STRUCTURES_FILE, ["transcript_length"])
    lengths = structures.transcript_length.to_numpy()
    dynamics = expr.Dynamics.of(network)
    n_tissues = len(dynamics.tissues)
    source_offsets = rng.normal(0.0, batch_sd, size=(2, dynamics.n_genes, 1))

    gtex = expr.gtex_design(rng, n_gtex_donors, n_gtex_samples, n_tissues)
    gtex_level = expr.sample_levels(
        dynamics, baselines, gtex.tissue.to_numpy(), gtex.donor.to_numpy(), batch_sd,
        source_offsets[0], noise_sd, rng,
    )  # fmt: skip
    library = GTEX_LIBRARY_SIZE * np.exp(rng.normal(0.0, 0.3, size=len(gtex)))
    gtex_counts = expr.sequencing_counts(rng, gtex_level, lengths, library)
    gtex_ids = _gtex_sample_ids(rng, gtex)
    genes = network.genes
    write_gct(
        gtex_tpm,
        expr.tpm(gtex_counts, lengths),
        [f"{g}.{v}" for g, v in zip(genes.gene_id, genes.version, strict=True)],
        genes.symbol.tolist(),
        gtex_ids,
        decimals=3,
    )
    write_sample_attributes(gtex_samples, _gtex_attributes(rng, gtex, gtex_ids, n_gtex_donors))

    archs = expr.archs4_design(
        rng, n_archs4_series, n_archs4_samples, n_tissues, fraction_single_cell, fraction_low_depth
    )
    archs_level = expr.sample_levels(
        dynamics, baselines, archs.tissue.to_numpy(), archs.series.to_numpy(), batch_sd,
        source_offsets[1], noise_sd, rng,
    )  # fmt: skip
    archs_counts = _archs4_counts(rng, archs, archs_level, lengths)
    gene_order = rng.permutation(len(genes))  # ARCHS4 lists genes in its own order
    archs_samples = _archs4_samples(rng, archs, archs_counts, n_archs4_series)
    write_archs4(
        archs4,
        archs_counts[gene_order],
        pd.DataFrame(
            {"symbol": genes.symbol, "ensembl_gene": genes.gene_id, "biotype": genes.gene_type}
        ).iloc[gene_order],
        archs_samples,
    )
    samples = pd.concat(
        [
            pd.DataFrame(
                {
                    "sample_id": gtex_ids,
                    "source": "gtex",
                    "tissue": [dynamics.tissues[t] for t in gtex.tissue],
                    "batch": [f"donor{d}" for d in gtex.donor],
                    "kind": "bulk",
                }
            ),
            pd.DataFrame(
                {
                    "sample_id": archs_samples.geo_accession,
                    "source": "archs4",
                    "tissue": [dynamics.tissues[t] for t in archs.tissue],
                    "batch": archs_samples.series_id,
                    "kind": archs.kind,
                }
            ),
        ],
        ignore_index=True,
    )
    samples.to_csv(Path(truth_dir) / SAMPLES_FILE, sep="\t", index=False, lineterminator="\n")
    log.info("expression: %d GTEx samples, %d ARCHS4 samples", len(gtex), len(archs))


def _gtex_sample_ids(rng: np.random.Generator, design: pd.DataFrame) -> list[str]:
    """GTEX-<donor>-<site>-SM-<aliquot>, unique."""
    alphabet = np.array(list("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"))
    donors = [f"GTEX-{1000 + d * 7:X}" for d in range(int(design.donor.max()) + 1)]
    ids = []
    for i, row in enumerate(design.itertuples()):
        aliquot = "".join(rng.choice(alphabet, size=4))
        ids.append(f"{donors[row.donor]}-{(row.tissue + 1) * 226:04d}-SM-{aliquot}{i % 10}")
    return ids


def _gtex_attributes(
    rng: np.random.Generator, design: pd.DataFrame, sample_ids: list[str], n_donors: int
) -> pd.DataFrame:
    """Sample attributes of the RNA-seq samples, plus a WGS blood sample per tenth donor."""
    tissues = [TISSUES[t] for t in design.tissue]
    rna = pd.DataFrame(
        {
            "SAMPID": sample_ids,
            "SMATSSCR": rng.integers(0, 3, size=len(design)).astype(str),
            "SMCENTER": rng.choice(["B1", "C1", "D1"], size=len(design)),
            "SMPTHNTS": rng.choice(
                ["2 pieces, ~10% fibrous", 'clean, "no abnormalities"', ""], size=len(design)
            ),
            "SMRIN": np.round(rng.uniform(5.5, 9.5, size=len(design)), 1).astype(str),
            "SMTS": [t.smts for t in tissues],
            "SMTSD": [t.smtsd for t in tissues],
            "SMUBRID": rng.choice(["0002107", "0008952", "0001013"], size=len(design)),
            "SMAFRZE": "RNASEQ",
        }
    )
    wgs_donors = sorted({sid.rsplit("-", 3)[0] for sid in sample_ids})[::10]
    wgs = pd.DataFrame(
        {
            "SAMPID": [f"{donor}-0004-SM-WGS{i:02d}" for i, donor in enumerate(wgs_donors)],
            "SMTS": "Blood",
            "SMTSD": "Whole Blood",
            "SMAFRZE": "WGS",
        }
    )
    return pd.concat([rna, wgs], ignore_index=True)


def _archs4_counts(
    rng: np.random.Generator, design: pd.DataFrame, level: np.ndarray, lengths: np.ndarray
) -> np.ndarray:
    """Counts by sample kind: bulk ~ 2e7 reads, low depth ~ 5e4, single-cell sparse."""
    kind = design.kind.to_numpy()
    library = np.where(kind == "bulk", 2e7, np.where(kind == "low_depth", 5e4, 3e5))
    library = library * np.exp(rng.normal(0.0, 0.4, size=len(design)))
    counts = expr.sequencing_counts(rng, level, lengths, library)
    dropout = (rng.random(counts.shape) < 0.8) & (kind == "single_cell")[None, :]
    counts[dropout] = 0
    return counts


def _archs4_samples(
    rng: np.random.Generator, design: pd.DataFrame, counts: np.ndarray, n_series: int
) -> pd.DataFrame:
    """ARCHS4 sample metadata: GEO accessions, series, free-text tissue names, QC fields."""
    n = len(design)
    series_ids = np.array([f"GSE{100000 + 3 * s + 17}" for s in range(n_series)])
    tissues = [TISSUES[t] for t in design.tissue]
    kind = design.kind.to_numpy()
    single_cell = np.where(
        kind == "single_cell", rng.uniform(0.6, 1.0, size=n), rng.beta(1.0, 30.0, size=n)
    )
    return pd.DataFrame(
        {
            "geo_accession": [f"GSM{2000000 + 11 * i}" for i in range(n)],
            "series_id": series_ids[design.series],
            "title": [f"{t.smts} sample {i + 1}" for i, t in enumerate(tissues)],
            "source_name_ch1": [str(rng.choice(t.geo_names)) for t in tissues],
            "characteristics_ch1": [f"tissue: {t.smts.lower()}" for t in tissues],
            "molecule_ch1": "total RNA",
            "library_strategy": "RNA-Seq",
            "instrument_model": rng.choice(
                ["Illumina HiSeq 2500", "Illumina NovaSeq 6000", "NextSeq 500"], size=n
            ),
            "singlecellprobability": single_cell,
            "readsaligned": counts.sum(axis=0, dtype=np.uint64).astype(np.uint32),
        }
    )


def build_knowledge(
    truth_dir: str | Path,
    tf_list: str | Path,
    trrust: str | Path,
    seed: int,
    trrust_recall: float,
    trrust_false_fraction: float,
    extra_listed_tfs: int,
) -> None:
    """Write the Lambert-style TF list and the TRRUST-style table."""
    rng = stage_rng(seed, "knowledge")
    network = Network.read(truth_dir)
    write_lambert_tf_list(tf_list, knowledge.tf_list(rng, network, extra_listed_tfs))
    write_trrust(trrust, knowledge.trrust_table(rng, network, trrust_recall, trrust_false_fraction))


def build_diseases(
    truth_dir: str | Path,
    sheet: str | Path,
    atlas_dir: str | Path,
    gwas: str | Path,
    accessions: list[str],
    seed: int,
    noise_sd: float,
    max_causal_tfs: int,
    samples_per_group: int,
    unmeasured_fraction: float,
    gwas_other_genes: int,
) -> None:
    """Write Expression Atlas analytics + configuration per disease, the sheet, and GWAS."""
    network = Network.read(truth_dir)
    baselines = read_truth(Path(truth_dir) / BASELINES_FILE, ["baseline"]).baseline.to_numpy()
    structures = read_truth(Path(truth_dir) / STRUCTURES_FILE, ["gene_id", "chrom", "tss"])
    result = disease_sim.simulate_diseases(
        stage_rng(seed, "diseases"),
        network,
        baselines,
        structures,
        accessions,
        max_causal_tfs,
        samples_per_group,
        unmeasured_fraction,
        gwas_other_genes,
        noise_sd,
    )
    atlas_dir = Path(atlas_dir)
    for row in result.sheet.itertuples():
        write_atlas_analytics(
            atlas_dir / f"{row.accession}-analytics.tsv",
            result.analytics[row.accession],
            row.contrast_id,
        )
        write_atlas_configuration(
            atlas_dir / f"{row.accession}-configuration.xml", result.configurations[row.accession]
        )
    Path(sheet).parent.mkdir(parents=True, exist_ok=True)
    result.sheet.to_csv(sheet, sep="\t", index=False, lineterminator="\n")
    result.causal.to_csv(
        Path(truth_dir) / CAUSAL_FILE,
        sep="\t",
        index=False,
        float_format="%.4f",
        lineterminator="\n",
    )
    write_gwas_associations(gwas, result.gwas)


def build_language_model(folder: str | Path, seed: int, **settings: int) -> None:
    """Write the tiny DNABERT-style model folder."""
    save_tiny_dnabert(folder, seed, **settings)
