"""Bring your own compendium: a genes × samples table with a sample sheet, or an .h5ad."""

from __future__ import annotations

import gzip
import logging
import re
from collections.abc import Callable
from pathlib import Path

import anndata as ad
import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import sparse

from cistrans.errors import InputError
from cistrans.expression.sources import NOT_IN_SHEET, custom_source, selection_summary
from tests.conftest import copy_workflow, run_snakemake

SHEET = "sample\ttissue\tseries\nS2\tliver\tcohortA\nS1\tlung\tcohortB\n"


def test_a_gzipped_csv_with_a_sheet_becomes_a_source(tmp_path: Path) -> None:
    matrix = tmp_path / "tpm.csv.gz"
    with gzip.open(matrix, "wt") as handle:
        handle.write("gene,S1,S2,S3\nENSG1.2,0,3,1\nENSG2.1,1,1,1\n")
    (tmp_path / "sheet.tsv").write_text(SHEET)
    adata, qc = custom_source(matrix, tmp_path / "sheet.tsv", "tpm")
    assert adata.obs_names.tolist() == ["S2", "S1"]
    assert adata.obs.tissue.tolist() == ["liver", "lung"]
    np.testing.assert_allclose(adata.X, [[2.0, 1.0], [0.0, 1.0]])
    assert adata.var.source_gene_id.tolist() == ["ENSG1.2", "ENSG2.1"]
    assert qc.sample_id.tolist() == ["S2", "S1", "S3"]  # S3: a column the sheet lacks
    assert qc.kept.tolist() == [True, True, False] and qc.reason.iloc[2] == NOT_IN_SHEET
    assert qc.genes_detected.tolist()[:2] == [2, 1]


def test_an_h5ad_needs_tissue_and_series(tmp_path: Path) -> None:
    obs = pd.DataFrame({"tissue": ["a", "b"], "series": ["x", "y"]}, index=["S1", "S2"])
    data = ad.AnnData(
        np.ones((2, 3), dtype=np.float32), obs=obs, var=pd.DataFrame(index=["E1", "E2", "E3"])
    )
    data.write_h5ad(tmp_path / "mine.h5ad")
    adata, _ = custom_source(tmp_path / "mine.h5ad", None, "log")
    assert adata.shape == (2, 3) and adata.obs.series.tolist() == ["x", "y"]
    data.obs = data.obs.drop(columns="series")
    data.write_h5ad(tmp_path / "bad.h5ad")
    with pytest.raises(InputError, match=r"bad\.h5ad.*missing column\(s\) series"):
        custom_source(tmp_path / "bad.h5ad", None, "log")


@pytest.mark.parametrize(
    ("matrix_text", "sheet_text", "message"),
    [
        ("gene\tS1\tS2\nE1\t1\tx\n", SHEET, r"line 2.*non-numeric value 'x' in sample column 'S2'"),
        (
            "gene\tS3\tS4\nE1\t1\t2\n",
            SHEET,
            r"sheet\.tsv: none of its 2 samples is one of the 2 sample columns of .*m\.tsv "
            r"\(sheet e\.g\. S2, S1; matrix e\.g\. S3, S4\)\. Fix: use the sample sheet of this",
        ),
        ("gene\tS1\tS2\nE1\t1\t2\n", "sample\ttissue\nS1\tx\n", r"missing column\(s\) series"),
    ],
)
def test_bad_tables_are_named(
    tmp_path: Path, matrix_text: str, sheet_text: str, message: str
) -> None:
    (tmp_path / "m.tsv").write_text(matrix_text)
    (tmp_path / "sheet.tsv").write_text(sheet_text)
    with pytest.raises(InputError, match=message):
        custom_source(tmp_path / "m.tsv", tmp_path / "sheet.tsv", "log")


# --- a real-shaped cohort: TPMs of 40 Ensembl genes × 6 GTEx-like samples, and its sheet ---

GENES = [f"ENSG{210_000 + 7 * n:011d}.{n % 4 + 1}" for n in range(40)]
SAMPLES = [f"GTEX-{donor}-{tissue}-SM-{donor[-2:]}{tissue}" for donor in ("1117F", "111CU",
           "111FC") for tissue in ("0226", "1826")]  # fmt: skip
TISSUES = {"0226": "Liver", "1826": "Lung"}


def cohort_tpm(n_genes: int = len(GENES)) -> pd.DataFrame:
    """TPMs (each column sums to 10^6, 3 decimals) as a genes × samples frame."""
    rng = np.random.default_rng(0)
    tpm = rng.lognormal(1.0, 2.0, (n_genes, len(SAMPLES)))
    tpm = tpm / tpm.sum(axis=0) * 1e6
    return pd.DataFrame(tpm.round(3), index=pd.Index(GENES[:n_genes], name="gene_id"),
                        columns=SAMPLES)  # fmt: skip


def cohort_sheet(samples: list[str] = SAMPLES) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sample": samples,
            "tissue": [TISSUES.get(s.split("-")[2], "Blood") for s in samples],
            "series": ["-".join(s.split("-")[:2]) for s in samples],  # the donor
        }
    )


def write_cohort(
    folder: Path, matrix: pd.DataFrame, sheet: pd.DataFrame | None = None, na_rep: str = ""
) -> tuple[Path, Path]:
    matrix.to_csv(folder / "cohort.tsv", sep="\t", na_rep=na_rep)
    (cohort_sheet() if sheet is None else sheet).to_csv(
        folder / "samples.tsv", sep="\t", index=False
    )
    return folder / "cohort.tsv", folder / "samples.tsv"


def test_a_real_shaped_tpm_cohort_passes_without_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    matrix, sheet = write_cohort(tmp_path, cohort_tpm())
    adata, qc = custom_source(matrix, sheet, "tpm")
    assert adata.shape == (6, 40) and qc.kept.all()
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert selection_summary(adata, qc) == "custom: kept 6 of 6 samples, 40 genes; dropped none"


@pytest.mark.parametrize(
    ("value", "na_rep"), [(np.nan, ""), (np.nan, "NA"), (np.inf, ""), (-np.inf, "")]
)
def test_empty_or_non_finite_cells_are_named_with_their_count(
    tmp_path: Path, value: float, na_rep: str
) -> None:
    tpm = cohort_tpm()
    tpm.iloc[3, 2] = value
    tpm.iloc[7, 2] = value
    matrix, sheet = write_cohort(tmp_path, tpm, na_rep=na_rep)
    gene, sample = GENES[3], SAMPLES[2]
    with pytest.raises(InputError) as caught:
        custom_source(matrix, sheet, "tpm")
    assert re.match(
        rf"^{re.escape(str(matrix))} \(line 5, column {sample}\): 2 empty or non-finite "
        rf"cell\(s\) \(blank, NA, NaN or inf\) in 2 gene\(s\) and 1 sample\(s\), e\.g\. "
        rf"gene {re.escape(gene)} × sample {sample} \(line 5\); gene {re.escape(GENES[7])} ",
        str(caught.value),
    )
    assert str(caught.value).endswith(
        "Fix: fill them (e.g. 0 where a gene was not detected) or drop the genes (rows) or "
        "samples (columns) that hold them"
    )


@pytest.mark.parametrize("kind", ["tpm", "counts"])
def test_negative_values_are_refused_where_the_kind_forbids_them(tmp_path: Path, kind: str) -> None:
    tpm = cohort_tpm().round(0)
    tpm.iloc[10, 4] = -1
    matrix, sheet = write_cohort(tmp_path, tpm)
    pattern = (
        rf"cohort\.tsv \(line 12, column {SAMPLES[4]}\): 1 negative value\(s\) \(the lowest -1\)"
        rf", e\.g\. gene {re.escape(GENES[10])} × sample {SAMPLES[4]} \(line 12\); "
        rf"expression\.custom_values is {kind}, which is never negative\. Fix: if the matrix "
        r"holds log expression \(or batch-corrected values\), set expression\.custom_values: log"
    )
    with pytest.raises(InputError, match=pattern):
        custom_source(matrix, sheet, kind)


def test_negative_log_values_are_fine(tmp_path: Path) -> None:
    logs = np.log2(cohort_tpm() + 1) - 8  # centred log values, as batch correction leaves
    matrix, sheet = write_cohort(tmp_path, logs)
    adata, _ = custom_source(matrix, sheet, "log")
    assert adata.X.min() < 0


@pytest.mark.parametrize(
    ("values", "guess"),
    [
        (cohort_tpm(), "tpm (or counts, for read counts)"),
        (cohort_tpm().round(0), "counts (they are whole numbers)"),
    ],
)
def test_tpm_or_counts_declared_as_log_are_refused(
    tmp_path: Path, values: pd.DataFrame, guess: str
) -> None:
    matrix, sheet = write_cohort(tmp_path, values)
    gene, sample = np.unravel_index(values.to_numpy().argmax(), values.shape)
    pattern = (
        rf"cohort\.tsv \(line {gene + 2}, column {SAMPLES[sample]}\): values up to [\d,.]+ "
        r"\(\d+ cell\(s\) above 30, the highest at gene .*\) while expression\.custom_values is "
        r"log; log expression stays below ~30, so these are surely TPM or counts\. "
        rf"Fix: set expression\.custom_values: {re.escape(guess)}$"
    )
    with pytest.raises(InputError, match=pattern):
        custom_source(matrix, sheet, "log")


def test_counts_that_are_not_whole_numbers_warn(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    matrix, sheet = write_cohort(tmp_path, cohort_tpm())
    with caplog.at_level(logging.WARNING):
        adata, _ = custom_source(matrix, sheet, "counts")
    assert adata.n_obs == 6
    (warning,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warning.startswith(
        f"{matrix}: expression.custom_values is counts, but 240 of 240 values are not whole "
        f"numbers (e.g. gene {GENES[0]} × sample {SAMPLES[0]} (line 2);"
    )
    assert warning.endswith("set expression.custom_values: tpm or log")


def test_tpm_columns_far_from_a_million_warn_with_the_median_sum(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    tpm = cohort_tpm()
    kept = tpm[tpm.mean(axis=1) < tpm.mean(axis=1).median()]  # the lowly expressed half
    matrix, sheet = write_cohort(tmp_path, kept)
    with caplog.at_level(logging.WARNING):
        custom_source(matrix, sheet, "tpm")
    (warning,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    median = f"{np.median(kept.sum(axis=0)):,.0f}"
    assert warning.startswith(
        f"{matrix}: expression.custom_values is tpm, but 6 of 6 sample columns sum far from "
        f"10^6 (median column sum {median}; e.g. {SAMPLES[0]} (sum "
    )
    assert "If the matrix holds log expression, set expression.custom_values: log" in warning


def test_samples_of_only_the_matrix_or_only_the_sheet_are_left_out_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    tpm = cohort_tpm()
    tpm["GTEX-EXTRA-0226-SM-1"] = tpm.iloc[:, 0]
    sheet = cohort_sheet([*SAMPLES[1:], "GTEX-GONE-0226-SM-2"])
    matrix, sheet_path = write_cohort(tmp_path, tpm, sheet)
    with caplog.at_level(logging.INFO):
        adata, qc = custom_source(matrix, sheet_path, "tpm")
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        f"2 of the 7 sample columns of {matrix} are not in the sample sheet {sheet_path} and "
        f"are left out (e.g. {SAMPLES[0]}, GTEX-EXTRA-0226-SM-1); list them in the sheet to "
        "use them",
        f"1 of the 6 samples of the sample sheet {sheet_path} are not columns of {matrix} and "
        "are left out (e.g. GTEX-GONE-0226-SM-2); check the sheet's sample IDs against the "
        "matrix's header line",
    ]
    assert adata.obs_names.tolist() == SAMPLES[1:]
    assert len(qc) == 7 and qc.kept.sum() == 5
    assert set(qc.reason[~qc.kept]) == {NOT_IN_SHEET}
    assert qc.genes_detected[~qc.kept].isna().all()
    assert selection_summary(adata, qc) == (
        "custom: kept 5 of 7 samples, 40 genes; dropped {'not in the sample sheet': 2}"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(
            lambda m, s: (m.rename(columns={SAMPLES[3]: SAMPLES[0]}), s),
            rf"cohort\.tsv \(line 1\): repeated sample IDs \(1\): {SAMPLES[0]} \(columns 2, 5\)"
            r"\. Fix: give each sample one column",
            id="sample IDs",
        ),
        pytest.param(
            lambda m, s: (m, pd.concat([s, s.iloc[[2]]])),
            rf"samples\.tsv \(line 8\): repeated samples \(1\): {SAMPLES[2]} \(lines 4, 8\)\. "
            r"Fix: list each sample once",
            id="sheet rows",
        ),
    ],
)
def test_repeated_ids_name_the_first_repeats_and_their_lines(
    tmp_path: Path, change: Callable, message: str
) -> None:
    matrix, sheet = write_cohort(tmp_path, *change(cohort_tpm(), cohort_sheet()))
    with pytest.raises(InputError, match=message):
        custom_source(matrix, sheet, "tpm")


@pytest.mark.parametrize(
    ("sheet_text", "message"),
    [
        pytest.param(
            "sample\ttissue\tseries\nS1\tLiver\tGTEX-1\nS2\t\tGTEX-2\n",
            r"samples\.tsv \(line 3, column tissue\): empty cell\. Fix: give the sample's tissue",
            id="empty cell",
        ),
        pytest.param(
            "# my cohort\nsample,tissue\nS1,Liver\n",
            r"samples\.tsv \(line 2\): missing column\(s\) series; found sample, tissue\. "
            r"Fix: give a tab- or comma-separated sample sheet",
            id="missing column",
        ),
        pytest.param(
            "sample\ttissue\tseries\n",
            r"samples\.tsv \(line 2\): no sample rows after the header line\. Fix: list the",
            id="no rows",
        ),
    ],
)
def test_the_sample_sheet_is_checked_against_its_schema(
    tmp_path: Path, sheet_text: str, message: str
) -> None:
    (tmp_path / "cohort.tsv").write_text("gene\tS1\tS2\nENSG1\t1\t2\n")
    (tmp_path / "samples.tsv").write_text(sheet_text)
    with pytest.raises(InputError, match=message):
        custom_source(tmp_path / "cohort.tsv", tmp_path / "samples.tsv", "log")


def _h5ad(path: Path, values: np.ndarray, var_names: list[str], tissue: list) -> Path:
    obs = pd.DataFrame({"tissue": tissue, "series": ["d1", "d2"]}, index=["S1", "S2"])
    adata = ad.AnnData(values.astype(np.float32), obs=obs, var=pd.DataFrame(index=var_names))
    adata.write_h5ad(path)
    return path


@pytest.mark.filterwarnings("ignore:Variable names are not unique")
def test_an_h5ad_is_checked_like_a_table(tmp_path: Path) -> None:
    values = np.array([[1.0, 0.0, 2.0], [0.5, 3.0, np.nan]])
    path = _h5ad(tmp_path / "nan.h5ad", values, ["E1", "E2", "E3"], ["Liver", "Lung"])
    with pytest.raises(
        InputError,
        match=r"nan\.h5ad \(gene E3, sample S2\): 1 empty or non-finite cell.*gene E3 × "
        r"sample S2\. Fix: fill them",
    ):
        custom_source(path, None, "log")
    path = _h5ad(tmp_path / "obs.h5ad", np.ones((2, 3)), ["E1", "E2", "E3"], ["Liver", None])
    with pytest.raises(
        InputError,
        match=r"obs\.h5ad \(obs column tissue\): 1 sample\(s\) without a tissue \(e\.g\. S2\)"
        r"\. Fix: fill obs column tissue",
    ):
        custom_source(path, None, "log")


def test_a_sparse_h5ad_of_counts_is_read(tmp_path: Path) -> None:
    path = tmp_path / "sparse.h5ad"
    obs = pd.DataFrame({"tissue": ["a", "b"], "series": ["x", "y"]}, index=["S1", "S2"])
    counts = sparse.csr_matrix(np.array([[3, 0, 1], [0, 0, 4]], dtype=np.float32))
    ad.AnnData(counts, obs=obs, var=pd.DataFrame(index=["E1", "E2", "E3"])).write_h5ad(path)
    adata, qc = custom_source(path, None, "counts")
    assert adata.shape == (2, 3) and qc.genes_detected.tolist() == [2, 1]


@pytest.mark.workflow
def test_the_rule_log_holds_the_warning_and_the_error(tmp_path: Path) -> None:
    """Through `snakemake`: a cohort with a column the sheet lacks builds with the warning and
    an honest count in logs/expression/custom.log; the same TPMs declared as log stop the
    rule with the file, the cell and the fix in its log."""
    workdir = copy_workflow(tmp_path / "workflow")
    tpm = cohort_tpm()
    tpm["GTEX-EXTRA-0226-SM-1"] = tpm.iloc[:, 0]
    write_cohort(workdir, tpm)
    target = "results/expression/qc/custom_samples.tsv"
    log = workdir / "logs" / "expression" / "custom.log"
    for kind in ("log", "tpm"):
        config = {
            "approaches": ["trans"],
            "inputs": {"custom_matrix": "cohort.tsv", "custom_samples": "samples.tsv"},
            "expression": {"sources": ["custom"], "custom_values": kind},
        }
        (workdir / f"{kind}.yaml").write_text(yaml.safe_dump(config))
        run = run_snakemake(
            workdir, target, "--cores", "1", "--configfile", f"{kind}.yaml", check=kind != "log"
        )
        text = log.read_text()
        assert (
            "WARNING cistrans.expression.sources: 1 of the 7 sample columns of cohort.tsv " in text
        )
        assert "are not in the sample sheet samples.tsv and are left out (e.g. GTEX-EXTRA-" in text
        if kind == "log":
            assert run.returncode != 0
            assert "ERROR cistrans: cohort.tsv (line " in text
            assert "while expression.custom_values is log" in text
            assert "Fix: set expression.custom_values: tpm" in text
            assert "cistrans: cohort.tsv (line " in run.stderr
    assert "custom: kept 6 of 7 samples, 40 genes; dropped {'not in the sample sheet': 1}" in text
    qc = pd.read_csv(workdir / target, sep="\t", keep_default_na=False)
    assert qc.reason.tolist() == [""] * 6 + [NOT_IN_SHEET]


def test_repeated_gene_ids_are_warned_about_and_left_to_the_compendium(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A symbol-keyed cohort often repeats a few symbols: named with their lines, kept for the
    compendium, which keeps the row with the highest mean (qc/duplicate_genes.tsv)."""
    path = _h5ad(tmp_path / "rep.h5ad", np.ones((2, 3)), ["E1", "E2", "E1"], ["Liver", "Lung"])
    with caplog.at_level(logging.WARNING):
        adata, _ = custom_source(path, None, "log")
    assert "rep.h5ad (var row 3): repeated gene IDs (1): E1 (var rows 1, 3)" in caplog.text
    assert "the compendium keeps the row with the highest mean" in caplog.text
    assert adata.var_names.tolist() == ["E1", "E2", "E1"]
