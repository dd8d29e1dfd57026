"""The download rules, run by Snakemake against the local mirror (no internet needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cistrans.config import load_schema, validate_config
from cistrans.io.catalogue import remote_files
from tests.conftest import REPO, copy_workflow, run_snakemake
from tests.download.conftest import (
    GWAS_FULL_ZIP,
    GWAS_HEADER_V102,
    GWAS_PLAIN_TSV,
    GWAS_ROWS,
    SHEET,
    Mirror,
    Request,
    mirror_config,
    planned_outputs,
    served,
)

pytestmark = pytest.mark.workflow

ARCHS4 = "archs4/human_gene_v2.5.h5"
GTF = "gencode/release_44/gencode.v44.annotation.gtf.gz"
ATLAS_CONFIGURATION = "atlas/E-GEOD-54153/E-GEOD-54153-configuration.xml"
# Local file (under the workdir) -> the mirror path it comes from.
FETCHED = {
    "resources/gtex/GTEx_Analysis_v10_RNASeQCv2.4.2_gene_tpm.gct.gz": (
        "gtex/bulk-gex/v10/rna-seq/GTEx_Analysis_v10_RNASeQCv2.4.2_gene_tpm.gct.gz"
    ),
    "resources/gtex/GTEx_Analysis_v10_RNASeQCv2.4.2_gene_reads.gct.gz": (
        "gtex/bulk-gex/v10/rna-seq/GTEx_Analysis_v10_RNASeQCv2.4.2_gene_reads.gct.gz"
    ),
    "resources/gtex/GTEx_Analysis_v10_RNASeQCv2.4.2_gene_median_tpm.gct.gz": (
        "gtex/bulk-gex/v10/rna-seq/GTEx_Analysis_v10_RNASeQCv2.4.2_gene_median_tpm.gct.gz"
    ),
    "resources/gtex/GTEx_Analysis_v10_Annotations_SampleAttributesDS.txt": (
        "gtex/annotations/v10/metadata-files/GTEx_Analysis_v10_Annotations_SampleAttributesDS.txt"
    ),
    f"resources/{ARCHS4}": ARCHS4,
    f"resources/{GTF}": GTF,
    "resources/gencode/release_44/GRCh38.primary_assembly.genome.fa.gz": (
        "gencode/release_44/GRCh38.primary_assembly.genome.fa.gz"
    ),
    "resources/knowledge/DatabaseExtract_v_1.01.csv": "humantfs/DatabaseExtract_v_1.01.csv",
    "resources/knowledge/trrust_rawdata.human.tsv": "trrust/trrust_rawdata.human.tsv",
    "resources/knowledge/CollecTRI_regulons.csv": "zenodo/CollecTRI_regulons.csv",
    "resources/knowledge/dorothea_omnipath.tsv": "omnipath/interactions",
    "resources/gwas/gwas-catalog-associations_ontology-annotated-full.zip": GWAS_FULL_ZIP,
    "resources/diseases/atlas/E-GEOD-12685_A-AFFY-33-analytics.tsv": (
        "atlas/E-GEOD-12685/E-GEOD-12685_A-AFFY-33-analytics.tsv"
    ),
    "resources/diseases/atlas/E-GEOD-12685-configuration.xml": (
        "atlas/E-GEOD-12685/E-GEOD-12685-configuration.xml"
    ),
    "resources/diseases/atlas/E-GEOD-54153-analytics.tsv": (
        "atlas/E-GEOD-54153/E-GEOD-54153-analytics.tsv"
    ),
    "resources/diseases/atlas/E-GEOD-54153-configuration.xml": ATLAS_CONFIGURATION,
    "resources/models/dnabert6/pytorch_model.bin": (
        "hf/zhihan1996/DNA_bert_6/resolve/main/pytorch_model.bin"
    ),
    "resources/models/dnabert2/tokenizer.json": (
        "hf/zhihan1996/DNABERT-2-117M/resolve/main/tokenizer.json"
    ),
}


def prepare(workdir: Path, mirror: Mirror, **download: object) -> Path:
    """A workflow copy whose config fetches everything from the mirror."""
    copy_workflow(workdir)
    (workdir / "sheet.tsv").write_text(SHEET)
    config = mirror_config(mirror, "sheet.tsv")
    config["download"] |= download
    (workdir / "mirror.yaml").write_text(yaml.safe_dump(config))
    return workdir


@pytest.fixture(scope="module")
def fetched(
    mirror_server: Mirror, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, list[Request]]:
    """`snakemake download_all` once, with a transfer cut mid-body and HTTP 500/503 errors;
    returns the workdir and the requests the mirror answered."""
    mirror_server.reset()
    workdir = prepare(tmp_path_factory.mktemp("fetched"), mirror_server)
    mirror_server.fail(f"/{ARCHS4}", "close")
    mirror_server.fail(f"/{GTF}", 503)
    mirror_server.fail(f"/{ATLAS_CONFIGURATION}", 500)
    run_snakemake(workdir, "download_all", "--cores", "2", "--configfile", "mirror.yaml")
    requests = list(mirror_server.requests)
    mirror_server.reset()
    return workdir, requests


def asked(requests: list[Request], path: str) -> list[tuple[str | None, int]]:
    return [(request.range, request.status) for request in requests if request.path == path]


def test_every_file_arrives_intact_and_write_protected(
    fetched: tuple[Path, list[Request]], mirror_server: Mirror
) -> None:
    workdir, _ = fetched
    for local, remote in FETCHED.items():
        assert (workdir / local).read_bytes() == served(mirror_server, remote), local
        assert (workdir / local).stat().st_mode & 0o222 == 0, f"{local} is not write-protected"
    assert sorted(workdir.glob("resources/**/*.part*")) == []
    genome = workdir / "resources/gencode/release_44/GRCh38.primary_assembly.genome.fa"
    assert genome.read_text().startswith(">chr1 1\n")
    assert Path(f"{genome}.fai").read_text().startswith("chr1\t50000\t")
    for model in ("dnabert6", "dnabert2"):
        assert (workdir / "resources" / "models" / model / "config.json").is_file()


def test_the_gwas_release_zip_is_unzipped_to_the_table_the_workflow_reads(
    fetched: tuple[Path, list[Request]],
) -> None:
    workdir, _ = fetched
    table = workdir / "resources/gwas/gwas-catalog-download-associations-alt-full.tsv"
    assert table.read_text() == GWAS_HEADER_V102 + GWAS_ROWS
    log = (workdir / "logs/download/gwas_unzip.log").read_text()
    assert f"-> {table.relative_to(workdir)}: 3 association rows" in log
    assert "WARNING" in log and "holds only 3 association rows" in log
    assert not (
        workdir / "resources/gwas/gwas-catalog-associations_ontology-annotated.tsv"
    ).exists()


def test_a_plain_gwas_tsv_url_is_fetched_as_the_table_itself(
    mirror: Mirror, tmp_path: Path
) -> None:
    urls = mirror_config(mirror, "sheet.tsv")["download"]["urls"]
    workdir = prepare(tmp_path, mirror, urls=urls | {"gwas": f"{mirror.url}/{GWAS_PLAIN_TSV}"})
    plan = run_snakemake(workdir, "download_all", "-n", "--configfile", "mirror.yaml").stdout
    local = "resources/gwas/gwas-catalog-associations_ontology-annotated.tsv"
    assert local in planned_outputs(plan, "download")
    assert not [path for path in planned_outputs(plan, "download") if path.endswith(".zip")]
    assert "download_gwas_unzip" not in plan
    run_snakemake(workdir, local, "--cores", "1", "--configfile", "mirror.yaml")
    assert (workdir / local).read_bytes() == served(mirror, GWAS_PLAIN_TSV)
    assert [(r.range, r.status) for r in mirror.asked(f"/{GWAS_PLAIN_TSV}")] == [(None, 200)]


def test_an_interrupted_transfer_resumed_with_a_range_request(
    fetched: tuple[Path, list[Request]],
) -> None:
    workdir, requests = fetched
    (first, second) = asked(requests, f"/{ARCHS4}")
    assert first == (None, 200)
    assert second[0].startswith("bytes=") and second[0] != "bytes=0-"
    assert second[1] == 206
    log = (workdir / "logs" / "download" / f"{ARCHS4}.log").read_text()
    assert "transfer interrupted" in log
    assert f"resuming at byte {second[0].removeprefix('bytes=').rstrip('-')}" in log


def test_server_errors_were_retried(fetched: tuple[Path, list[Request]]) -> None:
    workdir, requests = fetched
    assert asked(requests, f"/{GTF}") == [(None, 503), (None, 200)]
    assert asked(requests, f"/{ATLAS_CONFIGURATION}") == [(None, 500), (None, 200)]
    log = (workdir / "logs" / "download" / f"{GTF}.log").read_text()
    assert "after HTTP 503" in log


def test_a_second_run_downloads_nothing(
    fetched: tuple[Path, list[Request]], mirror_server: Mirror
) -> None:
    workdir, _ = fetched
    mirror_server.reset()
    result = run_snakemake(workdir, "download_all", "--cores", "2", "--configfile", "mirror.yaml")
    assert "Nothing to be done" in result.stdout + result.stderr
    assert mirror_server.requests == []


def test_one_download_rule_serves_every_catalogue_file_and_atlas_name(
    mirror: Mirror, tmp_path: Path
) -> None:
    workdir = prepare(tmp_path, mirror)
    result = run_snakemake(workdir, "download_all", "-n", "--configfile", "mirror.yaml")
    config = yaml.safe_load((workdir / "mirror.yaml").read_text())
    schema = load_schema(REPO / "config" / "schema.yaml")
    catalogue = remote_files(validate_config(config, schema)["download"])
    expected = [f"resources/{remote.path}" for remote in catalogue.values()]
    expected += [local for local in FETCHED if local.startswith("resources/diseases/atlas/")]
    assert sorted(planned_outputs(result.stdout, "download")) == sorted(expected)
    assert len(planned_outputs(result.stdout, "download_model")) == 2
    outside = run_snakemake(
        workdir, "-n", "resources/knowledge/other.tsv", "--configfile", "mirror.yaml", check=False
    )
    assert outside.returncode != 0
    assert "MissingRuleException" in outside.stdout + outside.stderr


def test_a_checksum_mismatch_fails_naming_the_file_and_leaves_no_file(
    mirror: Mirror, tmp_path: Path
) -> None:
    local = "resources/knowledge/trrust_rawdata.human.tsv"
    workdir = prepare(
        tmp_path, mirror, checksums={"knowledge/trrust_rawdata.human.tsv": "md5:" + "0" * 32}
    )
    result = run_snakemake(
        workdir, local, "--cores", "1", "--configfile", "mirror.yaml", check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Error in rule download:" in output
    assert f"cistrans: {local}: md5 checksum mismatch: expected {'0' * 32}" in output
    assert sorted(p.name for p in (workdir / local).parent.glob("*")) == []
