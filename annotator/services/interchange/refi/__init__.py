"""REFI-QDA (QDA-XML 1.0) projects and codebooks: the exchange format of MAXQDA, ATLAS.ti,
NVivo and QualCoder."""
