"""qualcode: qualitative interview coding, offline, from Python and the command line.

The public API is small; everything else is private and may change::

    import qualcode
    result = qualcode.code_project(["transcripts/"], codebook="codebook/ai_at_work.yaml")
    print(result.workbook)

Heavy dependencies (torch, BERTopic, sentence-transformers) are imported only by the stages
that need them, never by ``import qualcode`` or the coding pass.
"""

from __future__ import annotations

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
from .model import Coding, Proposal, Segment, Source, Turn
from .pipeline import CodingResult, code_project
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
