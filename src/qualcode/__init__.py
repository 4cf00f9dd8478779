"""qualcode: qualitative interview coding, offline, from Python and the command line.

The public API is small; everything else is private and may change::

    import qualcode
    result = qualcode.code_project(["transcripts/"], codebook="codebook/ai_at_work.yaml")
    print(result.workbook)

Heavy dependencies (torch, BERTopic, sentence-transformers) are imported only by the stages
that need them, never by ``import qualcode`` or the coding pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._files import DEFAULT_DB, DEFAULT_OUT
from ._version import __version__
from .codebook import Code, Codebook, load_codebook, parse_codebook
from .coders import Coder, available_coders, get_coder
from .errors import (
    CodebookError,
    CoderError,
    ConfigError,
    ExchangeError,
    IngestError,
    OutputError,
    QualcodeError,
    ReviewImportError,
    StoreError,
)
from .ingest import SpeakerConfig, TableSpec
from .model import Coding, Proposal, Segment, Source, Turn
from .pipeline import CodingResult, Progress, coding_pass
from .segment import segment_source
from .store import Store

__all__ = [
    "__version__",
    "code_project", "CodingResult",
    "load_codebook", "parse_codebook", "Codebook", "Code",
    "Coder", "get_coder", "available_coders",
    "Store", "segment_source",
    "Source", "Turn", "Segment", "Proposal", "Coding",
    "QualcodeError", "IngestError", "CodebookError", "StoreError", "ReviewImportError",
    "CoderError", "ConfigError", "ExchangeError", "OutputError",
]


def code_project(
    paths: Sequence[str | Path],
    *,
    codebook: str | Path | Codebook | None = None,
    participants: str | Path | None = None,
    db: str | Path = DEFAULT_DB,
    out: str | Path | None = DEFAULT_OUT,
    unit: str = "turn",
    coder: str | Coder = "ensemble",
    coder_options: dict[str, Any] | None = None,
    speakers: SpeakerConfig | None = None,
    table: TableSpec | None = None,
    language: str | None = None,
    progress: Progress | None = None,
) -> CodingResult:
    """Ingest ``paths``, segment, code with ``coder``, store a new pass
    (:func:`qualcode.pipeline.coding_pass`) and write ``out/coded.xlsx`` (none when ``out`` is
    None). Files that cannot be read are reported in ``CodingResult.errors``; the others are coded.
    """
    from .export import write_project_workbook  # lazy: openpyxl and pandas only when writing

    cb = codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
    result = coding_pass(paths, codebook=cb, participants=participants, db=db, unit=unit, coder=coder,
                         coder_options=coder_options, speakers=speakers, table=table, language=language,
                         progress=progress)
    if out is not None:
        result.workbook = write_project_workbook(db, out, codebook=cb, progress=progress)
    return result
