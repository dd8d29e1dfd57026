"""Rule download: fetch one file of a public source (resumable, retried, checked).

The URL, expected checksum and transport settings are looked up from the config's
`download` section rather than passed as params: they do not change what the file is (its
path carries the version), and a changed param would make Snakemake want to overwrite
write-protected raw data, e.g. after switching to a mirror.
"""

from cistrans.io.catalogue import download_file
from cistrans.logs import rule_logging

with rule_logging(snakemake.log[0], inputs=snakemake.input):
    download_file(snakemake.config["download"], snakemake.params.path, snakemake.output[0])
