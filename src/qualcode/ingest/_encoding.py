"""Decode transcript bytes without losing French accents.

Order: byte-order mark, then strict UTF-8, then charset-normalizer, then cp1252. One guard
sits between the last two: charset-normalizer often calls short French cp1252 text "cp1250"
(Central European), which turns "œ" and "’" into other letters. So its guess is kept only
when it reads as plausible French/English text at least as well as the Western code pages do.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from qualcode._i18n import Message
from qualcode.errors import IngestError

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
)

# Non-ASCII characters that are normal in French or English interviews.
_EXPECTED = frozenset("éèêëàâäçùûüôöîïÿœæÉÈÊËÀÂÄÇÙÛÜÔÖÎÏŸŒÆ’‘“”«»–—…°€£§·\u00a0\u202f")
_WESTERN = ("cp1252", "mac_roman", "cp850")


def _plausibility(text: str) -> int:
    """Higher when the non-ASCII characters look like French/English, lower for mojibake."""
    score = 0
    for ch in text:
        if ch < "\x80":
            continue
        if ch in _EXPECTED:
            score += 1
        elif ch.isalpha():
            score -= 1  # a real letter, but not one these interviews usually contain
        else:
            score -= 3  # symbols and controls such as "‚", "Ž", "\x8d": typical mojibake
    return score


def _looks_binary(text: str) -> bool:
    """Control characters other than tab/newline/form feed mean this is not a transcript."""
    sample = text[:20000]
    if not sample:
        return False
    controls = sum(1 for ch in sample if ch not in "\t\n\r\f" and unicodedata.category(ch) == "Cc")
    return controls > max(2, len(sample) // 100)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a BOM: one zero byte every other byte for mostly-Latin text."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_zeros = sample[0::2].count(0) / len(sample[0::2])
    odd_zeros = sample[1::2].count(0) / len(sample[1::2])
    if odd_zeros > 0.3 and even_zeros < 0.05:
        return "utf-16-le"
    if even_zeros > 0.3 and odd_zeros < 0.05:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes, where: str) -> tuple[str, str]:
    """Return (text, encoding name). Raises IngestError for empty or binary content.

    ``where`` names the file in error messages. The text keeps its line ends; callers
    normalise them.
    """
    if not data.strip():
        raise IngestError(Message("msg.ingest.empty_file", where=where))
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), name
            except UnicodeDecodeError as exc:
                raise IngestError(Message("msg.ingest.bad_bom", where=where, name=name, byte=exc.start)
                                  ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _checked(text, "utf-8", where)

    mixed = _mixed_utf8(data)
    if mixed is not None:
        return _checked(mixed, "utf-8+cp1252", where)

    if b"\x00" in data:
        codec = _utf16_without_bom(data)
        if codec:
            try:
                return _checked(data.decode(codec), codec, where)
            except UnicodeDecodeError:
                pass
        raise _binary_error(where)

    candidates: list[tuple[int, float, str, str]] = []  # (score, preference, text, name)
    for pref, codec in enumerate(_WESTERN):
        try:
            decoded = data.decode(codec)
        except UnicodeDecodeError:
            continue
        candidates.append((_plausibility(decoded), -pref - 1.0, decoded, codec))
    guess = _charset_normalizer_guess(data)
    if guess is not None:
        decoded, codec = guess
        # Ranked just after cp1252 on ties: cp1252 is what French Windows software writes.
        candidates.append((_plausibility(decoded), -1.5, decoded, codec))
    if candidates:
        _, _, decoded, codec = max(candidates, key=lambda c: (c[0], c[1]))
        return _checked(decoded, codec, where)
    return _checked(data.decode("latin-1"), "latin-1", where)


_UTF8_SEQ = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: bytes that are not UTF-8 are read as cp1252 (latin-1 if undefined)."""
    assert isinstance(exc, UnicodeDecodeError)
    bad = exc.object[exc.start:exc.end]
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in bad), exc.end


codecs.register_error("qualcode-cp1252", _cp1252_fallback)


def _mixed_utf8(data: bytes) -> str | None:
    """Text that is UTF-8 in places and cp1252 elsewhere (files pasted together), or None.

    Decoding such a file wholly as cp1252 turns every UTF-8 accent into mojibake
    ("EnquÃªteur"), and the speaker labels with it; here each byte sequence that is valid
    UTF-8 is read as UTF-8 and only the others as cp1252. A UTF-8 sequence must spell a
    usual French or English character (é, ’...), so that a genuine cp1252 file is not affected.
    """
    if b"\x00" in data:
        return None
    seqs = _UTF8_SEQ.findall(data[:1_000_000])
    if not any(seq.decode("utf-8") in _EXPECTED for seq in seqs):
        return None
    return data.decode("utf-8", errors="qualcode-cp1252")


def _charset_normalizer_guess(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes  # imported lazily: only legacy files need it

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        return None
    return str(best), best.encoding


def _checked(text: str, encoding: str, where: str) -> tuple[str, str]:
    if _looks_binary(text):
        raise _binary_error(where)
    return text, encoding


def _binary_error(where: str) -> IngestError:
    return IngestError(Message("msg.ingest.binary", where=where))
