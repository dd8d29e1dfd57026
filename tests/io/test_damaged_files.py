"""Every reader turns a truncated, corrupt or empty file into one `InputError` that names the
file, says what is wrong and gives the fix, instead of the decompressor's or library's own
exception (pandas' `EOFError`, zlib's error, h5py's `OSError`, NumPy's and pyarrow's
`ValueError`, `zipfile.BadZipFile`).

Each case writes a valid file in its real format with the project's writer, then cuts it in
half, flips bytes in its middle, or empties it, and reads it back with its reader.
"""

from __future__ import annotations

import gzip
import json
import zipfile
from pathlib import Path
from typing import Any

import anndata as ad
import numpy as np
import pandas as pd
import pytest
import yaml

from cistrans.errors import InputError
from cistrans.expression.sources import custom_source
from cistrans.io.archs4 import read_archs4_counts, write_archs4
from cistrans.io.atlas import read_atlas_analytics, write_atlas_analytics
from cistrans.io.chunks import read_chunk, write_chunk
from cistrans.io.fasta import decompress_fasta, read_fasta_records
from cistrans.io.files import OWN_FILE_AGAIN, download_again, open_text_write, rerun_rule
from cistrans.io.gct import read_gct, write_gct
from cistrans.io.gtex import read_sample_attributes, write_sample_attributes
from cistrans.io.gtf import read_gtf, write_gtf
from cistrans.io.gwas import read_gwas_associations, unzip_gwas_associations
from cistrans.io.h5ad import read_h5ad, write_h5ad
from cistrans.io.labels import read_label_table
from cistrans.io.motifs import Motif, read_meme, write_meme
from cistrans.io.records import read_benchmarks
from cistrans.io.results import (
    read_result_h5ad,
    read_result_json,
    read_result_matrix,
    read_result_parquet,
    read_result_table,
    write_json,
    write_matrix,
)
from cistrans.io.tables import read_delimited
from cistrans.io.tflist import read_tf_list, write_lambert_tf_list
from cistrans.io.trrust import read_trrust, write_trrust
from tests.conftest import copy_workflow, run_snakemake

ROWS = 1500  # enough rows that half a file cuts through the body
RNG = np.random.default_rng(25)
GENES = [f"ENSG{number:011d}" for number in range(ROWS)]
SYMBOLS = [f"GENE{number}" for number in range(ROWS)]


def _cut(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _flip(data: bytes) -> bytes:
    """64 bytes in the middle inverted: deflate data no longer decodes (or fails its CRC)."""
    middle = len(data) // 2
    return (
        data[:middle]
        + bytes(byte ^ 0xFF for byte in data[middle : middle + 64])
        + data[middle + 64 :]
    )


DAMAGE = {"cut": _cut, "flipped": _flip, "empty": lambda data: b""}


def _damage(path: Path, how: str) -> Path:
    """Damage the file at `path` in place (`cut`, `flipped` or `empty`); returns it."""
    path.write_bytes(DAMAGE[how](path.read_bytes()))
    return path


def _assert_clear(error: InputError, path: Path, how: str, kind: str, fix: str) -> None:
    """The message starts with the file and our own words for what is wrong, then the fix;
    the library's text, when kept, is only the detail in brackets."""
    message = str(error)
    problem = "the file is empty (0 bytes" if how == "empty" else f"the {kind} is truncated"
    assert message.startswith(f"{path}: {problem}"), message
    assert f"Fix: {fix}" in message, message
    if how != "empty":
        assert "truncated or corrupt (" in message, message


# ----------------------------------------------------------------------------------------
# Gzipped text: every reader built on open_text_read or read_delimited


def _gtf(path: Path) -> None:
    records = pd.DataFrame(
        {
            "seqname": "chr1",
            "source": "HAVANA",
            "feature": "gene",
            "start": np.arange(ROWS) * 1000 + 1,
            "end": np.arange(ROWS) * 1000 + RNG.integers(100, 900, ROWS),
            "score": ".",
            "strand": RNG.choice(["+", "-"], ROWS),
            "frame": ".",
            "attributes": [
                [("gene_id", f"{gene}.1"), ("gene_type", "protein_coding"), ("gene_name", name)]
                for gene, name in zip(GENES, SYMBOLS, strict=True)
            ],
        }
    )
    write_gtf(path, records)


def _trrust(path: Path) -> None:
    edges = pd.DataFrame(
        {
            "tf": RNG.choice(SYMBOLS[:50], ROWS),
            "target": RNG.choice(SYMBOLS, ROWS),
            "mode": RNG.choice(["Activation", "Repression", "Unknown"], ROWS),
            "pmids": [str(number) for number in RNG.integers(10**6, 10**8, ROWS)],
        }
    )
    write_trrust(path, edges)


def _tf_list(path: Path) -> None:
    tfs = pd.DataFrame(
        {"gene_id": GENES, "symbol": SYMBOLS, "dbd": "C2H2 ZF", "is_tf": RNG.random(ROWS) < 0.8}
    )
    write_lambert_tf_list(path, tfs)


def _gwas(path: Path) -> None:
    text = "DISEASE/TRAIT\tMAPPED_GENE\tP-VALUE\n" + "".join(
        f"Trait {RNG.integers(50)}\t{RNG.choice(SYMBOLS)}\t{RNG.random():.3g}\n"
        for _ in range(ROWS)
    )
    with open_text_write(path) as handle:
        handle.write(text)


def _analytics(path: Path) -> None:
    table = pd.DataFrame(
        {
            "gene_id": GENES,
            "gene_name": SYMBOLS,
            "p_value": RNG.random(ROWS),
            "log2fc": RNG.normal(size=ROWS),
        }
    )
    write_atlas_analytics(path, table, "g2_g1")


def _attributes(path: Path) -> None:
    samples = [f"GTEX-{number:05d}-0001-SM-{number:05d}" for number in range(ROWS)]
    table = pd.DataFrame({"SAMPID": samples, "SMTS": "Blood", "SMTSD": "Whole Blood"})
    write_sample_attributes(path, table)


def _labels(path: Path) -> None:
    with open_text_write(path) as handle:
        handle.write("gene_id\tlabel\n")
        handle.writelines(f"{gene}\t{RNG.normal():.6f}\n" for gene in GENES)


def _fasta(path: Path) -> None:
    with open_text_write(path) as handle:
        for name in SYMBOLS[:200]:
            handle.write(f">{name}\n{''.join(RNG.choice(list('ACGT'), 300))}\n")


def _meme(path: Path) -> None:
    pwms = RNG.dirichlet(np.ones(4), size=(200, 12))
    plain = path.with_suffix("")
    write_meme(plain, [Motif(f"MA{n:04d}.1", f"TF{n}", pwm) for n, pwm in enumerate(pwms)])
    path.write_bytes(gzip.compress(plain.read_bytes(), mtime=0))


def _gct(path: Path) -> None:
    values = RNG.random((ROWS, 20)).astype(np.float32) * 100
    samples = [f"S{number}" for number in range(20)]
    write_gct(path, values, GENES, SYMBOLS, samples)


def _rows(path: Path) -> list[Any]:
    with read_delimited(path) as table:
        return list(table)


TEXT_READERS = {
    "gtf": ("annotation.gtf.gz", _gtf, read_gtf, None),
    "trrust": ("trrust_rawdata.human.tsv.gz", _trrust, read_trrust, None),
    "tf list": ("DatabaseExtract_v_1.01.csv.gz", _tf_list, read_tf_list, None),
    "gwas": ("gwas.tsv.gz", _gwas, read_gwas_associations, None),
    "atlas": ("E-GEOD-1-analytics.tsv.gz", _analytics, lambda p: read_atlas_analytics(p, "g2_g1"),
              None),
    "gtex attributes": ("attributes.txt.gz", _attributes, read_sample_attributes, None),
    "labels": ("labels.tsv.gz", _labels, read_label_table, OWN_FILE_AGAIN),
    "fasta": ("seqs.fa.gz", _fasta, lambda p: list(read_fasta_records(p, "give FASTA")), None),
    "meme": ("motifs.meme.gz", _meme, read_meme, rerun_rule()),
    "delimited": ("labels.tsv.gz", _labels, _rows, None),
    "gct": ("matrix.gct.gz", _gct, read_gct, None),
}  # fmt: skip


@pytest.mark.parametrize("how", list(DAMAGE))
@pytest.mark.parametrize("reader", list(TEXT_READERS))
def test_damaged_gzip_text_is_named_with_its_fix(tmp_path: Path, reader: str, how: str) -> None:
    name, write, read, fix = TEXT_READERS[reader]
    path = tmp_path / name
    write(path)
    read(path)  # the whole file reads
    with pytest.raises(InputError) as raised:
        read(_damage(path, how))
    _assert_clear(raised.value, path, how, "gzip stream", fix or download_again(path))


def test_an_empty_plain_text_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "motifs.meme"
    path.write_bytes(b"")  # read_meme used to return no motifs
    with pytest.raises(InputError) as raised:
        read_meme(path)
    _assert_clear(raised.value, path, "empty", "", rerun_rule())


# ----------------------------------------------------------------------------------------
# Binary and compressed containers


def _adata() -> ad.AnnData:
    values = RNG.random((60, 400)).astype(np.float32)
    obs = pd.DataFrame(
        {"tissue": "blood", "series": "GSE1"}, index=[f"S{number}" for number in range(60)]
    )
    var = pd.DataFrame({"match_id": "MA0001.1"}, index=GENES[:400])
    return ad.AnnData(values, obs=obs, var=var)


@pytest.mark.parametrize("how", list(DAMAGE))
def test_damaged_h5ad_is_named(tmp_path: Path, how: str) -> None:
    path = tmp_path / "compendium.h5ad"
    write_h5ad(_adata(), path)
    _damage(path, how)
    fix = rerun_rule("expression_compendium")
    with pytest.raises(InputError) as raised:
        read_h5ad(path, fix)
    _assert_clear(raised.value, path, how, "HDF5 (.h5ad) file", fix)
    with pytest.raises(InputError) as raised:
        read_result_h5ad(path, ["match_id"], made_by="ctxreg_contributions")
    _assert_clear(raised.value, path, how, "HDF5 (.h5ad) file", rerun_rule("ctxreg_contributions"))
    assert "snakemake --forcerun ctxreg_contributions" in str(raised.value)


@pytest.mark.parametrize("how", list(DAMAGE))
def test_damaged_archs4_hdf5_is_named(tmp_path: Path, how: str) -> None:
    path = tmp_path / "human_gene_v2.latest.h5"
    counts = RNG.integers(0, 1000, (300, 200))
    genes = pd.DataFrame({"symbol": SYMBOLS[:300], "ensembl_gene": GENES[:300]})
    samples = pd.DataFrame({"geo_accession": [f"GSM{number}" for number in range(200)]})
    write_archs4(path, counts, genes, samples)
    _damage(path, how)  # flipped: a compressed chunk of counts no longer inflates
    with pytest.raises(InputError) as raised:
        read_archs4_counts(path, np.arange(200))
    _assert_clear(raised.value, path, how, "HDF5 file", download_again(path))


@pytest.mark.parametrize("mmap", [False, True], ids=["read", "memory-mapped"])
@pytest.mark.parametrize("how", ["cut", "empty"])
def test_damaged_npy_chunk_is_named(tmp_path: Path, how: str, mmap: bool) -> None:
    npy, genes = tmp_path / "chunk_1-of-2.npy", tmp_path / "chunk_1-of-2.genes.tsv"
    write_chunk(npy, genes, RNG.random((50, 4, 16)), GENES[:50])
    _damage(npy, how)
    with pytest.raises(InputError) as raised:
        read_chunk(npy, genes, mmap=mmap)
    fix = "delete it and rerun the embedding rule for this chunk"
    _assert_clear(raised.value, npy, how, "NumPy array file", fix)


@pytest.mark.parametrize("how", ["cut", "empty"])
def test_damaged_parquet_is_named(tmp_path: Path, how: str) -> None:
    path = tmp_path / "scores.parquet"
    matrix = pd.DataFrame(RNG.random((50, 80)), index=SYMBOLS[:50], columns=GENES[:80])
    write_matrix(matrix, path)
    _damage(path, how)
    with pytest.raises(InputError) as raised:
        read_result_matrix(path, made_by="trans_lightup")
    _assert_clear(raised.value, path, how, "Parquet matrix", rerun_rule("trans_lightup"))
    with pytest.raises(InputError) as raised:
        read_result_parquet(path, [], made_by="trans_lightup")
    _assert_clear(raised.value, path, how, "Parquet table", rerun_rule("trans_lightup"))


@pytest.mark.parametrize("how", ["cut", "empty"])
def test_damaged_result_json_and_table_are_named(tmp_path: Path, how: str) -> None:
    path = tmp_path / "metrics.json"
    write_json({"knee": 25, "auroc": 0.8, "steps": list(range(50))}, path)
    _damage(path, how)
    with pytest.raises(InputError) as raised:
        read_result_json(path, ["knee"], made_by="trans_pruning")
    _assert_clear(raised.value, path, how, "JSON file", rerun_rule("trans_pruning"))
    table = tmp_path / "tf_importance.tsv"
    table.write_bytes(b"")
    with pytest.raises(InputError) as raised:
        read_result_table(table, ["tf"], made_by="trans_lightup")
    _assert_clear(raised.value, table, "empty", "", rerun_rule("trans_lightup"))


@pytest.mark.parametrize("how", list(DAMAGE))
def test_damaged_gwas_zip_is_named_and_leaves_no_table(tmp_path: Path, how: str) -> None:
    archive = tmp_path / "release.zip"
    _gwas(tmp_path / "table.tsv")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as opened:
        opened.writestr("associations.tsv", (tmp_path / "table.tsv").read_bytes() * 20)
    _damage(archive, how)  # flipped: the member's CRC (or its deflate data) fails
    with pytest.raises(InputError) as raised:
        unzip_gwas_associations(archive, tmp_path / "gwas.tsv")
    _assert_clear(raised.value, archive, how, "zip archive", download_again(archive))
    assert not (tmp_path / "gwas.tsv").exists()
    assert not (tmp_path / "gwas.tsv.part").exists()


@pytest.mark.parametrize("how", ["flipped", "empty"])
def test_damaged_genome_archive_is_named(tmp_path: Path, how: str) -> None:
    source = tmp_path / "genome.fa.gz"
    _fasta(source)
    _damage(source, how)
    with pytest.raises(InputError) as raised:
        decompress_fasta(source, tmp_path / "genome.fa")
    _assert_clear(raised.value, source, how, "gzip stream", download_again(source))
    assert not (tmp_path / "genome.fa.part").exists()


def test_an_empty_benchmark_table_is_named(tmp_path: Path) -> None:
    (tmp_path / "benchmarks").mkdir()
    path = tmp_path / "benchmarks" / "trans_train.tsv"
    path.write_bytes(b"")
    with pytest.raises(InputError) as raised:
        read_benchmarks(tmp_path / "benchmarks", tmp_path)
    _assert_clear(raised.value, path, "empty", "", "delete it; the rule's next run writes it")


# ----------------------------------------------------------------------------------------
# Your own matrix (expression.custom)


def _custom_tsv(path: Path) -> Path:
    samples = [f"S{number}" for number in range(40)]
    frame = pd.DataFrame(RNG.random((ROWS, 40)) * 10, index=GENES, columns=samples)
    frame.rename_axis("gene_id").to_csv(path, sep="\t", compression="gzip")
    sheet = path.with_name("samples.tsv")
    sheet.write_text("sample\ttissue\tseries\n" + "".join(f"{s}\tblood\tGSE1\n" for s in samples))
    return sheet


@pytest.mark.parametrize("how", list(DAMAGE))
def test_damaged_custom_matrix_is_named(tmp_path: Path, how: str) -> None:
    matrix = tmp_path / "matrix.tsv.gz"
    sheet = _custom_tsv(matrix)
    _damage(matrix, how)
    with pytest.raises(InputError) as raised:
        custom_source(matrix, sheet, "log")
    _assert_clear(raised.value, matrix, how, "gzip stream", OWN_FILE_AGAIN)


@pytest.mark.parametrize("how", list(DAMAGE))
def test_damaged_custom_h5ad_is_named(tmp_path: Path, how: str) -> None:
    path = tmp_path / "matrix.h5ad"
    write_h5ad(_adata(), path)
    _damage(path, how)
    with pytest.raises(InputError) as raised:
        custom_source(path, None, "log")
    _assert_clear(raised.value, path, how, "HDF5 (.h5ad) file", OWN_FILE_AGAIN)


def test_an_empty_custom_sample_sheet_is_named(tmp_path: Path) -> None:
    matrix = tmp_path / "matrix.tsv.gz"
    sheet = _custom_tsv(matrix)
    sheet.write_bytes(b"")
    with pytest.raises(InputError) as raised:
        custom_source(matrix, sheet, "log")
    _assert_clear(raised.value, sheet, "empty", "", OWN_FILE_AGAIN)


# ----------------------------------------------------------------------------------------
# What is not damage is not called damage


def test_a_full_disk_is_not_taken_for_a_damaged_file(tmp_path: Path) -> None:
    from cistrans.io.files import reading

    path = tmp_path / "fine.json"
    path.write_text(json.dumps({"a": 1}))
    with pytest.raises(OSError, match="No space left") as raised, reading(path, "JSON file"):
        raise OSError(28, "No space left on device")
    assert not isinstance(raised.value, InputError)


def test_a_bad_line_of_a_whole_gzip_file_is_still_named_by_its_line(tmp_path: Path) -> None:
    path = tmp_path / "annotation.gtf.gz"
    _gtf(path)
    text = gzip.decompress(path.read_bytes()).decode().replace("\t.\t+\t.\t", "\t+\t.\t", 1)
    path.write_bytes(gzip.compress(text.encode()))
    with pytest.raises(InputError, match=r"annotation\.gtf\.gz \(line \d+\): 8 tab-separated"):
        read_gtf(path)


def test_a_damaged_file_keeps_the_library_error_as_its_cause(tmp_path: Path) -> None:
    path = tmp_path / "labels.tsv.gz"
    _labels(path)
    _damage(path, "cut")
    with pytest.raises(InputError) as raised:
        read_label_table(path)
    assert isinstance(raised.value.__cause__, EOFError)


@pytest.mark.workflow
def test_a_truncated_custom_matrix_stops_its_rule_with_the_message_in_its_log(
    tmp_path: Path,
) -> None:
    """Through `snakemake`: a cut `.tsv.gz` matrix stops rule expression_custom; its log and
    Snakemake's output name the file, the damage and the fix, not pandas' EOFError alone."""
    workdir = copy_workflow(tmp_path / "workflow")
    sheet = _custom_tsv(workdir / "cohort.tsv.gz")
    _damage(workdir / "cohort.tsv.gz", "cut")
    config = {
        "approaches": ["trans"],
        "inputs": {"custom_matrix": "cohort.tsv.gz", "custom_samples": sheet.name},
        "expression": {"sources": ["custom"], "custom_values": "log"},
    }
    (workdir / "cut.yaml").write_text(yaml.safe_dump(config))
    run = run_snakemake(
        workdir,
        "results/expression/qc/custom_samples.tsv",
        *("--cores", "1", "--configfile", "cut.yaml"),
        check=False,
    )
    assert run.returncode != 0
    log = (workdir / "logs" / "expression" / "custom.log").read_text()
    message = "cohort.tsv.gz: the gzip stream is truncated or corrupt (Compressed file ended"
    for text in (log, run.stderr):
        assert message in text
        assert f"Fix: {OWN_FILE_AGAIN}" in text
