"""Exchange with NVivo, ATLAS.ti, MAXQDA, QualCoder...: the REFI-QDA standard.

    from qualcode.refi import export_project, export_codebook, import_project, import_codebook
    export_project(store, "projet.qdpx")                       # sources, codebook, decisions
    export_codebook(store.codebook(), "codes.qdc")             # the codebook alone
    result = import_project(store, "nvivo.qdpx", sources_dir="nvivo/")
    import_codebook("maxqda.qdc", "codebook/maxqda.yaml")

REFI-QDA 1.5 counts positions in Unicode code points (exclusive end), like Python strings;
line endings and other tools' habits are handled in :mod:`._offsets`; how a selection becomes
decisions on qualcode's segments is :func:`map_selection`.
"""

from ._export import MACHINE_MODES, ExportResult, export_codebook, export_project
from ._import import import_codebook, import_project
from ._mapping import COVER, map_selection
from ._result import ImportResult, Unmapped

__all__ = ["export_project", "export_codebook", "ExportResult", "MACHINE_MODES",
           "import_project", "import_codebook", "ImportResult", "Unmapped", "map_selection", "COVER"]
