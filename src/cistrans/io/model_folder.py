"""Hugging Face model folders, fetched file by file for offline use on compute nodes.

Each file of a model (the list in `cistrans.io.catalogue.MODELS`) comes from
`<endpoint>/<repo>/resolve/<revision>/<file>` through `cistrans.io.transfer.fetch`
(resumable, retried, checked) into `<folder>.part/`; the folder is moved into place when
every file has arrived, so a model folder is always complete.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cistrans.io.catalogue import MODELS, model_file, transport
from cistrans.io.transfer import PART_SUFFIX, fetch

log = logging.getLogger(__name__)


def download_model(settings: Mapping[str, Any], model: str, destination: str | Path) -> Path:
    """Fetch every file of Hugging Face model `model` (a key of `MODELS`) into `destination`.

    settings: the `download` section of the config (endpoint, revisions, transport). Files
    are fetched into `<destination>.part/` (each one resumable; files completed by an earlier
    attempt are kept) and the folder is moved into place when all have arrived, so a folder
    at `destination` is always complete. Returns `destination`.
    """
    folder = Path(destination)
    staging = folder.with_name(folder.name + PART_SUFFIX)
    for file_name in MODELS[model].files:
        if (staging / file_name).is_file():  # only ever moved there complete and checked
            log.info("%s: kept from an earlier attempt", file_name)
            continue
        remote = model_file(settings, model, file_name)
        fetch(
            remote.url,
            staging / file_name,
            checksum=remote.checksum,
            size=remote.size,
            **transport(settings),
        )
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
    os.replace(staging, folder)
    log.info("model %s (%s) complete in %s", model, MODELS[model].repo, folder)
    return folder


__all__ = ["download_model"]
