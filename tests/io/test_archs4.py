"""Tests of cistrans.io.archs4: ARCHS4 human gene HDF5 files."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
import pytest

from cistrans.errors import InputError
from cistrans.io.archs4 import (
    iter_archs4_blocks,
    read_archs4_counts,
    read_archs4_genes,
    read_archs4_samples,
    write_archs4,
)

COUNTS = np.arange(35, dtype=np.uint32).reshape(5, 7) * 3


def _genes() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "symbol": ["SDHB", "CD99", "TP53", "MYC", "DDX11L2"],
            "ensembl_gene": [f"ENSG0000011711{i}" for i in range(5)],
            "biotype": ["protein_coding"] * 4 + ["lncRNA"],
        }
    )


def _samples() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "geo_accession": [f"GSM{100 + i}" for i in range(7)],
            "series_id": ["GSE1"] * 4 + ["GSE2"] * 3,
            "title": ["liver", "café", "", "kidney, left", 'a "quoted" one', "x", "y"],
            "singlecellprobability": np.linspace(0.0, 0.9, 7),
            "readsaligned": np.arange(7, dtype=np.uint32) * 1000,
        }
    )


@pytest.fixture
def archs4(tmp_path: Path) -> Path:
    path = tmp_path / "human_gene.h5"
    write_archs4(path, COUNTS, _genes(), _samples())
    return path


def _h5(path: Path, datasets: dict[str, np.ndarray]) -> Path:
    """An HDF5 file holding `datasets` (name → array), written as-is."""
    with h5py.File(path, "w") as h5:
        for name, data in datasets.items():
            h5.create_dataset(name, data=data)
    return path


def test_round_trip_keeps_metadata(archs4: Path) -> None:
    pd.testing.assert_frame_equal(read_archs4_genes(archs4), _genes(), check_dtype=False)
    samples = read_archs4_samples(archs4)
    expected = _samples().rename(columns={"readsaligned": "reads_aligned"})
    pd.testing.assert_frame_equal(samples[expected.columns], expected, check_dtype=False)
    assert samples["reads_aligned"].dtype == np.uint32
    assert samples["singlecellprobability"].dtype == np.float64


def test_written_layout_matches_archs4(archs4: Path) -> None:
    with h5py.File(archs4) as h5:
        expression = h5["data/expression"]
        assert expression.dtype == np.uint32
        assert expression.shape == (5, 7)
        assert expression.chunks[0] == 5
        assert expression.compression == "gzip"
        assert h5["meta/genes/symbol"][0] == b"SDHB"
        assert h5["meta/samples/title"][1] == "café".encode()
        assert sorted(h5["meta/samples"]) == sorted(_samples().columns)


def test_counts_come_back_in_the_order_asked(archs4: Path) -> None:
    index = np.array([6, 0, 3, 3, 1])
    counts = read_archs4_counts(archs4, index)
    assert counts.dtype == np.uint32
    np.testing.assert_array_equal(counts, COUNTS[:, index])
    assert read_archs4_counts(archs4, np.array([], dtype=int)).shape == (5, 0)


def test_counts_reject_indices_out_of_range(archs4: Path) -> None:
    with pytest.raises(ValueError, match=r"\[0, 7\)"):
        read_archs4_counts(archs4, np.array([0, 7]))


def test_rewrite_is_byte_identical(tmp_path: Path, archs4: Path) -> None:
    again = tmp_path / "again.h5"
    write_archs4(again, COUNTS, _genes(), _samples())
    assert again.read_bytes() == archs4.read_bytes()
    with h5py.File(archs4) as h5:
        names: list[str] = []
        h5.visit(names.append)
        assert [h5py.h5g.get_objinfo(h5.id, name.encode()).mtime for name in names] == [0] * 13


def test_selected_fields_and_newer_spellings(tmp_path: Path) -> None:
    text = h5py.string_dtype("utf-8")
    path = _h5(
        tmp_path / "v2.5.h5",
        {
            "data/expression": COUNTS[:, :3],
            "meta/genes/gene_symbol": np.array(["A", "B", "C", "D", "É"], dtype=object),
            "meta/genes/ensembl_gene_id": np.array([f"ENSG{i}" for i in range(5)], dtype=text),
            "meta/samples/geo_accession": np.array(["GSM1", "GSM2", "GSM3"], dtype=text),
            "meta/samples/alignedreads": np.array([1.5e6, 2e6, 0.0]),
        },
    )
    genes = read_archs4_genes(path)
    assert list(genes.columns) == ["symbol", "ensembl_gene"]
    assert genes["symbol"].tolist() == ["A", "B", "C", "D", "É"]
    samples = read_archs4_samples(path, fields=["reads_aligned", "geo_accession"])
    assert samples.to_dict("list") == {
        "reads_aligned": [1.5e6, 2e6, 0.0],
        "geo_accession": ["GSM1", "GSM2", "GSM3"],
    }


def test_not_hdf5_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "fake.h5"
    path.write_text("<html>Not Found</html>\n")
    with pytest.raises(InputError, match=rf"{re.escape(str(path))}: not an HDF5 file"):
        read_archs4_genes(path)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="missing.h5: file not found"):
        read_archs4_counts(tmp_path / "missing.h5", np.arange(2))


@pytest.mark.parametrize(
    ("datasets", "read", "problem"),
    [
        pytest.param(
            {"data/counts": COUNTS, "meta/genes/symbol": np.array([b"A"])},
            lambda path: read_archs4_counts(path, np.arange(2)),
            r" \(data/expression\): no dataset data/expression \(in data: counts\)",
            id="missing expression is named",
        ),
        pytest.param(
            {"data/expression": COUNTS, "meta/genes/symbol": np.array([b"A"] * 5)},
            read_archs4_genes,
            r" \(meta/genes/ensembl_gene or meta/genes/ensembl_gene_id\): "
            r"no dataset meta/genes/ensembl_gene or meta/genes/ensembl_gene_id "
            r"\(in meta/genes: symbol\)",
            id="missing gene dataset lists what exists",
        ),
        pytest.param(
            {
                "data/expression": COUNTS,
                "meta/genes/symbol": np.array([b"A"] * 4),
                "meta/genes/ensembl_gene": np.array([b"E"] * 4),
            },
            read_archs4_genes,
            r" \(/meta/genes/symbol\): /meta/genes/symbol has shape \(4,\) but .* has 5 genes",
            id="metadata shorter than matrix",
        ),
    ],
)
def test_malformed_files_are_input_errors(
    tmp_path: Path,
    datasets: dict[str, np.ndarray],
    read: Callable[[Path], object],
    problem: str,
) -> None:
    """`problem`: what the message says after the file's path."""
    path = _h5(tmp_path / "a.h5", datasets)
    with pytest.raises(InputError, match=re.escape(str(path)) + problem):
        read(path)


def test_missing_sample_field_is_named(archs4: Path) -> None:
    with pytest.raises(InputError, match=r"no dataset meta/samples/tissue \(in meta/samples: geo"):
        read_archs4_samples(archs4, fields=["geo_accession", "tissue"])


def test_writer_checks_metadata_lengths(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="5 genes x 6 samples"):
        write_archs4(tmp_path / "a.h5", COUNTS, _genes(), _samples().iloc[:6])


# --- reading by blocks -------------------------------------------------------------------------


@pytest.fixture
def chunked(tmp_path: Path) -> tuple[Path, np.ndarray]:
    """An ARCHS4-like file of 6 genes x 50 samples in chunks of 4 whole sample columns."""
    counts = np.random.default_rng(3).poisson(20, size=(6, 50)).astype(np.uint32)
    path = tmp_path / "chunked.h5"
    with h5py.File(path, "w") as h5:
        h5.create_dataset(
            "data/expression", data=counts, chunks=(6, 4), compression="gzip", shuffle=True
        )
    return path, counts


@pytest.mark.parametrize("block_size", [1, 3, 8, 1000])
def test_blocks_reassemble_to_the_counts(chunked: tuple[Path, np.ndarray], block_size: int) -> None:
    path, counts = chunked
    index = np.array([49, 3, 4, 5, 5, 20, 0, 6, 48, 21, 3, 47])
    assembled = np.zeros((6, index.size), dtype=np.uint32)
    seen: list[int] = []
    columns: list[int] = []
    for positions, block in iter_archs4_blocks(path, index, block_size):
        assert block.dtype == np.uint32
        assert block.shape == (6, positions.size)
        assert 0 < positions.size <= block_size
        assembled[:, positions] = block
        seen += positions.tolist()
        columns += index[positions].tolist()
    assert sorted(seen) == list(range(index.size))
    assert columns == sorted(columns)  # in the file's column order
    np.testing.assert_array_equal(assembled, counts[:, index])
    np.testing.assert_array_equal(assembled, read_archs4_counts(path, index))


def test_all_samples_by_blocks(chunked: tuple[Path, np.ndarray]) -> None:
    path, counts = chunked
    blocks = list(iter_archs4_blocks(path, np.arange(50), block_size=16))
    assert [positions.tolist() for positions, _ in blocks] == [
        list(range(start, min(start + 16, 50))) for start in range(0, 50, 16)
    ]
    np.testing.assert_array_equal(np.hstack([block for _, block in blocks]), counts)
    assert list(iter_archs4_blocks(path, np.array([], dtype=int), 4)) == []


def test_blocks_check_arguments_and_file_at_the_call(
    chunked: tuple[Path, np.ndarray], tmp_path: Path
) -> None:
    path, _ = chunked
    with pytest.raises(ValueError, match="block_size must be positive"):
        iter_archs4_blocks(path, np.arange(3), 0)
    with pytest.raises(ValueError, match=r"\[0, 50\)"):
        iter_archs4_blocks(path, np.array([2, 50]), 4)
    with pytest.raises(ValueError, match="1-D integers"):
        iter_archs4_blocks(path, np.array([0.5]), 4)
    other = _h5(tmp_path / "other.h5", {"data/counts": COUNTS})
    with pytest.raises(InputError, match=r"no dataset data/expression \(in data: counts\)"):
        iter_archs4_blocks(other, np.arange(2), 4)
    with pytest.raises(InputError, match="missing.h5: file not found"):
        iter_archs4_blocks(tmp_path / "missing.h5", np.arange(2), 4)
