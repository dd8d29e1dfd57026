"""The catalogue of the real inputs: which file each is, where it comes from, what to check.

Built from the `download` section of the config: GTEx, ARCHS4, GENCODE, the Lambert TF list,
TRRUST, CollecTRI, DoRothEA, Expression Atlas experiments (named by the disease sheet) and the
GWAS Catalog, each as a path under the download folder (`resources/`) and a URL; and Hugging
Face model folders, file by file from `<endpoint>/<repo>/resolve/<revision>/<file>` (Hugging
Face's own URL layout, so any mirror or a local test server can stand in for huggingface.co).
`download_file` fetches one catalogue file with `cistrans.io.transfer.fetch`.

The GWAS Catalog is fetched as its full release, a zip (`gwas_zip`) that a later step
unpacks to the table the workflow reads (`gwas_table`): the plain TSV is truncated upstream
since late 2025. A `download.urls.gwas` ending in `.tsv` (an older release, a mirror) is
fetched as the table itself (`gwas`); the URL's suffix decides.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from cistrans.io.atlas import ACCESSION, ATLAS_FILE_NAME
from cistrans.io.gwas import GWAS_FULL_MEMBER
from cistrans.io.transfer import fetch

ATLAS_FOLDER = "diseases/atlas"
GWAS_ZIP = "gwas/gwas-catalog-associations_ontology-annotated-full.zip"
GWAS_UNZIPPED = f"gwas/{GWAS_FULL_MEMBER}"
GWAS_PLAIN = "gwas/gwas-catalog-associations_ontology-annotated.tsv"
TRANSPORT_SETTINGS = ("retries", "backoff_seconds", "timeout_seconds")

# Checksums the sources publish (path under the download folder -> "md5:..." / "sha256:...").
# The GTEx portal lists md5s for its v8 files; config `download.checksums` adds to these.
KNOWN_CHECKSUMS = {
    "gtex/GTEx_Analysis_2017-06-05_v8_RNASeQCv1.1.9_gene_tpm.gct.gz": (
        "md5:ff6aade0ef5b55e38af9fef98bad760b"
    ),
    "gtex/GTEx_Analysis_v8_Annotations_SampleAttributesDS.txt": (
        "md5:3a863b00db00a0a08a5c7900d44ea119"
    ),
}

# GTEx files of each release, relative to the bucket (download.urls.gtex).
GTEX_FILES = {
    "v8": {
        "gtex_tpm": "bulk-gex/v8/rna-seq/GTEx_Analysis_2017-06-05_v8_RNASeQCv1.1.9_gene_tpm.gct.gz",
        "gtex_reads": (
            "bulk-gex/v8/rna-seq/GTEx_Analysis_2017-06-05_v8_RNASeQCv1.1.9_gene_reads.gct.gz"
        ),
        "gtex_median_tpm": (
            "bulk-gex/v8/rna-seq/GTEx_Analysis_2017-06-05_v8_RNASeQCv1.1.9_gene_median_tpm.gct.gz"
        ),
        "gtex_samples": (
            "annotations/v8/metadata-files/GTEx_Analysis_v8_Annotations_SampleAttributesDS.txt"
        ),
    },
    "v10": {
        "gtex_tpm": "bulk-gex/v10/rna-seq/GTEx_Analysis_v10_RNASeQCv2.4.2_gene_tpm.gct.gz",
        "gtex_reads": "bulk-gex/v10/rna-seq/GTEx_Analysis_v10_RNASeQCv2.4.2_gene_reads.gct.gz",
        "gtex_median_tpm": (
            "bulk-gex/v10/rna-seq/GTEx_Analysis_v10_RNASeQCv2.4.2_gene_median_tpm.gct.gz"
        ),
        "gtex_samples": (
            "annotations/v10/metadata-files/GTEx_Analysis_v10_Annotations_SampleAttributesDS.txt"
        ),
    },
}


@dataclass(frozen=True)
class ModelRepo:
    """A Hugging Face model repository and the files a local folder needs to load it."""

    repo: str
    files: tuple[str, ...]


# The files of each model repository (as listed on huggingface.co), fetched into
# models/<name>/ so that compute nodes without internet can load them by path.
MODELS = {
    "dnabert6": ModelRepo(
        "zhihan1996/DNA_bert_6",
        (
            "config.json",
            "vocab.txt",
            "tokenizer_config.json",
            "special_tokens_map.json",
            "pytorch_model.bin",
            "configuration_bert.py",
            "dnabert_layer.py",
        ),
    ),
    "dnabert2": ModelRepo(
        "zhihan1996/DNABERT-2-117M",
        (
            "config.json",
            "tokenizer.json",
            "tokenizer_config.json",
            "generation_config.json",
            "pytorch_model.bin",
            "bert_layers.py",
            "bert_padding.py",
            "configuration_bert.py",
            "flash_attn_triton.py",
        ),
    ),
}


@dataclass(frozen=True)
class RemoteFile:
    """One file to fetch: `path` under the download folder, its `url`, and what to check.

    checksum: "md5:<hex>" or "sha256:<hex>", or None; size: bytes, or None.
    """

    path: str
    url: str
    checksum: str | None = None
    size: int | None = None


def remote_files(settings: Mapping[str, Any]) -> dict[str, RemoteFile]:
    """The fixed files of the download source, by input name, for the config's versions.

    settings: the `download` section of the config (defaults filled). Names: gtex_tpm,
    gtex_reads, gtex_median_tpm, gtex_samples, archs4, annotation_gtf, genome_fasta_gz,
    tf_list, trrust, collectri, dorothea, and gwas_zip (the GWAS Catalog's full release, to
    unzip: see `gwas_table`) or, when `urls.gwas` is not a `.zip`, gwas (the table itself).
    Expression Atlas files and model folders depend on the disease sheet and the model
    list: see `atlas_file` and `model_file`.
    """
    urls = settings["urls"]
    release = settings["gencode_release"]
    gencode = f"{urls['gencode']}/release_{release}"
    files = {
        name: (f"gtex/{PurePosixPath(relative).name}", f"{urls['gtex']}/{relative}")
        for name, relative in GTEX_FILES[settings["gtex_version"]].items()
    }
    archs4 = f"human_gene_v{settings['archs4_version']}.h5"
    files |= {
        "archs4": (f"archs4/{archs4}", f"{urls['archs4']}/{archs4}"),
        "annotation_gtf": (
            f"gencode/release_{release}/gencode.v{release}.annotation.gtf.gz",
            f"{gencode}/gencode.v{release}.annotation.gtf.gz",
        ),
        "genome_fasta_gz": (
            f"gencode/release_{release}/GRCh38.primary_assembly.genome.fa.gz",
            f"{gencode}/GRCh38.primary_assembly.genome.fa.gz",
        ),
        "tf_list": (
            "knowledge/DatabaseExtract_v_1.01.csv",
            f"{urls['humantfs']}/DatabaseExtract_v_1.01.csv",
        ),
        "trrust": ("knowledge/trrust_rawdata.human.tsv", urls["trrust"]),
        "collectri": ("knowledge/CollecTRI_regulons.csv", urls["collectri"]),
        "dorothea": ("knowledge/dorothea_omnipath.tsv", urls["dorothea"]),
    }
    if is_zip_url(urls["gwas"]):
        files["gwas_zip"] = (GWAS_ZIP, urls["gwas"])
    else:
        files["gwas"] = (GWAS_PLAIN, urls["gwas"])
    return {name: _remote(settings, path, url) for name, (path, url) in files.items()}


def gwas_table(settings: Mapping[str, Any]) -> str:
    """The path (under the download folder) of the GWAS associations table the workflow
    reads: unzipped from the full release (`GWAS_UNZIPPED`) when `urls.gwas` is a `.zip`,
    else the downloaded plain TSV (`GWAS_PLAIN`)."""
    return GWAS_UNZIPPED if is_zip_url(settings["urls"]["gwas"]) else GWAS_PLAIN


def is_zip_url(url: str) -> bool:
    """Whether `url` names a `.zip` (by the suffix of its path; query and case ignored)."""
    return PurePosixPath(urlsplit(url).path).suffix.lower() == ".zip"


def atlas_file(settings: Mapping[str, Any], file_name: str) -> RemoteFile:
    """An Expression Atlas file (`<ACC>[_<ARRAY>]-analytics.tsv` or `<ACC>-configuration.xml`)."""
    accession = re.match(ACCESSION, file_name)
    if accession is None or not re.fullmatch(ATLAS_FILE_NAME, file_name):
        raise ValueError(f"{file_name!r} is not an Expression Atlas analytics/configuration name")
    url = f"{settings['urls']['atlas']}/{accession.group(0)}/{file_name}"
    return _remote(settings, f"{ATLAS_FOLDER}/{file_name}", url)


def model_file(settings: Mapping[str, Any], model: str, file_name: str) -> RemoteFile:
    """One file of a Hugging Face model folder (`models/<model>/<file>`)."""
    repo = MODELS[model].repo
    revision = settings["model_revisions"][model]
    url = f"{settings['urls']['huggingface']}/{repo}/resolve/{revision}/{file_name}"
    return _remote(settings, f"models/{model}/{file_name}", url)


def remote_file(settings: Mapping[str, Any], path: str) -> RemoteFile:
    """The catalogue entry of `path` (relative to the download folder), whatever its source."""
    for remote in remote_files(settings).values():
        if remote.path == path:
            return remote
    folder, _, name = path.rpartition("/")
    if folder == ATLAS_FOLDER:
        return atlas_file(settings, name)
    parts = PurePosixPath(path).parts
    if len(parts) == 3 and parts[0] == "models" and parts[1] in MODELS:
        return model_file(settings, parts[1], name)
    raise KeyError(f"{path} is not a file of the download source")


def file_path_pattern(settings: Mapping[str, Any]) -> str:
    """A regular expression for the path of every single file of the catalogue.

    Matches (as a whole) the paths of `remote_files` and `<ATLAS_FOLDER>/<Atlas file name>`,
    not model folders: the wildcard constraint of the one download rule.
    """
    fixed = (re.escape(remote.path) for remote in remote_files(settings).values())
    return "|".join([*fixed, f"{re.escape(ATLAS_FOLDER)}/{ATLAS_FILE_NAME}"])


def transport(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword arguments of `fetch` that the config sets (retries, back-off, timeout)."""
    return {key: settings[key] for key in TRANSPORT_SETTINGS}


def download_file(settings: Mapping[str, Any], path: str, destination: str | Path) -> Path:
    """Fetch the catalogue file `path` (see `remote_file`) to `destination`.

    The transport settings (retries, backoff_seconds, timeout_seconds) come from `settings`.
    """
    remote = remote_file(settings, path)
    return fetch(
        remote.url, destination, checksum=remote.checksum, size=remote.size, **transport(settings)
    )


def _remote(settings: Mapping[str, Any], path: str, url: str) -> RemoteFile:
    """The catalogue entry of `path`, with its checksum and size when known."""
    checksums = {**KNOWN_CHECKSUMS, **settings.get("checksums", {})}
    return RemoteFile(path, url, checksums.get(path), settings.get("sizes", {}).get(path))


__all__ = [
    "ATLAS_FOLDER",
    "GTEX_FILES",
    "GWAS_PLAIN",
    "GWAS_UNZIPPED",
    "GWAS_ZIP",
    "KNOWN_CHECKSUMS",
    "MODELS",
    "ModelRepo",
    "RemoteFile",
    "atlas_file",
    "download_file",
    "file_path_pattern",
    "gwas_table",
    "is_zip_url",
    "model_file",
    "remote_file",
    "remote_files",
    "transport",
]
