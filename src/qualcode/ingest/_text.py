"""Plain-text and Markdown transcripts, with optional YAML front matter."""

from __future__ import annotations

import re
from typing import Any

from qualcode._i18n import Message
from qualcode.errors import IngestError

#: Front matter holds a few attributes (role: manager); anything larger is not metadata.
MAX_FRONT_MATTER_CHARS = 20_000
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)


def split_front_matter(text: str, where: str) -> tuple[dict[str, Any], str]:
    """(attributes, body). The body is everything after the closing "---" line.

    A leading "---" block that is not a YAML mapping (a horizontal rule, prose) is left in the
    body; a block that is broken YAML is an error, since the researcher clearly meant metadata.
    """
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    import yaml  # lazily: most transcripts have no front matter

    from qualcode._yaml import YamlLimitError, safe_load

    try:
        data = safe_load(m.group(1) or "", MAX_FRONT_MATTER_CHARS, first_line=2)
    except YamlLimitError as exc:
        raise IngestError(Message("msg.ingest.front_matter_refused", where=where, error=exc.args[0])
                          ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = Message("msg.ingest.front_matter_line", line=mark.line + 2) if mark is not None else ""
        raise IngestError(Message("msg.ingest.front_matter_yaml", where=where, line=line,
                                  problem=getattr(exc, "problem", None) or exc)) from None
    if data is None:
        return {}, text[m.end() :]
    if not isinstance(data, dict):
        return {}, text
    return {str(k): _plain(v) for k, v in data.items()}, text[m.end() :]


def _plain(value: Any) -> Any:
    """YAML dates become ISO strings so that attributes stay JSON-serialisable."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
