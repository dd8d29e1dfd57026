"""Tissue names of the demo world, as GTEx and GEO submitters write them."""

from __future__ import annotations

from typing import NamedTuple


class Tissue(NamedTuple):
    """A tissue as GTEx names it (SMTS, SMTSD) and as GEO free text might (ARCHS4)."""

    smts: str
    smtsd: str
    geo_names: tuple[str, ...]


TISSUES: tuple[Tissue, ...] = (
    Tissue("Liver", "Liver", ("liver", "Liver tissue", "human liver biopsy")),
    Tissue("Lung", "Lung", ("lung", "Lung tissue", "normal lung")),
    Tissue("Brain", "Brain - Cortex", ("brain cortex", "Brain, frontal cortex", "cortex")),
    Tissue("Muscle", "Muscle - Skeletal", ("skeletal muscle", "Muscle biopsy", "vastus lateralis")),
    Tissue("Blood", "Whole Blood", ("whole blood", "peripheral blood", "Blood")),
    Tissue("Heart", "Heart - Left Ventricle", ("heart left ventricle", "Heart", "cardiac tissue")),
    Tissue("Skin", "Skin - Sun Exposed (Lower leg)", ("skin", "Skin biopsy", "epidermis")),
    Tissue("Adipose Tissue", "Adipose - Subcutaneous", ("subcutaneous adipose", "fat", "Adipose")),
    Tissue("Thyroid", "Thyroid", ("thyroid", "Thyroid gland", "thyroid tissue")),
    Tissue("Colon", "Colon - Transverse", ("colon", "Colon mucosa", "transverse colon")),
    Tissue("Stomach", "Stomach", ("stomach", "gastric mucosa", "Stomach body")),
    Tissue("Pancreas", "Pancreas", ("pancreas", "Pancreatic tissue", "pancreas islets")),
    Tissue("Kidney", "Kidney - Cortex", ("kidney", "renal cortex", "Kidney tissue")),
    Tissue("Spleen", "Spleen", ("spleen", "Spleen tissue", "splenic tissue")),
    Tissue("Breast", "Breast - Mammary Tissue", ("breast", "mammary gland", "Breast tissue")),
)
