"""The project database: an embedded SQLite file holding everything a project knows.

Sources, segments, codebook versions, coding passes and codings (machine and human). Rows
are only ever added or marked superseded, never deleted, so that a second pass never erases
an earlier one and a human decision is never lost. The "latest state" that outputs show is a
query: the newest human decision on a (segment, code) wins, else the newest machine pass.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .codebook import Codebook, parse_codebook
from .errors import StoreError
from .model import Coding, Proposal, Segment, Source, Turn, segment_attributes

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS sources (
    id TEXT PRIMARY KEY, path TEXT, format TEXT, sha256 TEXT, encoding TEXT, language TEXT,
    text TEXT, attributes TEXT, turns TEXT, ingested_at TEXT);
CREATE TABLE IF NOT EXISTS segments (
    id TEXT PRIMARY KEY, source_id TEXT, turn_index INTEGER, start INTEGER, "end" INTEGER,
    text TEXT, text_sha TEXT, speaker TEXT, question TEXT, timestamp TEXT, language TEXT,
    unit TEXT, ord INTEGER, active INTEGER DEFAULT 1);
CREATE INDEX IF NOT EXISTS segments_source ON segments(source_id);
CREATE TABLE IF NOT EXISTS codebooks (
    version TEXT PRIMARY KEY, name TEXT, path TEXT, yaml TEXT, loaded_at TEXT);
CREATE TABLE IF NOT EXISTS passes (
    id INTEGER PRIMARY KEY, coder TEXT, coder_version TEXT, kind TEXT, codebook_version TEXT,
    started_at TEXT, finished_at TEXT, n_segments INTEGER, params TEXT);
CREATE TABLE IF NOT EXISTS codings (
    id INTEGER PRIMARY KEY, pass_id INTEGER, segment_id TEXT, code_id TEXT, applied INTEGER,
    confidence REAL, evidence TEXT, votes TEXT, coder TEXT, coder_kind TEXT,
    codebook_version TEXT, created_at TEXT, memo TEXT DEFAULT '', segment_sha TEXT,
    origin TEXT DEFAULT '', superseded_by INTEGER);
CREATE INDEX IF NOT EXISTS codings_pass ON codings(pass_id, segment_id);
CREATE INDEX IF NOT EXISTS codings_seg ON codings(segment_id, code_id);
CREATE TABLE IF NOT EXISTS pass_segments (pass_id INTEGER, segment_id TEXT,
    PRIMARY KEY (segment_id, pass_id));
CREATE TABLE IF NOT EXISTS latest_machine (segment_id TEXT PRIMARY KEY, pass_id INTEGER);
CREATE TABLE IF NOT EXISTS coding_cache (
    coder_version TEXT, codebook_version TEXT, text_sha TEXT, proposals TEXT,
    PRIMARY KEY (coder_version, codebook_version, text_sha));
"""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def text_sha(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Effective:
    """The latest state of one (segment, code): what outputs show."""

    applied: bool
    confidence: float | None
    evidence: list[str]
    coder: str
    reviewed: bool  # True when a human decided
    memo: str = ""


class Store:
    """A project database. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: str | Path, create: bool = True):
        self.path = Path(path)
        if not create and not self.path.exists():
            raise StoreError(f"{self.path}: no project database here; run `qualcode code` first "
                             "or point --db at the project's database")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a qualcode project database ({exc}); "
                             "choose another --db path") from None
        self.db.execute("PRAGMA synchronous=NORMAL")
        if self.meta("project_id") is None:
            with self.db:
                self.db.execute("INSERT OR IGNORE INTO meta VALUES ('project_id', ?)", (uuid.uuid4().hex,))
                self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
                self.db.execute("INSERT OR IGNORE INTO meta VALUES ('created_at', ?)", (now(),))

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    @property
    def project_id(self) -> str:
        return self.meta("project_id") or ""

    # -- sources and segments ----------------------------------------------------------------

    def source_shas(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT id, sha256 FROM sources"))

    def save_sources(self, sources: Iterable[Source]) -> None:
        rows = [(s.id, s.path, s.format, s.sha256, s.encoding, s.language, s.text,
                 json.dumps(s.attributes, ensure_ascii=False, default=str),
                 json.dumps([t.__dict__ for t in s.turns]), now()) for s in sources]
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO sources VALUES (?,?,?,?,?,?,?,?,?,?)", rows)

    def sources(self, ids: Sequence[str] | None = None) -> list[Source]:
        q = "SELECT id, path, format, sha256, encoding, language, text, attributes, turns FROM sources"
        rows = self.db.execute(q + " ORDER BY id").fetchall()
        want = set(ids) if ids is not None else None
        return [Source(id=r[0], path=r[1], format=r[2], sha256=r[3], encoding=r[4], language=r[5],
                       text=r[6], attributes=json.loads(r[7] or "{}"),
                       turns=[Turn(**t) for t in json.loads(r[8] or "[]")])
                for r in rows if want is None or r[0] in want]

    def replace_segments(self, source_id: str, segments: Sequence[Segment], unit: str) -> None:
        """Make ``segments`` the active segments of a source; earlier ones are kept, inactive."""
        with self.db:
            self.db.execute("UPDATE segments SET active=0 WHERE source_id=?", (source_id,))
            self.db.executemany(
                'INSERT OR REPLACE INTO segments VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,1)',
                [(s.id, s.source_id, s.turn_index, s.start, s.end, s.text, text_sha(s.text),
                  s.speaker, s.question, s.timestamp, s.language, unit, k)
                 for k, s in enumerate(segments)])

    def active_units(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT DISTINCT unit FROM segments WHERE active=1")}

    def segments(self, source_ids: Sequence[str] | None = None) -> list[Segment]:
        """Active segments, in source then document order, with their source's attributes."""
        attrs = {r[0]: json.loads(r[1] or "{}") for r in self.db.execute("SELECT id, attributes FROM sources")}
        rows = self.db.execute(
            'SELECT id, source_id, turn_index, start, "end", text, speaker, question, timestamp, language '
            "FROM segments WHERE active=1 ORDER BY source_id, ord").fetchall()
        want = set(source_ids) if source_ids is not None else None
        return [Segment(id=r[0], source_id=r[1], turn_index=r[2], start=r[3], end=r[4], text=r[5],
                        speaker=r[6] or "", question=r[7] or "", timestamp=r[8], language=r[9],
                        attributes=segment_attributes(attrs.get(r[1], {}), r[6] or ""))
                for r in rows if want is None or r[1] in want]

    def segment_shas(self, active_only: bool = True) -> dict[str, str]:
        q = "SELECT id, text_sha FROM segments" + (" WHERE active=1" if active_only else "")
        return dict(self.db.execute(q))

    # -- codebooks ---------------------------------------------------------------------------

    def save_codebook(self, cb: Codebook) -> None:
        with self.db:
            self.db.execute("INSERT OR IGNORE INTO codebooks VALUES (?,?,?,?,?)",
                            (cb.version, cb.name, cb.path, cb.raw, now()))
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('codebook_version', ?)", (cb.version,))

    def codebook(self, version: str | None = None) -> Codebook:
        """A stored codebook version (the latest used when ``version`` is None)."""
        version = version or self.meta("codebook_version")
        row = self.db.execute("SELECT yaml, path FROM codebooks WHERE version=?", (version,)).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: no codebook stored; run `qualcode code` first")
        return parse_codebook(row[0], row[1])

    # -- passes and codings ------------------------------------------------------------------

    def start_pass(self, coder: str, coder_version: str, kind: str, codebook_version: str,
                   params: dict[str, Any] | None = None) -> int:
        with self.db:
            cur = self.db.execute(
                "INSERT INTO passes (coder, coder_version, kind, codebook_version, started_at, params) "
                "VALUES (?,?,?,?,?,?)", (coder, coder_version, kind, codebook_version, now(),
                                         json.dumps(params or {}, default=str)))
        return int(cur.lastrowid or 0)

    def finish_pass(self, pass_id: int, n_segments: int) -> None:
        """Mark a pass complete; its codings become the segments' current machine proposals."""
        with self.db:
            self.db.execute("UPDATE passes SET finished_at=?, n_segments=? WHERE id=?",
                            (now(), n_segments, pass_id))
            kind = self.db.execute("SELECT kind FROM passes WHERE id=?", (pass_id,)).fetchone()
            if kind and kind[0] == "machine":
                self.db.execute("INSERT OR REPLACE INTO latest_machine SELECT segment_id, pass_id "
                                "FROM pass_segments WHERE pass_id=?", (pass_id,))

    def passes(self) -> list[dict[str, Any]]:
        cols = ["id", "coder", "coder_version", "kind", "codebook_version", "started_at",
                "finished_at", "n_segments", "params"]
        return [dict(zip(cols, r)) for r in self.db.execute(f"SELECT {', '.join(cols)} FROM passes ORDER BY id")]

    def add_machine_codings(self, pass_id: int, coder: str, codebook_version: str,
                            segments: Sequence[Segment], proposals: Sequence[Sequence[Proposal]]) -> int:
        """Store a machine pass: one row per (segment, code) the coder had an opinion on."""
        ts = now()
        rows = [(pass_id, seg.id, p.code_id, int(p.applied), p.confidence,
                 json.dumps(p.evidence, ensure_ascii=False), json.dumps(p.votes), coder, "machine",
                 codebook_version, ts, text_sha(seg.text))
                for seg, props in zip(segments, proposals) for p in props]
        with self.db:
            self.db.executemany(
                "INSERT INTO codings (pass_id, segment_id, code_id, applied, confidence, evidence, "
                "votes, coder, coder_kind, codebook_version, created_at, segment_sha) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
            self.db.executemany("INSERT OR IGNORE INTO pass_segments VALUES (?, ?)",
                                [(pass_id, seg.id) for seg in segments])
        return len(rows)

    def cached_proposals(self, coder_version: str, codebook_version: str,
                         shas: Sequence[str]) -> dict[str, list[Proposal]]:
        """Proposals already computed for these texts by the same coder and codebook version."""
        out: dict[str, list[Proposal]] = {}
        want = list(set(shas))
        for k in range(0, len(want), 900):
            chunk = want[k:k + 900]
            q = (f"SELECT text_sha, proposals FROM coding_cache WHERE coder_version=? AND "
                 f"codebook_version=? AND text_sha IN ({','.join('?' * len(chunk))})")
            for sha, props in self.db.execute(q, (coder_version, codebook_version, *chunk)):
                out[sha] = [Proposal(**p) for p in json.loads(props)]
        return out

    def cache_proposals(self, coder_version: str, codebook_version: str,
                        items: Iterable[tuple[str, Sequence[Proposal]]]) -> None:
        rows = [(coder_version, codebook_version, sha,
                 json.dumps([p.__dict__ for p in props], ensure_ascii=False)) for sha, props in items]
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO coding_cache VALUES (?,?,?,?)", rows)

    def add_human_codings(self, codings: Sequence[Coding], origin: str) -> int:
        """Store human decisions; each supersedes the same reviewer's previous one on its (segment, code).

        A decision identical to the current one (same value and memo) is skipped, so that
        importing the same workbook twice changes nothing. Returns how many were stored.
        """
        current = {(r[1], r[2], r[5]): (r[0], r[3], r[4]) for r in self.db.execute(
            "SELECT id, segment_id, code_id, applied, memo, coder FROM codings "
            "WHERE coder_kind='human' AND superseded_by IS NULL ORDER BY id")}
        shas = self.segment_shas(active_only=False)
        added = 0
        with self.db:
            for c in codings:
                key = (c.segment_id, c.code_id, c.coder)
                prev = current.get(key)
                if prev and bool(prev[1]) == c.applied and (prev[2] or "") == (c.memo or ""):
                    continue
                cur = self.db.execute(
                    "INSERT INTO codings (pass_id, segment_id, code_id, applied, confidence, evidence, "
                    "votes, coder, coder_kind, codebook_version, created_at, memo, segment_sha, origin) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (c.pass_id, c.segment_id, c.code_id, int(c.applied), c.confidence,
                     json.dumps(c.evidence, ensure_ascii=False), "{}", c.coder, "human",
                     c.codebook_version, c.created_at, c.memo or "", shas.get(c.segment_id), origin))
                if prev:
                    self.db.execute("UPDATE codings SET superseded_by=? WHERE id=?", (cur.lastrowid, prev[0]))
                current[key] = (cur.lastrowid, int(c.applied), c.memo or "")
                added += 1
        return added

    def human_codings(self, include_superseded: bool = False) -> list[Coding]:
        q = ("SELECT segment_id, code_id, applied, confidence, evidence, coder, codebook_version, "
             "created_at, pass_id, memo FROM codings WHERE coder_kind='human'")
        if not include_superseded:
            q += " AND superseded_by IS NULL"
        return [Coding(r[0], r[1], bool(r[2]), r[3], json.loads(r[4] or "[]"), r[5], "human", r[6],
                       r[7], r[8], r[9] or "") for r in self.db.execute(q + " ORDER BY id")]

    def machine_codings(self, pass_id: int | None = None) -> dict[tuple[str, str], Effective]:
        """Codings of one pass, or (default) of the newest finished machine pass of each segment."""
        if pass_id is not None:
            q = ("SELECT segment_id, code_id, applied, confidence, evidence, coder FROM codings "
                 "WHERE pass_id=?")
            rows = self.db.execute(q, (pass_id,))
        else:
            rows = self.db.execute(
                "SELECT c.segment_id, c.code_id, c.applied, c.confidence, c.evidence, c.coder "
                "FROM latest_machine l JOIN codings c ON c.pass_id = l.pass_id AND c.segment_id = l.segment_id")
        return {(r[0], r[1]): Effective(bool(r[2]), r[3], json.loads(r[4] or "[]"), r[5], False)
                for r in rows}

    def effective(self, reviewer: str | None = None) -> dict[tuple[str, str], Effective]:
        """Latest state: each segment's newest machine pass, overridden by the newest human decisions.

        With ``reviewer``, only that reviewer's decisions override (for per-coder outputs).
        """
        state = self.machine_codings()
        q = ("SELECT segment_id, code_id, applied, coder, memo FROM codings "
             "WHERE coder_kind='human' AND superseded_by IS NULL")
        args: tuple[Any, ...] = ()
        if reviewer:
            q += " AND coder=?"
            args = (reviewer,)
        for seg, code, applied, coder, memo in self.db.execute(q + " ORDER BY created_at, id", args):
            prev = state.get((seg, code))
            state[(seg, code)] = Effective(bool(applied), prev.confidence if prev else None,
                                           prev.evidence if prev else [], coder, True, memo or "")
        return state

    def machine_coded_segments(self) -> set[str]:
        """Segments some finished machine pass coded (a pass covers a segment even when it
        proposed nothing for it: "no proposal" then means "not applied", not "unknown")."""
        return {r[0] for r in self.db.execute(
            "SELECT DISTINCT ps.segment_id FROM pass_segments ps JOIN passes p ON p.id = ps.pass_id "
            "WHERE p.kind='machine' AND p.finished_at IS NOT NULL")}
