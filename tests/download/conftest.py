"""A local mirror of the real sources: an HTTP server on 127.0.0.1 with Range support and
switchable failures, serving small files in the real formats at the real URL layouts."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import pytest

from cistrans.io.archs4 import write_archs4
from cistrans.io.catalogue import MODELS

GWAS_RELEASE = "gwas/releases/latest"
GWAS_FULL_ZIP = f"{GWAS_RELEASE}/gwas-catalog-associations_ontology-annotated-full.zip"
GWAS_PLAIN_TSV = f"{GWAS_RELEASE}/gwas-catalog-associations_ontology-annotated.tsv"
# The GWAS Catalog's associations table as the full release holds it: the v1.0.2 header
# (v1.0's 34 columns, then the ontology-annotated file's 4) and real rows (free text with
# commas, an intergenic MAPPED_GENE `A - B`, `NR`, Catalog-style p-values).
GWAS_HEADER_V102 = (
    "DATE ADDED TO CATALOG\tPUBMEDID\tFIRST AUTHOR\tDATE\tJOURNAL\tLINK\tSTUDY\tDISEASE/TRAIT\t"
    "INITIAL SAMPLE SIZE\tREPLICATION SAMPLE SIZE\tREGION\tCHR_ID\tCHR_POS\tREPORTED GENE(S)\t"
    "MAPPED_GENE\tUPSTREAM_GENE_ID\tDOWNSTREAM_GENE_ID\tSNP_GENE_IDS\tUPSTREAM_GENE_DISTANCE\t"
    "DOWNSTREAM_GENE_DISTANCE\tSTRONGEST SNP-RISK ALLELE\tSNPS\tMERGED\tSNP_ID_CURRENT\tCONTEXT\t"
    "INTERGENIC\tRISK ALLELE FREQUENCY\tP-VALUE\tPVALUE_MLOG\tP-VALUE (TEXT)\tOR or BETA\t"
    "95% CI (TEXT)\tPLATFORM [SNPS PASSING QC]\tCNV\tMAPPED_TRAIT\tMAPPED_TRAIT_URI\t"
    "STUDY ACCESSION\tGENOTYPING TECHNOLOGY\n"
)
GWAS_ROWS = (
    "2008-06-16\t17463246\tScott LJ\t2007-04-26\tScience\twww.ncbi.nlm.nih.gov/pubmed/17463246\t"
    "A genome-wide association study of type 2 diabetes in Finns detects multiple "
    "susceptibility variants.\tType 2 diabetes\t1,161 Finnish cases, 1,174 Finnish controls\t"
    "1,215 Finnish cases, 1,258 Finnish controls\t10q25.2\t10\t112998590\tTCF7L2\tTCF7L2\t\t\t"
    "ENSG00000148737\t\t\trs7903146-T\trs7903146\t0\t7903146\tintron_variant\t0\t0.18\t1E-15\t"
    "15\t\t1.37\t[1.26-1.49]\tIllumina [315635]\tN\ttype 2 diabetes mellitus\t"
    "http://purl.obolibrary.org/obo/MONDO_0005148\tGCST000028\tGenome-wide genotyping array\n"
    "2009-09-10\t19734902\tHarold D\t2009-09-06\tNat Genet\twww.ncbi.nlm.nih.gov/pubmed/19734902\t"
    "Genome-wide association study identifies variants at CLU and PICALM associated with "
    "Alzheimer's disease.\tAlzheimer's disease\t3,941 European ancestry cases, 7,848 European "
    "ancestry controls\tNR\t19q13.32\t19\t44908684\tAPOE\tAPOE, APOC1\t\t\tENSG00000130203\t\t\t"
    "rs429358-C\trs429358\t0\t429358\tmissense_variant\t0\tNR\t2E-157\t156.69897\t\t3.68\t"
    "[3.36-4.03]\tIllumina [529205]\tN\tAlzheimer disease\t"
    "http://purl.obolibrary.org/obo/MONDO_0004975\tGCST000471\tGenome-wide genotyping array\n"
    "2008-06-09\t18391952\tWeedon MN\t2008-04-06\tNat Genet\twww.ncbi.nlm.nih.gov/pubmed/18391952\t"
    "Genome-wide association analysis identifies 20 loci that influence adult height.\tHeight\t"
    "13,665 European ancestry individuals\t16,482 European ancestry individuals\t2q37.1\t2\t"
    "234696002\tNR\tLINC01173 - ARL4C\tENSG00000225062\tENSG00000188042\t\t55614\t20313\t"
    "rs6440003-A\trs6440003\t0\t6440003\tintergenic_variant\t1\t0.59\t2E-7\t6.69897\t\t0.04\t"
    "[0.02-0.05] unit increase\tAffymetrix & Illumina [2260683] (imputed)\tN\tbody height\t"
    "http://www.ebi.ac.uk/efo/EFO_0004339\tGCST000174\tGenome-wide genotyping array\n"
)


# The disease sheet the mirror tests use: one microarray and one RNA-seq experiment.
SHEET = (
    "accession\tcontrast_id\tdisease\ttissue\tgwas_trait\tarray_design\n"
    "E-GEOD-12685\tg2_g1\tAlzheimer's disease\tBrain\tAlzheimer's disease\tA-AFFY-33\n"
    "E-GEOD-54153\tg2_g1\tsimulated\tLiver\tsimulated\t\n"
)


@dataclass
class Request:
    """One request the mirror answered."""

    path: str
    range: str | None
    status: int


@dataclass
class Mirror:
    """The running server: its base URL, the folder it serves, what it was asked, and the
    failures still to play (URL path -> list of modes: "close" = close the connection
    mid-body, or an HTTP status such as 500 or 503), each played once, in order."""

    url: str
    root: Path
    requests: list[Request] = field(default_factory=list)
    failures: dict[str, list[str | int]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail(self, path: str, *modes: str | int) -> None:
        with self.lock:
            self.failures.setdefault(path, []).extend(modes)

    def next_failure(self, path: str) -> str | int | None:
        with self.lock:
            queue = self.failures.get(path)
            return queue.pop(0) if queue else None

    def record(self, request: Request) -> None:
        with self.lock:
            self.requests.append(request)

    def asked(self, path: str) -> list[Request]:
        with self.lock:
            return [request for request in self.requests if request.path == path]

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self.failures.clear()


def _handler(mirror: Mirror) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            requested = self.headers.get("Range")
            failure = mirror.next_failure(path)
            file = mirror.root / path.lstrip("/")
            if isinstance(failure, int):
                self._answer(path, requested, failure, b"server trouble\n")
                return
            if not file.is_file():
                self._answer(path, requested, 404, b"not found\n")
                return
            body = file.read_bytes()
            etag = '"' + hashlib.md5(body).hexdigest() + '"'
            start = 0
            if requested and self.headers.get("If-Range", etag) == etag:
                start = int(requested.removeprefix("bytes=").split("-")[0])
                if start >= len(body):
                    headers = {"Content-Range": f"bytes */{len(body)}"}
                    self._answer(path, requested, 416, b"", headers)
                    return
            status = 206 if start else 200
            headers = {"ETag": etag, "Accept-Ranges": "bytes"}
            if start:
                headers["Content-Range"] = f"bytes {start}-{len(body) - 1}/{len(body)}"
            if failure == "close":
                self._answer(path, requested, status, body[start:], headers, cut=True)
            else:
                self._answer(path, requested, status, body[start:], headers)

        def _answer(
            self,
            path: str,
            requested: str | None,
            status: int,
            body: bytes,
            headers: dict[str, str] | None = None,
            cut: bool = False,
        ) -> None:
            mirror.record(Request(path, requested, status))
            self.send_response(status)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if cut:  # half the body, then hang up: the client sees a short read
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(body)

    return Handler


@pytest.fixture(scope="session")
def mirror_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mirror")
    write_mirror_files(root)
    return root


@pytest.fixture(scope="session")
def mirror_server(mirror_root: Path) -> Iterator[Mirror]:
    mirror = Mirror("", mirror_root)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(mirror))
    server.daemon_threads = True
    host, port = server.server_address[:2]
    mirror.url = f"http://{host}:{port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield mirror
    server.shutdown()
    server.server_close()


@pytest.fixture
def mirror(mirror_server: Mirror) -> Iterator[Mirror]:
    """The mirror with a clean request log and no failures pending."""
    mirror_server.reset()
    yield mirror_server
    mirror_server.reset()


def mirror_config(mirror: Mirror, sheet: str) -> dict:
    """A config that points every download at the mirror (fast retries, no job retries)."""
    base = mirror.url
    return {
        "source": "download",
        "inputs": {"disease_sheet": sheet},
        "download": {
            "urls": {
                "gtex": f"{base}/gtex",
                "archs4": f"{base}/archs4",
                "gencode": f"{base}/gencode",
                "humantfs": f"{base}/humantfs",
                "trrust": f"{base}/trrust/trrust_rawdata.human.tsv",
                "collectri": f"{base}/zenodo/CollecTRI_regulons.csv?download=1",
                "dorothea": f"{base}/omnipath/interactions?datasets=dorothea",
                "atlas": f"{base}/atlas",
                "gwas": f"{base}/{GWAS_FULL_ZIP}",
                "huggingface": f"{base}/hf",
            },
            "retries": 3,
            "backoff_seconds": 0.01,
            "timeout_seconds": 10,
            "job_retries": 0,
        },
        "expression": {"sources": ["gtex", "archs4"]},
    }


# ----------------------------------------------------------------------------------------
# The mirror's files: small, in the real formats, at the real URL layouts.


def _gzip(text: str) -> bytes:
    return gzip.compress(text.encode(), mtime=0)


def _write(root: Path, relative: str, content: bytes | str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)


def write_mirror_files(root: Path) -> None:
    """Write every file the default test config fetches into `root` (the mirror's folder)."""
    rng = np.random.default_rng(3)
    genes = [(f"ENSG{i:011d}.{i % 9 + 1}", f"GENE{i}") for i in range(1, 41)]
    samples = [f"GTEX-{d:04X}-{t}26-SM-{d}{t}" for d in range(1, 7) for t in range(1, 5)]
    tpm = "\t".join(["Name", "Description", *samples]) + "\n"
    for gene_id, symbol in genes:
        tpm += "\t".join([gene_id, symbol, *(f"{v:.3g}" for v in rng.gamma(2, 5, len(samples)))])
        tpm += "\n"
    gct = f"#1.2\n{len(genes)}\t{len(samples)}\n{tpm}"
    for version, prefix in (
        ("v10", "GTEx_Analysis_v10_RNASeQCv2.4.2"),
        ("v8", "GTEx_Analysis_2017-06-05_v8_RNASeQCv1.1.9"),
    ):
        folder = f"gtex/bulk-gex/{version}/rna-seq"
        _write(root, f"{folder}/{prefix}_gene_tpm.gct.gz", _gzip(gct))
        _write(root, f"{folder}/{prefix}_gene_reads.gct.gz", _gzip(gct.replace(".", "")))
        _write(root, f"{folder}/{prefix}_gene_median_tpm.gct.gz", _gzip(gct))
        attributes = "SAMPID\tSMATSSCR\tSMCENTER\tSMPTHNTS\tSMRIN\tSMTS\tSMTSD\tSMAFRZE\n"
        attributes += "".join(
            f'{s}\t\tB1\t2 pieces, "clean"\t7.1\tLiver\tLiver\tRNASEQ\n' for s in samples
        )
        name = f"GTEx_Analysis_{version}_Annotations_SampleAttributesDS.txt"
        _write(root, f"gtex/annotations/{version}/metadata-files/{name}", attributes)
    _write_archs4(root / "archs4" / "human_gene_v2.5.h5", rng)
    gtf = (
        "##description: evidence-based annotation of the human genome (GRCh38), version 44\n"
        "##provider: GENCODE\n##format: gtf\n"
        + "".join(
            f'chr1\tHAVANA\tgene\t{1000 * i}\t{1000 * i + 500}\t.\t+\t.\tgene_id "{gene_id}"; '
            f'gene_type "protein_coding"; gene_name "{symbol}"; level 2;\n'
            for i, (gene_id, symbol) in enumerate(genes, start=1)
        )
    )
    _write(root, "gencode/release_44/gencode.v44.annotation.gtf.gz", _gzip(gtf))
    bases = "".join(rng.choice(list("ACGT"), 50_000))
    fasta = ">chr1 1\n" + "\n".join(bases[i : i + 60] for i in range(0, len(bases), 60)) + "\n"
    _write(root, "gencode/release_44/GRCh38.primary_assembly.genome.fa.gz", _gzip(fasta))
    lambert = ',Ensembl ID,HGNC symbol,DBD,Is TF?\n"1",ENSG00000000001,GENE1,C2H2 ZF,Yes\n'
    _write(root, "humantfs/DatabaseExtract_v_1.01.csv", lambert)
    _write(root, "trrust/trrust_rawdata.human.tsv", "GENE1\tGENE2\tActivation\t1234;5678\n")
    collectri = "source,target,weight,resources,references,sign_decision\nGENE1,GENE2,1,x,1,PMID\n"
    _write(root, "zenodo/CollecTRI_regulons.csv", collectri)
    dorothea = (
        "source\ttarget\tsource_genesymbol\ttarget_genesymbol\tis_directed\tis_stimulation\t"
        "is_inhibition\tconsensus_direction\tconsensus_stimulation\tconsensus_inhibition\t"
        "dorothea_level\n"
        "P01106\tP11802\tMYC\tCDK4\t1\t1\t0\t1\t1\t0\tA;B\n"
    )
    _write(root, "omnipath/interactions", dorothea)
    _write_atlas(root / "atlas")
    _write(root, GWAS_FULL_ZIP, gwas_release_zip(GWAS_HEADER_V102 + GWAS_ROWS))
    _write(root, GWAS_PLAIN_TSV, GWAS_HEADER_V102 + GWAS_ROWS)
    for name, model in MODELS.items():
        for file_name in model.files:
            content = (
                rng.bytes(300_000)
                if file_name.endswith(".bin")
                else json.dumps({"model": name, "file": file_name}) + "\n"
            )
            _write(root, f"hf/{model.repo}/resolve/main/{file_name}", content)


def gwas_release_zip(table: str) -> bytes:
    """The GWAS Catalog's full-release zip holding `table` under its real member name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        member = zipfile.ZipInfo("gwas-catalog-download-associations-alt-full.tsv")
        member.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(member, table)
    return buffer.getvalue()


def _write_archs4(path: Path, rng: np.random.Generator) -> None:
    n_genes, n_samples = 60, 400
    genes = pd.DataFrame(
        {
            "symbol": [f"GENE{i}" for i in range(n_genes)],
            "ensembl_gene": [f"ENSG{i:011d}" for i in range(n_genes)],
        }
    )
    samples = pd.DataFrame(
        {
            "geo_accession": [f"GSM{i}" for i in range(n_samples)],
            "series_id": [f"GSE{i // 20}" for i in range(n_samples)],
            "source_name_ch1": ["liver"] * n_samples,
            "singlecellprobability": rng.random(n_samples) / 4,
            "readsaligned": np.full(n_samples, 5_000_000, dtype=np.uint32),
        }
    )
    counts = rng.poisson(50, size=(n_genes, n_samples)) * rng.integers(1, 1000, (n_genes, 1))
    write_archs4(path, counts, genes, samples)


def _write_atlas(folder: Path) -> None:
    header = "Gene ID\tGene Name\tDesign Element\tg2_g1.p-value\tg2_g1.t-statistic\t"
    microarray = (
        f"{header}g2_g1.log2foldchange\n"
        "ENSG00000000003\tTSPAN6\t209108_at\tNA\t-1.40361957997356\t-0.1\n"
    )
    rnaseq = (
        "Gene ID\tGene Name\tg2_g1.p-value\tg2_g1.log2foldchange\nPOPTR_0001s00200\t\t0.0114\t1.2\n"
    )
    configuration = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<configuration experimentType="{kind}">\n'
        "<analytics><contrasts><contrast id=\"g2_g1\"><name>'disease' vs 'normal'</name>"
        "<reference_assay_group>g2</reference_assay_group>"
        "<test_assay_group>g1</test_assay_group></contrast></contrasts></analytics>\n"
        "</configuration>\n"
    )
    _write(folder, "E-GEOD-12685/E-GEOD-12685_A-AFFY-33-analytics.tsv", microarray)
    _write(
        folder,
        "E-GEOD-12685/E-GEOD-12685-configuration.xml",
        configuration.format(kind="microarray_1colour_mrna_differential"),
    )
    _write(folder, "E-GEOD-54153/E-GEOD-54153-analytics.tsv", rnaseq)
    _write(
        folder,
        "E-GEOD-54153/E-GEOD-54153-configuration.xml",
        configuration.format(kind="rnaseq_mrna_differential"),
    )


def planned_outputs(dry_run_output: str, rule: str) -> list[str]:
    """The output of each job of `rule` that a Snakemake dry run lists, in its order."""
    return re.findall(rf"^(?:local)?rule {rule}:\n\s+output: (.+)$", dry_run_output, re.M)


def served(mirror: Mirror, relative: str) -> bytes:
    """The bytes the mirror serves at `relative` (its URL path without the leading slash)."""
    return (mirror.root / relative).read_bytes()
