"""XML and container plumbing shared by the REFI-QDA reader and writer.

REFI-QDA 1.5: a ``.qdpx`` is a ZIP holding one ``project.qde`` (QDA-XML, namespace
``urn:QDA-XML:project:1.0``) and a flat ``sources/`` folder; a ``.qdc`` is a bare codebook
(``urn:QDA-XML:codebook:1.0``). GUIDs are derived from the project id and each object's
qualcode identity, so exporting the same project twice gives the same GUIDs and another tool
can recognise what it already has.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
SIDECAR = "qualcode-project.json"  # qualcode's own data, in sources/, referenced by nothing
_GUID_NS = uuid.UUID("5d8e3c4a-8f0e-4c65-9a55-2f6e1f2b7a10")
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_GUID_RE = re.compile(r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$")


def make_guid(project_id: str, kind: str, key: str) -> str:
    """A stable GUID for one object of one project (same project, same object: same GUID)."""
    return str(uuid.uuid5(_GUID_NS, f"{project_id}\x00{kind}\x00{key}"))


def norm_guid(value: str | None) -> str | None:
    """GUIDs compare case-insensitively, with or without braces (NVivo writes {…} uppercase)."""
    if not value:
        return None
    m = _GUID_RE.match(value.strip())
    return (m.group(1) if m else value.strip()).lower()


def xml_text(value: object) -> str:
    """Text that XML 1.0 can carry: control characters it forbids become U+FFFD."""
    return _BAD_XML.sub("\ufffd", str(value))


def xml_datetime(stamp: str | None) -> str | None:
    """qualcode's ISO time ("2026-03-01T10:00:00+00:00") as an xsd:dateTime in UTC ("...Z")."""
    dt = parse_datetime(stamp)
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ") if dt else None


def parse_datetime(stamp: str | None) -> datetime | None:
    """An xsd:dateTime (with Z, an offset, fractions, or none: read as UTC); None if unreadable."""
    if not stamp:
        return None
    s = stamp.strip().replace("Z", "+00:00").replace("z", "+00:00")
    if " " in s and "T" not in s:
        s = s.replace(" ", "T", 1)
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        m = re.match(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(.*)$", s)
        if not m:
            return None
        try:
            dt = datetime.fromisoformat(m.group(1) + (m.group(3) or ""))
        except ValueError:
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)


def qualcode_time(stamp: str | None) -> str | None:
    """An xsd:dateTime as qualcode stores times (UTC, seconds, "+00:00")."""
    dt = parse_datetime(stamp)
    return dt.isoformat(timespec="seconds") if dt else None


def sub(parent: ET.Element, tag: str, ns: str = PROJECT_NS, text: str | None = None,
        **attrs: str | None) -> ET.Element:
    """A child element; attributes that are None are left out, values are made XML-safe."""
    el = ET.SubElement(parent, f"{{{ns}}}{tag}",
                       {k: xml_text(v) for k, v in attrs.items() if v is not None})
    if text is not None:
        el.text = xml_text(text)
    return el


def to_bytes(root: ET.Element, ns: str) -> bytes:
    ET.register_namespace("", ns)
    ET.indent(root, space=" ")
    # a CR in element text would be read back as LF (XML end-of-line handling): keep it as a
    # character reference (attributes are already escaped that way by ElementTree)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True).replace(b"\r", b"&#13;")


def atomic_write(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through the project's one atomic save (no half file, ever)."""
    from .._files import atomic_write as save

    return save(Path(path), lambda tmp: Path(tmp).write_bytes(data), respect_locks=False)


def local(tag: object) -> str:
    """An element's tag without its namespace ("{urn:...}Code" -> "Code")."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def kids(el: ET.Element, name: str) -> list[ET.Element]:
    """Direct children named ``name`` in any namespace (files in the wild differ)."""
    return [c for c in el if local(c.tag) == name]


def kid(el: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in el if local(c.tag) == name), None)


def kid_text(el: ET.Element, name: str) -> str:
    c = kid(el, name)
    return (c.text or "") if c is not None else ""
