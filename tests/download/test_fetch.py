"""The download modules against the local mirror: resume, retry, checks, and the catalogue."""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import random
import re
from pathlib import Path

import pytest

from cistrans.config import load_schema, validate_config
from cistrans.errors import InputError
from cistrans.io.atlas import atlas_file_names, read_disease_sheet
from cistrans.io.catalogue import (
    MODELS,
    atlas_file,
    download_file,
    file_path_pattern,
    gwas_table,
    model_file,
    remote_file,
    remote_files,
)
from cistrans.io.fasta import decompress_fasta
from cistrans.io.model_folder import download_model
from cistrans.io.transfer import fetch
from tests.conftest import REPO
from tests.download.conftest import SHEET, Mirror, mirror_config, served

SCHEMA = load_schema(REPO / "config" / "schema.yaml")
MODEL_BIN = "hf/zhihan1996/DNA_bert_6/resolve/main/pytorch_model.bin"
TRRUST = "trrust/trrust_rawdata.human.tsv"
FAST = {"retries": 3, "backoff_seconds": 0.01, "timeout_seconds": 10}


def settings(mirror: Mirror, **download: object) -> dict:
    """The download section of the mirror config, defaults filled."""
    config = mirror_config(mirror, "sheet.tsv")
    config["download"] |= download
    config["inputs"] = {}
    return validate_config(config, SCHEMA)["download"]


def leftovers(destination: Path) -> list[str]:
    return sorted(path.name for path in destination.parent.glob(f"{destination.name}.part*"))


def test_a_file_arrives_whole_and_no_partial_file_is_left(mirror: Mirror, tmp_path: Path) -> None:
    destination = tmp_path / "knowledge" / "trrust.tsv"
    assert fetch(f"{mirror.url}/{TRRUST}", destination, **FAST) == destination
    assert destination.read_bytes() == served(mirror, TRRUST)
    assert leftovers(destination) == []
    assert [(r.range, r.status) for r in mirror.asked(f"/{TRRUST}")] == [(None, 200)]


def test_an_interrupted_transfer_resumes_with_a_range_request(
    mirror: Mirror, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    mirror.fail(f"/{MODEL_BIN}", "close")
    destination = tmp_path / "pytorch_model.bin"
    with caplog.at_level(logging.INFO, logger="cistrans"):
        fetch(f"{mirror.url}/{MODEL_BIN}", destination, **FAST)
    assert destination.read_bytes() == served(mirror, MODEL_BIN)
    first, second = mirror.asked(f"/{MODEL_BIN}")
    assert (first.range, first.status) == (None, 200)
    resumed_at = int(second.range.removeprefix("bytes=").rstrip("-"))
    assert 0 < resumed_at < len(served(mirror, MODEL_BIN))
    assert second.status == 206
    assert "transfer interrupted" in caplog.text
    assert f"resuming at byte {resumed_at}" in caplog.text
    assert leftovers(destination) == []


@pytest.mark.parametrize("statuses", [(503,), (500, 503)])
def test_a_server_error_is_retried(
    mirror: Mirror, tmp_path: Path, caplog: pytest.LogCaptureFixture, statuses: tuple[int, ...]
) -> None:
    mirror.fail(f"/{TRRUST}", *statuses)
    destination = tmp_path / "trrust.tsv"
    with caplog.at_level(logging.INFO, logger="cistrans"):
        fetch(f"{mirror.url}/{TRRUST}", destination, **FAST)
    assert destination.read_bytes() == served(mirror, TRRUST)
    assert [r.status for r in mirror.asked(f"/{TRRUST}")] == [*statuses, 200]
    assert f"after HTTP {statuses[0]}" in caplog.text


def test_a_server_that_keeps_failing_gives_one_clear_error(mirror: Mirror, tmp_path: Path) -> None:
    mirror.fail(f"/{TRRUST}", *[503] * 10)
    destination = tmp_path / "trrust.tsv"
    with pytest.raises(InputError, match=r"trrust\.tsv: cannot download .* \(HTTP 503"):
        fetch(f"{mirror.url}/{TRRUST}", destination, **FAST)
    assert len(mirror.asked(f"/{TRRUST}")) == FAST["retries"] + 1
    assert not destination.exists()


def test_a_missing_file_fails_at_once_naming_the_url(mirror: Mirror, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"cannot download http://.*/nowhere\.tsv \(HTTP 404"):
        fetch(f"{mirror.url}/nowhere.tsv", tmp_path / "nowhere.tsv", **FAST)
    assert len(mirror.asked("/nowhere.tsv")) == 1


def test_a_transfer_that_keeps_breaking_gives_up_and_keeps_the_partial_file(
    mirror: Mirror, tmp_path: Path
) -> None:
    mirror.fail(f"/{MODEL_BIN}", *["close"] * 10)
    destination = tmp_path / "pytorch_model.bin"
    with pytest.raises(InputError, match="broke 4 times.*it resumes from pytorch_model.bin.part"):
        fetch(f"{mirror.url}/{MODEL_BIN}", destination, **FAST)
    assert not destination.exists()
    assert (tmp_path / "pytorch_model.bin.part").stat().st_size > 0
    mirror.failures.clear()
    fetch(f"{mirror.url}/{MODEL_BIN}", destination, **FAST)  # a later run completes it
    assert destination.read_bytes() == served(mirror, MODEL_BIN)


def test_a_partial_file_from_an_earlier_run_is_resumed(mirror: Mirror, tmp_path: Path) -> None:
    body = served(mirror, MODEL_BIN)
    url = f"{mirror.url}/{MODEL_BIN}"
    destination = tmp_path / "pytorch_model.bin"
    (tmp_path / "pytorch_model.bin.part").write_bytes(body[:1000])
    etag = '"' + hashlib.md5(body).hexdigest() + '"'
    (tmp_path / "pytorch_model.bin.part.json").write_text(
        json.dumps({"url": url, "validator": etag})
    )
    fetch(url, destination, **FAST)
    assert destination.read_bytes() == body
    assert [(r.range, r.status) for r in mirror.asked(f"/{MODEL_BIN}")] == [("bytes=1000-", 206)]


def test_a_partial_file_of_a_changed_upstream_file_is_fetched_again(
    mirror: Mirror, tmp_path: Path
) -> None:
    url = f"{mirror.url}/{MODEL_BIN}"
    destination = tmp_path / "pytorch_model.bin"
    (tmp_path / "pytorch_model.bin.part").write_bytes(b"stale bytes of an older version")
    record = {"url": url, "validator": '"an-older-etag"'}
    (tmp_path / "pytorch_model.bin.part.json").write_text(json.dumps(record))
    fetch(url, destination, **FAST)
    assert destination.read_bytes() == served(mirror, MODEL_BIN)
    assert [r.status for r in mirror.asked(f"/{MODEL_BIN}")] == [200]


@pytest.mark.parametrize("algorithm", ["md5", "sha256"])
def test_the_right_checksum_passes(mirror: Mirror, tmp_path: Path, algorithm: str) -> None:
    digest = hashlib.new(algorithm, served(mirror, TRRUST)).hexdigest()
    destination = tmp_path / "trrust.tsv"
    fetch(f"{mirror.url}/{TRRUST}", destination, checksum=f"{algorithm}:{digest}", **FAST)
    assert destination.read_bytes() == served(mirror, TRRUST)


def test_a_checksum_mismatch_names_the_file_and_leaves_no_file(
    mirror: Mirror, tmp_path: Path
) -> None:
    destination = tmp_path / "resources" / "knowledge" / "trrust_rawdata.human.tsv"
    with pytest.raises(InputError) as caught:
        fetch(f"{mirror.url}/{TRRUST}", destination, checksum="md5:" + "0" * 32, **FAST)
    message = str(caught.value)
    assert message.startswith(f"{destination}: md5 checksum mismatch: expected 000")
    assert "download.checksums['knowledge/trrust_rawdata.human.tsv']" in message
    assert not destination.exists()
    assert leftovers(destination) == []


def test_a_size_mismatch_fails(mirror: Mirror, tmp_path: Path) -> None:
    destination = tmp_path / "trrust.tsv"
    with pytest.raises(InputError, match="size mismatch: expected 3 bytes"):
        fetch(f"{mirror.url}/{TRRUST}", destination, size=3, **FAST)
    assert not destination.exists()
    assert leftovers(destination) == []


def test_a_malformed_checksum_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="'crc:12' is not 'md5:<hex>'"):
        fetch("http://127.0.0.1:9/x", tmp_path / "x", checksum="crc:12", **FAST)


def test_download_file_uses_the_catalogue_and_config_checksums(
    mirror: Mirror, tmp_path: Path
) -> None:
    path = "knowledge/trrust_rawdata.human.tsv"
    download_file(settings(mirror), path, tmp_path / "ok.tsv")
    assert (tmp_path / "ok.tsv").read_bytes() == served(mirror, TRRUST)
    wrong = settings(mirror, checksums={path: "sha256:" + "1" * 64})
    with pytest.raises(InputError, match="sha256 checksum mismatch"):
        download_file(wrong, path, tmp_path / "bad.tsv")


def test_a_model_folder_appears_only_when_complete(mirror: Mirror, tmp_path: Path) -> None:
    mirror.fail(f"/{MODEL_BIN}", "close")
    folder = tmp_path / "models" / "dnabert6"
    download_model(settings(mirror), "dnabert6", folder)
    assert sorted(p.name for p in folder.iterdir()) == sorted(MODELS["dnabert6"].files)
    assert (folder / "pytorch_model.bin").read_bytes() == served(mirror, MODEL_BIN)
    assert not (tmp_path / "models" / "dnabert6.part").exists()


def test_model_files_completed_by_an_earlier_attempt_are_kept(
    mirror: Mirror, tmp_path: Path
) -> None:
    staging = tmp_path / "dnabert2.part"
    staging.mkdir()
    (staging / "config.json").write_text("kept\n")
    download_model(settings(mirror), "dnabert2", tmp_path / "dnabert2")
    assert (tmp_path / "dnabert2" / "config.json").read_text() == "kept\n"
    assert mirror.asked("/hf/zhihan1996/DNABERT-2-117M/resolve/main/config.json") == []
    assert len(mirror.requests) == len(MODELS["dnabert2"].files) - 1


def test_the_genome_is_decompressed_and_indexed(mirror: Mirror, tmp_path: Path) -> None:
    source = mirror.root / "gencode/release_44/GRCh38.primary_assembly.genome.fa.gz"
    fasta = tmp_path / "genome.fa"
    decompress_fasta(source, fasta)
    assert fasta.read_bytes() == gzip.decompress(source.read_bytes())
    assert Path(f"{fasta}.fai").read_text().startswith("chr1\t50000\t")


def test_a_truncated_genome_archive_is_named(tmp_path: Path) -> None:
    source = tmp_path / "genome.fa.gz"
    whole = gzip.compress(b">chr1\n" + bytes(random.Random(1).choices(b"ACGT", k=40_000)))
    source.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(InputError, match="genome.fa.gz: the gzip stream is truncated"):
        decompress_fasta(source, tmp_path / "genome.fa")
    assert not (tmp_path / "genome.fa").exists()
    assert not (tmp_path / "genome.fa.part").exists()


# ----------------------------------------------------------------------------------------
# The catalogue


def default_settings(**download: object) -> dict:
    return validate_config({"download": download}, SCHEMA)["download"]


def test_the_default_catalogue_points_at_the_real_sources() -> None:
    files = remote_files(default_settings())
    assert files["gtex_tpm"].url == (
        "https://storage.googleapis.com/adult-gtex/bulk-gex/v10/rna-seq/"
        "GTEx_Analysis_v10_RNASeQCv2.4.2_gene_tpm.gct.gz"
    )
    assert files["gtex_samples"].path == "gtex/GTEx_Analysis_v10_Annotations_SampleAttributesDS.txt"
    assert files["archs4"].url == "https://s3.dev.maayanlab.cloud/archs4/files/human_gene_v2.5.h5"
    assert files["annotation_gtf"].url == (
        "https://ftp.ebi.ac.uk/pub/databases/gencode/Gencode_human/release_44/"
        "gencode.v44.annotation.gtf.gz"
    )
    assert files["genome_fasta_gz"].path == (
        "gencode/release_44/GRCh38.primary_assembly.genome.fa.gz"
    )
    assert files["tf_list"].url.endswith("/download/v_1.01/DatabaseExtract_v_1.01.csv")
    assert all(remote.checksum is None for remote in files.values())


def test_the_gwas_catalog_comes_as_its_full_release_zip_unless_the_url_is_a_tsv() -> None:
    full = default_settings()
    files = remote_files(full)
    assert "gwas" not in files
    assert files["gwas_zip"].url == (
        "https://ftp.ebi.ac.uk/pub/databases/gwas/releases/latest/"
        "gwas-catalog-associations_ontology-annotated-full.zip"
    )
    assert files["gwas_zip"].path == "gwas/gwas-catalog-associations_ontology-annotated-full.zip"
    assert gwas_table(full) == "gwas/gwas-catalog-download-associations-alt-full.tsv"
    assert not re.fullmatch(file_path_pattern(full), gwas_table(full))  # unzipped, not fetched
    mirror = "https://mirror.example.org/gwas/associations.ZIP?token=1"
    assert remote_files(default_settings(urls={"gwas": mirror}))["gwas_zip"].url == mirror
    plain = default_settings(urls={"gwas": "https://example.org/gwas/v1.0.2/associations.tsv"})
    assert "gwas_zip" not in remote_files(plain)
    assert (
        remote_files(plain)["gwas"].path
        == gwas_table(plain)
        == ("gwas/gwas-catalog-associations_ontology-annotated.tsv")
    )


def test_versions_choose_the_files_and_known_checksums_come_with_them() -> None:
    files = remote_files(
        default_settings(gtex_version="v8", archs4_version="2.latest", gencode_release=46)
    )
    assert (
        files["gtex_tpm"].path == "gtex/GTEx_Analysis_2017-06-05_v8_RNASeQCv1.1.9_gene_tpm.gct.gz"
    )
    assert files["gtex_tpm"].checksum == "md5:ff6aade0ef5b55e38af9fef98bad760b"
    assert files["gtex_samples"].checksum == "md5:3a863b00db00a0a08a5c7900d44ea119"
    assert files["gtex_reads"].checksum is None
    assert files["archs4"].path == "archs4/human_gene_v2.latest.h5"
    assert files["annotation_gtf"].path == "gencode/release_46/gencode.v46.annotation.gtf.gz"


def test_atlas_and_model_files_follow_the_sources_url_layouts() -> None:
    current = default_settings(model_revisions={"dnabert6": "abc123"})
    microarray = atlas_file(current, "E-GEOD-12685_A-AFFY-33-analytics.tsv")
    assert microarray.url == (
        "https://ftp.ebi.ac.uk/pub/databases/microarray/data/atlas/experiments/"
        "E-GEOD-12685/E-GEOD-12685_A-AFFY-33-analytics.tsv"
    )
    assert microarray.path == "diseases/atlas/E-GEOD-12685_A-AFFY-33-analytics.tsv"
    assert model_file(current, "dnabert6", "vocab.txt").url == (
        "https://huggingface.co/zhihan1996/DNA_bert_6/resolve/abc123/vocab.txt"
    )
    assert remote_file(current, "models/dnabert2/tokenizer.json").url.endswith(
        "/zhihan1996/DNABERT-2-117M/resolve/main/tokenizer.json"
    )
    assert remote_file(current, "diseases/atlas/E-MTAB-1-configuration.xml").url.endswith(
        "/E-MTAB-1/E-MTAB-1-configuration.xml"
    )
    with pytest.raises(KeyError, match="not a file of the download source"):
        remote_file(current, "knowledge/other.tsv")
    with pytest.raises(ValueError, match="not an Expression Atlas"):
        atlas_file(current, "E-GEOD-1.txt")


def test_the_download_rule_pattern_matches_the_catalogue_files_only() -> None:
    current = default_settings()
    pattern = file_path_pattern(current)
    for remote in remote_files(current).values():
        assert re.fullmatch(pattern, remote.path), remote.path
    for name in ("E-GEOD-12685_A-AFFY-33-analytics.tsv", "E-MTAB-1-configuration.xml"):
        assert re.fullmatch(pattern, f"diseases/atlas/{name}"), name
    for other in (
        "models/dnabert6",
        "models/dnabert6/config.json",
        "gencode/release_44/GRCh38.primary_assembly.genome.fa",
        "gencode/release_44/GRCh38.primary_assembly.genome.fa.gz.fai",
        "knowledge/other.tsv",
        "diseases/atlas/E-GEOD-1.txt",
        "demo/diseases/atlas/E-DEMO-1-analytics.tsv",
    ):
        assert not re.fullmatch(pattern, other), other


def test_the_disease_sheet_gives_the_atlas_file_names(tmp_path: Path) -> None:
    sheet = tmp_path / "diseases.tsv"
    sheet.write_text(SHEET)
    assert atlas_file_names(read_disease_sheet(sheet)) == [
        "E-GEOD-12685-configuration.xml",
        "E-GEOD-12685_A-AFFY-33-analytics.tsv",
        "E-GEOD-54153-analytics.tsv",
        "E-GEOD-54153-configuration.xml",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("accession\tdisease\nE-GEOD-1\tx\n", "line 1.*missing column.*contrast_id"),
        (SHEET.replace("E-GEOD-54153", "GSE54153"), r"line 3.*'GSE54153' is not an Expression"),
        (SHEET.replace("A-AFFY-33", "HG-U133A"), r"line 2.*'HG-U133A' is not an ArrayExpress"),
    ],
)
def test_a_malformed_disease_sheet_is_named_with_its_line(
    tmp_path: Path, text: str, message: str
) -> None:
    sheet = tmp_path / "diseases.tsv"
    sheet.write_text(text)
    with pytest.raises(InputError, match=message):
        read_disease_sheet(sheet)
