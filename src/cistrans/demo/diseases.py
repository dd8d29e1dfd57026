"""Diseases of the demo world: TF perturbations propagated through the true network.

Each disease shifts the activity of 1–3 causal TFs in one tissue; disease and control
samples are simulated, and the comparison is reported as Expression Atlas would (log2 fold
change rounded to one decimal, Welch t-test p-values, some genes unmeasured). A GWAS
Catalog-style table links each disease to its causal TFs among other genes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from cistrans.demo.dynamics import Dynamics, tf_activity
from cistrans.demo.expression import log_expression
from cistrans.demo.network import Network

MIN_TARGETS_OF_CAUSAL_TF = 10


@dataclass
class Diseases:
    """The simulated comparisons.

    sheet: accession, contrast_id, disease, tissue, gwas_trait (one row per comparison).
    analytics: accession -> table with gene_id, gene_name, p_value, log2fc.
    configurations: accession -> contrasts table for `<ACC>-configuration.xml`.
    causal: disease, accession, contrast_id, tf, activity_shift, log2fc (the truth).
    gwas: rows for the GWAS Catalog associations table.
    """

    sheet: pd.DataFrame
    analytics: dict[str, pd.DataFrame]
    configurations: dict[str, pd.DataFrame]
    causal: pd.DataFrame
    gwas: pd.DataFrame

    @property
    def contrasts(self) -> dict[str, str]:
        """accession -> the contrast ID of its disease-vs-normal comparison."""
        return dict(zip(self.sheet.accession, self.sheet.contrast_id, strict=True))


def simulate_diseases(
    rng: np.random.Generator,
    network: Network,
    baselines: np.ndarray,
    structures: pd.DataFrame,
    accessions: list[str],
    max_causal_tfs: int,
    samples_per_group: int,
    unmeasured_fraction: float,
    gwas_other_genes: int,
    noise_sd: float,
) -> Diseases:
    """One comparison per accession; `baselines` (n_genes,) in `network.genes` order.

    Each disease shifts one master regulator and up to `max_causal_tfs - 1` other TFs with
    at least MIN_TARGETS_OF_CAUSAL_TF targets, each across its switch threshold.
    """
    dynamics = Dynamics.of(network)
    switches = dynamics.switch_thresholds()
    genes = network.genes
    out_degree = network.edges.tf.value_counts()
    candidates = np.flatnonzero(
        genes.symbol[: dynamics.n_tfs].map(out_degree).fillna(0) >= MIN_TARGETS_OF_CAUSAL_TF
    )
    sheet_rows, causal_rows, analytics, configurations = [], [], {}, {}
    for number, accession in enumerate(accessions):
        disease = f"simulated disease {_letters(number)}"
        tissue = int(rng.integers(len(dynamics.tissues)))
        # One master regulator (a broad disease programme) and up to max - 1 other TFs.
        master = rng.choice(dynamics.masters)
        others = np.setdiff1d(candidates, [master])
        causal = np.concatenate(
            [[master], rng.choice(others, size=int(rng.integers(0, max_causal_tfs)), replace=False)]
        )
        magnitude = rng.uniform(1.5, 2.5, size=len(causal))
        groups = np.full(samples_per_group, tissue)
        # Paired groups: the same individual activity draws, the case with the TF shift, so
        # the comparison shows the disease and measurement noise, not chance differences.
        individuals = int(rng.integers(2**62))
        control_activity = tf_activity(dynamics, groups, np.random.default_rng(individuals))
        # Each causal TF is pushed across its switch: up where it is off in this tissue,
        # down where it is on (a shift that keeps a TF off changes nothing).
        is_on = np.median(control_activity[causal], axis=1) > switches[causal]
        shift = np.zeros(dynamics.n_tfs)
        shift[causal] = np.where(is_on, -1.0, 1.0) * magnitude
        case_activity = tf_activity(dynamics, groups, np.random.default_rng(individuals), shift)
        control = log_expression(dynamics, baselines, control_activity, 0.0, noise_sd, rng)
        case = log_expression(dynamics, baselines, case_activity, 0.0, noise_sd, rng)
        log2fc = case.mean(axis=1) - control.mean(axis=1)
        p_value = stats.ttest_ind(case, control, axis=1, equal_var=False).pvalue
        reference, test = ("g1", "g2") if rng.random() < 0.5 else ("g2", "g1")
        contrast = f"{reference}_{test}"
        analytics[accession] = _atlas_table(rng, genes, log2fc, p_value, unmeasured_fraction)
        configurations[accession] = pd.DataFrame(
            [
                {
                    "contrast_id": contrast,
                    "name": f"'{disease}' vs 'normal'",
                    "reference_group": reference,
                    "test_group": test,
                    "reference_label": "normal",
                    "test_label": disease,
                }
            ]
        )
        sheet_rows.append(
            {
                "accession": accession,
                "contrast_id": contrast,
                "disease": disease,
                "tissue": dynamics.tissues[tissue],
                "gwas_trait": disease,
            }
        )
        causal_rows += [
            {
                "disease": disease,
                "accession": accession,
                "contrast_id": contrast,
                "tf": genes.symbol[i],
                "activity_shift": shift[i],
                "log2fc": log2fc[i],
            }
            for i in causal
        ]
    sheet = pd.DataFrame(sheet_rows)
    causal_table = pd.DataFrame(causal_rows)
    gwas = _gwas_rows(rng, genes, structures, causal_table, gwas_other_genes)
    return Diseases(sheet, analytics, configurations, causal_table, gwas)


def _letters(number: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    text = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        text = chr(65 + rest) + text
    return text


def _atlas_table(
    rng: np.random.Generator,
    genes: pd.DataFrame,
    log2fc: np.ndarray,
    p_value: np.ndarray,
    unmeasured_fraction: float,
) -> pd.DataFrame:
    """Measured genes only; some names blank and some p-values missing, as in the Atlas."""
    measured = rng.random(len(genes)) >= unmeasured_fraction
    names = genes.symbol.where(rng.random(len(genes)) >= 0.1, "")
    p_value = np.where(rng.random(len(genes)) < 0.02, np.nan, p_value)
    table = pd.DataFrame(
        {"gene_id": genes.gene_id, "gene_name": names, "p_value": p_value, "log2fc": log2fc}
    )
    return table[measured].sort_values("gene_id").reset_index(drop=True)


def _gwas_rows(
    rng: np.random.Generator,
    genes: pd.DataFrame,
    structures: pd.DataFrame,
    causal: pd.DataFrame,
    other_genes: int,
) -> pd.DataFrame:
    """Associations: each disease's causal TFs and other genes, plus unrelated traits."""
    location = genes[["gene_id", "symbol"]].merge(structures, on="gene_id").set_index("symbol")
    symbols = genes.symbol.to_numpy()
    rows = []
    traits = list(dict.fromkeys(causal.disease))
    unrelated = [f"simulated trait {_letters(i)}" for i in range(3)]
    for trait in traits + unrelated:
        hits = causal.tf[causal.disease == trait].tolist()
        others = [
            str(g) for g in rng.choice(symbols, size=other_genes, replace=False) if g not in hits
        ]
        for gene in hits + others:
            strong = gene in hits or rng.random() < 0.7
            exponent = (
                rng.uniform(9, 30)
                if gene in hits
                else rng.uniform(8, 15)
                if strong
                else rng.uniform(5, 7.2)
            )
            neighbour = str(rng.choice(symbols))
            intergenic = rng.random() < 0.3
            rows.append(
                {
                    "trait": trait,
                    "mapped_trait": trait,
                    "mapped_gene": f"{gene} - {neighbour}" if intergenic else gene,
                    "reported_genes": "NR" if rng.random() < 0.2 else gene,
                    "p_value": float(f"{rng.integers(1, 10)}e-{int(exponent)}"),
                    "pubmed_id": int(rng.integers(20_000_000, 39_000_000)),
                    "snp": f"rs{int(rng.integers(1_000, 999_999_999))}",
                    "chr_id": location.loc[gene, "chrom"].removeprefix("chr"),
                    "chr_pos": max(
                        1, int(location.loc[gene, "tss"] + rng.integers(-50_000, 50_000))
                    ),
                }
            )
    return pd.DataFrame(rows)
