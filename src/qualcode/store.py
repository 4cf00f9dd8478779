"""The project database: an embedded SQLite file holding everything a project knows.

Sources (with every version of their text), segments (of every version), codebook versions,
coding passes and codings (machine and human). Rows are only ever added or marked
superseded, never deleted, so that a second pass never erases an earlier one and a human
decision is never lost.

A human decision is bound to the exact words it was made on (the segment's text hash), not
to a segment id: when a transcript is edited and re-coded, each decision is re-attached to
the segment of the new version whose text is identical (answers that moved keep their
decisions); a decision whose words are gone is *stale*: kept, listed, never shown on other
words. Several reviewers keep their own decisions; when they disagree the latest state says
so (``Effective.disputed``) unless an adjudicator decided.

The schema is versioned with ``PRAGMA user_version`` and numbered migrations (``_MIGRATIONS``):
a fresh database runs the same steps from 0, a database from an older qualcode is upgraded
with every row kept, one from a newer qualcode is refused.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .codebook import Codebook, parse_codebook
from .errors import StoreError
from .model import Coding, Proposal, Segment, Source, Turn, segment_attributes

REVIEWER, ADJUDICATOR = "reviewer", "adjudicator"


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def text_sha(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


# -- schema ----------------------------------------------------------------------------------

def _m001(db: sqlite3.Connection) -> None:
    """Initial schema (qualcode 0.1: sources, segments, codebooks, passes, codings, cache)."""
    for stmt in (
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)",
        "CREATE TABLE IF NOT EXISTS sources (id TEXT PRIMARY KEY, path TEXT, format TEXT, sha256 TEXT, "
        "encoding TEXT, language TEXT, text TEXT, attributes TEXT, turns TEXT, ingested_at TEXT)",
        'CREATE TABLE IF NOT EXISTS segments (id TEXT PRIMARY KEY, source_id TEXT, turn_index INTEGER, '
        'start INTEGER, "end" INTEGER, text TEXT, text_sha TEXT, speaker TEXT, question TEXT, '
        "timestamp TEXT, language TEXT, unit TEXT, ord INTEGER, active INTEGER DEFAULT 1)",
        "CREATE INDEX IF NOT EXISTS segments_source ON segments(source_id)",
        "CREATE TABLE IF NOT EXISTS codebooks (version TEXT PRIMARY KEY, name TEXT, path TEXT, "
        "yaml TEXT, loaded_at TEXT)",
        "CREATE TABLE IF NOT EXISTS passes (id INTEGER PRIMARY KEY, coder TEXT, coder_version TEXT, "
        "kind TEXT, codebook_version TEXT, started_at TEXT, finished_at TEXT, n_segments INTEGER, "
        "params TEXT)",
        "CREATE TABLE IF NOT EXISTS codings (id INTEGER PRIMARY KEY, pass_id INTEGER, segment_id TEXT, "
        "code_id TEXT, applied INTEGER, confidence REAL, evidence TEXT, votes TEXT, coder TEXT, "
        "coder_kind TEXT, codebook_version TEXT, created_at TEXT, memo TEXT DEFAULT '', "
        "segment_sha TEXT, origin TEXT DEFAULT '', superseded_by INTEGER)",
        "CREATE INDEX IF NOT EXISTS codings_pass ON codings(pass_id, segment_id)",
        "CREATE INDEX IF NOT EXISTS codings_seg ON codings(segment_id, code_id)",
        "CREATE TABLE IF NOT EXISTS pass_segments (pass_id INTEGER, segment_id TEXT, "
        "PRIMARY KEY (segment_id, pass_id))",
        "CREATE TABLE IF NOT EXISTS latest_machine (segment_id TEXT PRIMARY KEY, pass_id INTEGER)",
        "CREATE TABLE IF NOT EXISTS coding_cache (coder_version TEXT, codebook_version TEXT, "
        "text_sha TEXT, proposals TEXT, PRIMARY KEY (coder_version, codebook_version, text_sha))",
    ):
        db.execute(stmt)


def _m002(db: sqlite3.Connection) -> None:
    """Source identity by path and versions; decisions bound to text; reviewers; constraints."""
    x = db.execute
    # sources: identified by ``key`` (path relative to the project folder); every text version kept
    x("ALTER TABLE sources ADD COLUMN key TEXT")
    x("ALTER TABLE sources ADD COLUMN version INTEGER NOT NULL DEFAULT 1")
    x("CREATE UNIQUE INDEX sources_key ON sources(key) WHERE key IS NOT NULL")
    x("CREATE TABLE source_versions (source_id TEXT NOT NULL REFERENCES sources(id), "
      "version INTEGER NOT NULL CHECK (version >= 1), path TEXT, format TEXT, sha256 TEXT NOT NULL, "
      "encoding TEXT, language TEXT, text TEXT NOT NULL, attributes TEXT, turns TEXT, ingested_at TEXT, "
      "PRIMARY KEY (source_id, version))")
    x("INSERT INTO source_versions SELECT id, 1, path, format, coalesce(sha256, ''), encoding, language, "
      "coalesce(text, ''), attributes, turns, ingested_at FROM sources")
    # segments: one row per (id, source version, unit); older versions stay, inactive
    x('CREATE TABLE segments2 (uid INTEGER PRIMARY KEY, id TEXT NOT NULL, source_id TEXT NOT NULL, '
      'version INTEGER NOT NULL DEFAULT 1, turn_index INTEGER, start INTEGER NOT NULL, '
      '"end" INTEGER NOT NULL, text TEXT NOT NULL, text_sha TEXT NOT NULL, speaker TEXT, question TEXT, '
      'timestamp TEXT, language TEXT, unit TEXT NOT NULL, ord INTEGER, '
      'active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)), CHECK ("end" >= start), '
      "UNIQUE (id, version, unit, text_sha))")
    x('INSERT INTO segments2 (id, source_id, version, turn_index, start, "end", text, text_sha, speaker, '
      "question, timestamp, language, unit, ord, active) SELECT id, coalesce(source_id, ''), 1, turn_index, "
      'coalesce(start, 0), coalesce("end", 0), coalesce(text, \'\'), coalesce(text_sha, \'\'), speaker, '
      "question, timestamp, language, coalesce(unit, 'turn'), ord, coalesce(active, 1) FROM segments")
    x("DROP TABLE segments")
    x("ALTER TABLE segments2 RENAME TO segments")
    x("CREATE INDEX segments_source ON segments(source_id, active)")
    x("CREATE INDEX segments_sha ON segments(text_sha)")
    # codings: constraints, the decision's source, withdrawals, roles and import provenance
    x("CREATE TABLE imports (id INTEGER PRIMARY KEY, path TEXT, export_id TEXT, exported_at TEXT, "
      "exported_for TEXT, reviewer TEXT NOT NULL, role TEXT NOT NULL DEFAULT 'reviewer' "
      "CHECK (role IN ('reviewer', 'adjudicator')), imported_at TEXT NOT NULL, forced INTEGER NOT NULL "
      "DEFAULT 0)")
    x("CREATE TABLE codings2 (id INTEGER PRIMARY KEY, pass_id INTEGER REFERENCES passes(id), "
      "segment_id TEXT NOT NULL, code_id TEXT NOT NULL, applied INTEGER NOT NULL CHECK (applied IN (0, 1)), "
      "confidence REAL, evidence TEXT, votes TEXT, coder TEXT NOT NULL, "
      "coder_kind TEXT NOT NULL CHECK (coder_kind IN ('machine', 'human')), codebook_version TEXT, "
      "created_at TEXT, memo TEXT NOT NULL DEFAULT '', segment_sha TEXT, origin TEXT NOT NULL DEFAULT '', "
      "superseded_by INTEGER REFERENCES codings2(id), source_id TEXT, "
      "withdrawn INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)), "
      "role TEXT NOT NULL DEFAULT 'reviewer' CHECK (role IN ('reviewer', 'adjudicator')), "
      "import_id INTEGER REFERENCES imports(id))")
    x("INSERT INTO codings2 (id, pass_id, segment_id, code_id, applied, confidence, evidence, votes, coder, "
      "coder_kind, codebook_version, created_at, memo, segment_sha, origin, superseded_by) "
      "SELECT id, pass_id, segment_id, code_id, coalesce(applied, 0), confidence, evidence, votes, "
      "coalesce(coder, ''), coalesce(coder_kind, 'machine'), codebook_version, created_at, "
      "coalesce(memo, ''), segment_sha, coalesce(origin, ''), superseded_by FROM codings")
    x("DROP TABLE codings")
    x("ALTER TABLE codings2 RENAME TO codings")
    x("CREATE INDEX codings_pass ON codings(pass_id, segment_id)")
    x("CREATE INDEX codings_human_current ON codings(coder, code_id) "
      "WHERE coder_kind = 'human' AND superseded_by IS NULL")
    # decisions of 0.1 carry no source and may lack the hash: take them from their segment
    x("UPDATE codings SET source_id = (SELECT s.source_id FROM segments s WHERE s.id = codings.segment_id "
      "ORDER BY s.active DESC LIMIT 1) WHERE coder_kind = 'human'")
    x("UPDATE codings SET segment_sha = (SELECT s.text_sha FROM segments s WHERE s.id = codings.segment_id "
      "AND s.active = 1) WHERE coder_kind = 'human' AND segment_sha IS NULL")
    # machine state per segment remembers the text it was computed on
    x("ALTER TABLE pass_segments ADD COLUMN text_sha TEXT")
    x("ALTER TABLE latest_machine ADD COLUMN text_sha TEXT")
    x("UPDATE latest_machine SET text_sha = (SELECT s.text_sha FROM segments s "
      "WHERE s.id = latest_machine.segment_id AND s.active = 1)")
    x("CREATE TABLE code_aliases (old TEXT PRIMARY KEY, new TEXT NOT NULL, created_at TEXT, origin TEXT, "
      "CHECK (old <> new))")
    x("DELETE FROM meta WHERE key = 'schema_version'")  # the version lives in PRAGMA user_version


_MIGRATIONS: list[tuple[int, str, Callable[[sqlite3.Connection], None]]] = [
    (1, "initial schema", _m001),
    (2, "source versions, decisions bound to text, reviewers, constraints", _m002),
]
if [n for n, _, _ in _MIGRATIONS] != list(range(1, len(_MIGRATIONS) + 1)):  # pragma: no cover
    raise RuntimeError("store migrations must be numbered 1, 2, 3... without gaps or repeats")
SCHEMA_VERSION = _MIGRATIONS[-1][0]


# -- values ----------------------------------------------------------------------------------

@dataclass
class Effective:
    """The latest state of one (segment, code): what outputs show."""

    applied: bool
    confidence: float | None
    evidence: list[str]
    coder: str
    reviewed: bool  # True when a human decided
    memo: str = ""
    disputed: bool = False  # reviewers disagree and no adjudicator decided
    decisions: dict[str, bool] = field(default_factory=dict)  # reviewer -> applied
    adjudicated: bool = False


@dataclass
class StaleDecision:
    """A human decision whose words are no longer in the current transcript.

    Kept and shown, never applied to other words. ``candidate`` is the current segment most
    like the old text (same source), where the reviewer may confirm it again.
    """

    id: int
    source_id: str
    segment_id: str  # as it was when decided
    code_id: str
    applied: bool
    coder: str
    role: str
    memo: str
    created_at: str
    old_text: str
    candidate: Segment | None = None


@dataclass
class _Decision:
    """A current (not superseded) human decision row, before re-attachment."""

    id: int
    segment_id: str
    source_id: str
    code_id: str
    applied: bool
    withdrawn: bool
    coder: str
    role: str
    memo: str
    created_at: str
    sha: str
    codebook_version: str
    pass_id: int | None
    orig_code: str = ""  # the code id it was made under (before renames and merges)


_TURN_RE = re.compile(r"#(\d+)(?:\.(\d+))?$")


def _position(segment_id: str) -> tuple[int, int]:
    m = _TURN_RE.search(segment_id)
    return (int(m.group(1)), int(m.group(2) or 0)) if m else (0, 0)


class Store:
    """A project database. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: str | Path, create: bool = True):
        self.path = Path(path)
        if not create and not self.path.exists():
            raise StoreError(f"{self.path}: no project database here; run `qualcode code` first "
                             "or open the project's database (its path)")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{self.path.parent}: cannot create the project folder ({exc.strerror}); "
                             "choose a writable folder for the database") from None
        self._depth = 0
        try:
            # autocommit mode: transactions are explicit (``atomic``), never implicit
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=10)
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                self.db.close()
                raise StoreError(f"{self.path}: this project database was written by a newer qualcode "
                                 f"(schema version {version}; this qualcode reads up to {SCHEMA_VERSION}); "
                                 "upgrade qualcode (pip install -U qualcode) to open it")
            if version < SCHEMA_VERSION:
                self._migrate(version)
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            if self.meta("project_id") is None:
                with self.atomic():
                    self.db.execute("INSERT OR IGNORE INTO meta VALUES ('project_id', ?)", (uuid.uuid4().hex,))
                    self.db.execute("INSERT OR IGNORE INTO meta VALUES ('created_at', ?)", (now(),))
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def _error(self, exc: sqlite3.Error) -> StoreError:
        """A SQLite failure as a message a researcher can act on."""
        msg = str(exc)
        if "locked" in msg or "busy" in msg:
            return StoreError(f"{self.path}: the project database is locked by another qualcode command "
                              "(or a program holding it open); wait for it to finish, then run this again")
        if "readonly" in msg or "read-only" in msg:
            return StoreError(f"{self.path}: the project database is read-only; make the file and its "
                              "folder writable (or copy the project elsewhere), then run this again")
        if "disk" in msg and "full" in msg:
            return StoreError(f"{self.path}: the disk is full; nothing was changed; free some space, "
                              "then run this again")
        if "not a database" in msg or "malformed" in msg or "file is encrypted" in msg:
            return StoreError(f"{self.path}: not a qualcode project database ({msg}); "
                              "choose another database path")
        return StoreError(f"{self.path}: database error ({msg}); nothing was changed")

    def _migrate(self, version: int) -> None:
        """Run each pending numbered step in its own transaction with its version bump."""
        for number, _title, step in _MIGRATIONS:
            if number <= version:
                continue
            self.db.execute("BEGIN IMMEDIATE")  # foreign keys are still off: tables are rebuilt
            try:
                step(self.db)
                self.db.execute(f"PRAGMA user_version = {number}")
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            if self.db.execute("PRAGMA user_version").fetchone()[0] != number:  # pragma: no cover
                raise StoreError(f"{self.path}: schema upgrade step {number} did not complete")
        bad = self.db.execute("PRAGMA foreign_key_check").fetchall()
        if bad:  # pragma: no cover - would be a migration bug
            raise StoreError(f"{self.path}: {len(bad)} rows break the schema's links after the upgrade; "
                             "report this to qualcode's maintainers with the database")

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """One transaction for everything inside: all of it is stored, or none of it.

        Nested uses join the outer transaction. ``BEGIN IMMEDIATE`` takes the write lock at
        once, so two commands never interleave their writes.
        """
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._error(exc) from None
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self.db.execute("ROLLBACK")
            raise
        self._depth = 0
        try:
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            self.db.execute("ROLLBACK")
            raise self._error(exc) from None

    def _write(self, sql: str, args: Sequence[Any] = ()) -> sqlite3.Cursor:
        try:
            return self.db.execute(sql, args)
        except sqlite3.OperationalError as exc:
            raise self._error(exc) from None

    def _write_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        try:
            self.db.executemany(sql, rows)
        except sqlite3.OperationalError as exc:
            raise self._error(exc) from None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def integrity_problems(self) -> list[str]:
        """SQLite's own check plus qualcode's: every active segment is its source's slice."""
        out = [r[0] for r in self.db.execute("PRAGMA integrity_check") if r[0] != "ok"]
        out += [f"segment {sid} is not the text of {src}[{a}:{b}]"
                for sid, src, a, b in self._inconsistent_segments()]
        return out

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.atomic():
            self._write("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    @property
    def project_id(self) -> str:
        return self.meta("project_id") or ""

    # -- sources and segments ----------------------------------------------------------------

    def source_shas(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT id, sha256 FROM sources"))

    def source_keys(self) -> dict[str, str]:
        """key (path relative to the project folder) -> source id, for sources that have one."""
        return dict(self.db.execute("SELECT key, id FROM sources WHERE key IS NOT NULL"))

    def source_key(self, source: Source) -> str:
        """The project's identity for a source: its path relative to the project folder (the
        database's folder), posix-style, plus ``::row id`` for a row of a table. A file outside
        the project folder is identified by its absolute path."""
        path = Path(source.path).resolve()
        try:
            rel = path.relative_to(self.path.resolve().parent).as_posix()
        except ValueError:
            rel = path.as_posix()
        return f"{rel}::{source.locator}" if source.locator else rel

    def assign_ids(self, sources: Sequence[Source], keys: Sequence[str]) -> None:
        """Give each source its project id, found by ``key`` (its path), never by name.

        A source seen before keeps its id whatever else arrives beside it. A new key gets the
        id ingest proposed (the file's stem) if free, else one made from its path. A source
        of an older project (no key yet) with the same file name is adopted: its decisions
        stay with it. Ids are only changed in memory; ``save_sources`` stores them.
        """
        known = self.source_keys()
        legacy = {Path(p or "").name: sid for sid, p in
                  self.db.execute("SELECT id, path FROM sources WHERE key IS NULL")}
        legacy_ids = set(legacy.values())
        taken = set(self.source_shas())
        batch: set[str] = set()
        for src, key in zip(sources, keys):
            src.id = src.locator or Path(src.path).stem  # ingest's proposal, before batch renaming
            if key in known:
                src.id = known[key]
            elif src.id in legacy_ids and legacy.get(Path(src.path).name) == src.id:
                legacy_ids.discard(src.id)  # 0.1 project: same name, adopt it
            else:
                src.id = _free_id(src.id, key, taken | batch)
            src.key = key
            batch.add(src.id)

    def save_sources(self, sources: Iterable[Source]) -> list[str]:
        """Store sources; a changed text becomes a new version. Returns the ids whose text changed.

        Attributes and paths are updated in place (they are not the words decisions are bound to).
        """
        changed: list[str] = []
        cur = {r[0]: (r[1], r[2]) for r in self.db.execute("SELECT id, sha256, version FROM sources")}
        ts = now()
        with self.atomic():
            for s in sources:
                attrs = json.dumps(s.attributes, ensure_ascii=False, default=str)
                turns = json.dumps([t.__dict__ for t in s.turns])
                prev = cur.get(s.id)
                if prev is not None and prev[0] == s.sha256:
                    self._write("UPDATE sources SET path=?, attributes=?, key=coalesce(?, key) WHERE id=?",
                                (s.path, attrs, s.key or None, s.id))
                    continue
                version = (prev[1] + 1) if prev else 1
                self._write("INSERT OR REPLACE INTO sources (id, path, format, sha256, encoding, language, "
                            "text, attributes, turns, ingested_at, key, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                            (s.id, s.path, s.format, s.sha256, s.encoding, s.language, s.text, attrs, turns,
                             ts, s.key or None, version))
                self._write("INSERT INTO source_versions VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                            (s.id, version, s.path, s.format, s.sha256, s.encoding, s.language, s.text,
                             attrs, turns, ts))
                changed.append(s.id)
        return changed

    def sources(self, ids: Sequence[str] | None = None) -> list[Source]:
        q = ("SELECT id, path, format, sha256, encoding, language, text, attributes, turns, key "
             "FROM sources ORDER BY id")
        want = set(ids) if ids is not None else None
        return [Source(id=r[0], path=r[1], format=r[2], sha256=r[3], encoding=r[4], language=r[5],
                       text=r[6], attributes=json.loads(r[7] or "{}"),
                       turns=[Turn(**t) for t in json.loads(r[8] or "[]")], key=r[9] or "")
                for r in self.db.execute(q) if want is None or r[0] in want]

    def replace_segments(self, source_id: str, segments: Sequence[Segment], unit: str) -> None:
        """Make ``segments`` the active segments of a source's current version.

        Segments of earlier versions (or units) are kept, inactive: decisions made on them
        keep their words.
        """
        row = self.db.execute("SELECT version FROM sources WHERE id=?", (source_id,)).fetchone()
        version = row[0] if row else 1
        with self.atomic():
            self._write("UPDATE segments SET active=0 WHERE source_id=?", (source_id,))
            self._write_many(
                'INSERT INTO segments (id, source_id, version, turn_index, start, "end", text, text_sha, '
                "speaker, question, timestamp, language, unit, ord, active) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,1) "
                'ON CONFLICT (id, version, unit, text_sha) DO UPDATE SET active=1, ord=excluded.ord, '
                'start=excluded.start, "end"=excluded."end", question=excluded.question, '
                "speaker=excluded.speaker",
                [(s.id, s.source_id, version, s.turn_index, s.start, s.end, s.text, text_sha(s.text),
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

    def segment_versions(self) -> set[tuple[str, str]]:
        """(segment id, text hash) of every segment the project ever had, in any version."""
        return set(self.db.execute("SELECT id, text_sha FROM segments"))

    def segment_sources(self) -> dict[str, str]:
        """Active segment id -> source id."""
        return dict(self.db.execute("SELECT id, source_id FROM segments WHERE active=1"))

    def segment_text(self, segment_id: str, sha: str) -> str | None:
        """The words a segment id had when its text hashed to ``sha`` (any version)."""
        row = self.db.execute("SELECT text FROM segments WHERE id=? AND text_sha=? LIMIT 1",
                              (segment_id, sha)).fetchone()
        if row is None:
            row = self.db.execute("SELECT text FROM segments WHERE text_sha=? LIMIT 1", (sha,)).fetchone()
        return row[0] if row else None

    def _inconsistent_segments(self) -> list[tuple[str, str, int, int]]:
        """Active segments whose text is not their source's current slice (left by a crash of
        qualcode 0.1, or a hand edit): the next coding run re-segments those sources."""
        texts = dict(self.db.execute("SELECT id, text FROM sources"))
        versions = dict(self.db.execute("SELECT id, version FROM sources"))
        out = []
        for sid, src, a, b, text, version in self.db.execute(
                'SELECT id, source_id, start, "end", text, version FROM segments WHERE active=1'):
            full = texts.get(src)
            if full is None or full[a:b] != text or versions.get(src) != version:
                out.append((sid, src, a, b))
        return out

    def sources_needing_repair(self) -> set[str]:
        """Sources whose stored segments do not match their text, or that have none at all."""
        bad = {src for _, src, _, _ in self._inconsistent_segments()}
        with_segments = {r[0] for r in self.db.execute("SELECT DISTINCT source_id FROM segments WHERE active=1")}
        return bad | (set(self.source_shas()) - with_segments)

    # -- codebooks ---------------------------------------------------------------------------

    def save_codebook(self, cb: Codebook) -> None:
        """Store a codebook version and the renames it declares (``formerly:``)."""
        with self.atomic():
            self._write("INSERT OR IGNORE INTO codebooks VALUES (?,?,?,?,?)",
                        (cb.version, cb.name, cb.path, cb.raw, now()))
            self._write("INSERT OR REPLACE INTO meta VALUES ('codebook_version', ?)", (cb.version,))
            for code in cb.codes:
                for old in code.formerly:
                    self.add_alias(old, code.id, origin=f"codebook {cb.version}")

    def add_alias(self, old: str, new: str, origin: str = "") -> None:
        """Decisions on code ``old`` now count for ``new`` (a rename, or a merge into ``new``)."""
        if old == new:
            return
        with self.atomic():
            self._write("INSERT OR REPLACE INTO code_aliases VALUES (?,?,?,?)", (old, new, now(), origin))

    def aliases(self) -> dict[str, str]:
        """old code id -> the id it is known by now (chains of renames followed)."""
        raw = dict(self.db.execute("SELECT old, new FROM code_aliases"))
        out = {}
        for old in raw:
            cur, seen = old, {old}
            while cur in raw and raw[cur] not in seen:
                cur = raw[cur]
                seen.add(cur)
            out[old] = cur
        return out

    def codebook(self, version: str | None = None) -> Codebook:
        """A stored codebook version (the latest used when ``version`` is None)."""
        version = version or self.meta("codebook_version")
        row = self.db.execute("SELECT yaml, path FROM codebooks WHERE version=?", (version,)).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: no codebook stored; run `qualcode code` first")
        return parse_codebook(row[0], row[1])

    # -- passes and machine codings ----------------------------------------------------------

    def start_pass(self, coder: str, coder_version: str, kind: str, codebook_version: str,
                   params: dict[str, Any] | None = None) -> int:
        with self.atomic():
            cur = self._write(
                "INSERT INTO passes (coder, coder_version, kind, codebook_version, started_at, params) "
                "VALUES (?,?,?,?,?,?)", (coder, coder_version, kind, codebook_version, now(),
                                         json.dumps(params or {}, default=str)))
        return int(cur.lastrowid or 0)

    def finish_pass(self, pass_id: int, n_segments: int) -> None:
        """Mark a pass complete; its codings become the segments' current machine proposals."""
        with self.atomic():
            self._write("UPDATE passes SET finished_at=?, n_segments=? WHERE id=?",
                        (now(), n_segments, pass_id))
            kind = self.db.execute("SELECT kind FROM passes WHERE id=?", (pass_id,)).fetchone()
            if kind and kind[0] == "machine":
                self._write("INSERT OR REPLACE INTO latest_machine (segment_id, pass_id, text_sha) "
                            "SELECT segment_id, pass_id, text_sha FROM pass_segments WHERE pass_id=?",
                            (pass_id,))

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
        with self.atomic():
            self._write_many(
                "INSERT INTO codings (pass_id, segment_id, code_id, applied, confidence, evidence, "
                "votes, coder, coder_kind, codebook_version, created_at, segment_sha) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
            self._write_many("INSERT OR IGNORE INTO pass_segments (pass_id, segment_id, text_sha) VALUES (?,?,?)",
                             [(pass_id, seg.id, text_sha(seg.text)) for seg in segments])
        return len(rows)

    def segments_to_code(self, coder_version: str, codebook_version: str) -> set[str]:
        """Active segments whose current machine proposals were not made on their present
        words by this coder version and codebook version: what a new pass must cover."""
        done = {r[0] for r in self.db.execute(
            "SELECT s.id FROM segments s JOIN latest_machine l ON l.segment_id = s.id AND l.text_sha = s.text_sha "
            "JOIN passes p ON p.id = l.pass_id WHERE s.active=1 AND p.coder_version=? AND p.codebook_version=?",
            (coder_version, codebook_version))}
        return {r[0] for r in self.db.execute("SELECT id FROM segments WHERE active=1")} - done

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
        with self.atomic():
            self._write_many("INSERT OR REPLACE INTO coding_cache VALUES (?,?,?,?)", rows)

    def machine_codings(self, pass_id: int | None = None) -> dict[tuple[str, str], Effective]:
        """Codings of one pass, or (default) each active segment's current machine proposals
        (only those made on the segment's present words)."""
        if pass_id is not None:
            rows = self.db.execute("SELECT segment_id, code_id, applied, confidence, evidence, coder "
                                   "FROM codings WHERE pass_id=?", (pass_id,))
        else:
            rows = self.db.execute(
                "SELECT c.segment_id, c.code_id, c.applied, c.confidence, c.evidence, c.coder "
                "FROM latest_machine l JOIN segments s ON s.id = l.segment_id AND s.active = 1 "
                "AND s.text_sha = l.text_sha "
                "JOIN codings c ON c.pass_id = l.pass_id AND c.segment_id = l.segment_id")
        return {(r[0], r[1]): Effective(bool(r[2]), r[3], json.loads(r[4] or "[]"), r[5], False)
                for r in rows}

    def machine_coded_segments(self) -> set[str]:
        """Active segments some finished machine pass coded on their present words (a pass
        covers a segment even when it proposed nothing: "no proposal" then means "not applied")."""
        return {r[0] for r in self.db.execute(
            "SELECT s.id FROM latest_machine l JOIN segments s ON s.id = l.segment_id AND s.active = 1 "
            "AND s.text_sha = l.text_sha")}

    # -- human decisions ---------------------------------------------------------------------

    def add_human_codings(self, codings: Sequence[Coding], origin: str, *,
                          import_id: int | None = None) -> int:
        """Store human decisions, bound to the words of their segment.

        Each supersedes the same reviewer's (and role's) current decision on the same words
        and code, and the rows named in ``Coding.replaces`` (stale decisions confirmed on new
        words). A decision identical to the current one is skipped, so importing the
        same workbook twice changes nothing. Returns how many were stored.
        """
        active = {r[0]: (r[1], r[2]) for r in
                  self.db.execute("SELECT id, text_sha, source_id FROM segments WHERE active=1")}
        current = self._attached(self._current_decisions())
        added = 0
        with self.atomic():
            for c in codings:
                sha, src = c.segment_sha, None
                if c.segment_id in active and (not sha or sha == active[c.segment_id][0]):
                    sha, src = active[c.segment_id]
                if src is None:
                    row = self.db.execute("SELECT source_id FROM segments WHERE id=? AND text_sha=? LIMIT 1",
                                          (c.segment_id, sha)).fetchone()
                    if row is None:
                        raise StoreError(f"{self.path}: segment {c.segment_id} with text {sha or '?'} is not "
                                         "in the project; export a fresh review workbook")
                    src = row[0]
                key = (c.segment_id if c.segment_id in active and active[c.segment_id][0] == sha
                       else f"{src}\x00{sha}\x00{c.segment_id}", c.code_id, c.coder, c.role)
                prev = current.get(key)
                if prev and prev.applied == c.applied and prev.memo == (c.memo or "") \
                        and prev.withdrawn == c.withdrawn and not c.replaces:
                    continue
                if prev is None and c.withdrawn and not c.replaces:
                    continue  # nothing to withdraw
                cur = self._write(
                    "INSERT INTO codings (pass_id, segment_id, code_id, applied, confidence, evidence, "
                    "votes, coder, coder_kind, codebook_version, created_at, memo, segment_sha, origin, "
                    "source_id, withdrawn, role, import_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (c.pass_id, c.segment_id, c.code_id, int(c.applied), c.confidence,
                     json.dumps(c.evidence, ensure_ascii=False), "{}", c.coder, "human",
                     c.codebook_version, c.created_at, c.memo or "", sha, origin, src, int(c.withdrawn),
                     c.role, import_id))
                new_id = int(cur.lastrowid or 0)
                for old in {*(c.replaces or ()), *((prev.id,) if prev else ())}:
                    self._write("UPDATE codings SET superseded_by=? WHERE id=? AND superseded_by IS NULL",
                                (new_id, old))
                current[key] = _Decision(new_id, c.segment_id, src, c.code_id, c.applied, c.withdrawn,
                                         c.coder, c.role, c.memo or "", c.created_at, sha,
                                         c.codebook_version, c.pass_id)
                added += 1
        return added

    def record_import(self, *, path: str, export_id: str, exported_at: str, exported_for: str,
                      reviewer: str, role: str = REVIEWER, forced: bool = False) -> int:
        with self.atomic():
            cur = self._write("INSERT INTO imports (path, export_id, exported_at, exported_for, reviewer, role, "
                              "imported_at, forced) VALUES (?,?,?,?,?,?,?,?)",
                              (path, export_id, exported_at, exported_for, reviewer, role, now(), int(forced)))
        return int(cur.lastrowid or 0)

    def imports(self, reviewer: str | None = None) -> list[dict[str, Any]]:
        cols = ["id", "path", "export_id", "exported_at", "exported_for", "reviewer", "role", "imported_at", "forced"]
        q = f"SELECT {', '.join(cols)} FROM imports" + (" WHERE reviewer=?" if reviewer else "") + " ORDER BY id"
        return [dict(zip(cols, r)) for r in self.db.execute(q, (reviewer,) if reviewer else ())]

    def decision_exports(self) -> dict[int, str]:
        """Decision row id -> export time of the workbook it was imported from."""
        return dict(self.db.execute("SELECT c.id, i.exported_at FROM codings c JOIN imports i "
                                    "ON i.id = c.import_id WHERE c.coder_kind='human' AND c.superseded_by IS NULL"))

    def _current_decisions(self) -> list[_Decision]:
        aliases = self.aliases()
        rows = self.db.execute(
            "SELECT id, segment_id, coalesce(source_id, ''), code_id, applied, withdrawn, coder, role, memo, "
            "created_at, coalesce(segment_sha, ''), codebook_version, pass_id FROM codings "
            "WHERE coder_kind='human' AND superseded_by IS NULL ORDER BY id")
        return [_Decision(r[0], r[1], r[2], aliases.get(r[3], r[3]), bool(r[4]), bool(r[5]), r[6], r[7],
                          r[8] or "", r[9] or "", r[10], r[11] or "", r[12], r[3]) for r in rows]

    def _attached(self, decisions: Sequence[_Decision]) -> dict[tuple[str, str, str, str], _Decision]:
        """Each decision keyed by where it stands now: (current segment id, code, coder, role),
        or, for a stale one, (source NUL sha NUL old id, ...). On a collision the newest wins
        (the same words said twice), except for codes merged into one (``formerly: [A, B]``):
        the merged code applies when either did."""
        placed = self._placement(decisions)
        out: dict[tuple[str, str, str, str], _Decision] = {}
        for d in decisions:
            where = placed.get(d.id) or f"{d.source_id}\x00{d.sha}\x00{d.segment_id}"
            key = (where, d.code_id, d.coder, d.role)
            prev = out.get(key)
            if prev is not None and prev.orig_code != d.orig_code and not d.withdrawn and not prev.withdrawn:
                d = _Decision(**{**d.__dict__, "applied": d.applied or prev.applied,
                                 "memo": " | ".join(dict.fromkeys(m for m in (prev.memo, d.memo) if m))})
            out[key] = d
        return out

    def _placement(self, decisions: Sequence[_Decision]) -> dict[int, str]:
        """Decision id -> the active segment carrying the same words in the same source.

        The segment with the same id when its words are the same; otherwise, among segments
        with those exact words, the one nearest the decision's original position. No such
        segment: the decision is stale (absent from the result).
        """
        by_words: dict[tuple[str, str], list[str]] = defaultdict(list)
        id_sha: dict[str, str] = {}
        for sid, src, sha in self.db.execute("SELECT id, source_id, text_sha FROM segments WHERE active=1"):
            by_words[(src, sha)].append(sid)
            id_sha[sid] = sha
        out: dict[int, str] = {}
        for d in decisions:
            if id_sha.get(d.segment_id) == d.sha and d.segment_id.startswith(d.source_id):
                out[d.id] = d.segment_id
                continue
            cands = by_words.get((d.source_id, d.sha))
            if cands:
                pos = _position(d.segment_id)
                out[d.id] = min(cands, key=lambda s: (abs(_position(s)[0] - pos[0]), _position(s)))
        return out

    def human_codings(self, include_superseded: bool = False,
                      roles: Sequence[str] = (REVIEWER,)) -> list[Coding]:
        """Current human decisions, each on the active segment carrying its words.

        Stale decisions (words gone) and withdrawn ones are left out: see
        :meth:`stale_decisions` and the history (``include_superseded=True``, rows as stored).
        Adjudicators' decisions come only when ``roles`` names them.
        """
        if include_superseded:
            q = ("SELECT segment_id, code_id, applied, confidence, evidence, coder, codebook_version, "
                 "created_at, pass_id, memo, segment_sha, role, withdrawn, id FROM codings "
                 "WHERE coder_kind='human' ORDER BY id")
            return [Coding(r[0], r[1], bool(r[2]), r[3], json.loads(r[4] or "[]"), r[5], "human", r[6],
                           r[7], r[8], r[9] or "", segment_sha=r[10] or "", role=r[11],
                           withdrawn=bool(r[12]), id=r[13]) for r in self.db.execute(q)]
        decisions = [d for d in self._current_decisions() if d.role in roles]
        out: dict[tuple[str, str, str, str], Coding] = {}
        for (where, code, coder, role), d in self._attached(decisions).items():
            if "\x00" in where or d.withdrawn:
                continue
            out[(where, code, coder, role)] = Coding(
                where, code, d.applied, None, [], coder, "human", d.codebook_version, d.created_at,
                d.pass_id, d.memo, segment_sha=d.sha, role=role, id=d.id)
        return sorted(out.values(), key=lambda c: c.id or 0)

    def stale_decisions(self) -> list[StaleDecision]:
        """Current decisions whose words are gone from the transcript, with the nearest
        current segment of the same source as a candidate for confirming them again."""
        decisions = [d for d in self._current_decisions() if not d.withdrawn]
        placed = self._placement(decisions)
        stale = [d for d in decisions if d.id not in placed]
        if not stale:
            return []
        segs_by_source: dict[str, list[Segment]] = defaultdict(list)
        for s in self.segments(sorted({d.source_id for d in stale})):
            segs_by_source[s.source_id].append(s)
        out = []
        for d in stale:
            old = self.segment_text(d.segment_id, d.sha) or ""
            out.append(StaleDecision(d.id, d.source_id, d.segment_id, d.code_id, d.applied, d.coder, d.role,
                                     d.memo, d.created_at, old,
                                     _nearest(old, d.segment_id, segs_by_source.get(d.source_id, []))))
        return out

    def effective(self, reviewer: str | None = None) -> dict[tuple[str, str], Effective]:
        """Latest state: the machine's current proposals, overridden by human decisions.

        With ``reviewer``, only that reviewer's decisions override (per-coder outputs).
        Otherwise an adjudicator's decision wins; reviewers who agree decide; reviewers who
        disagree leave the cell ``disputed``, applied by majority (a tie counts as applied,
        so that a disputed passage is never hidden from the outputs).
        """
        return settle(self.machine_codings(), self.human_codings(roles=(REVIEWER, ADJUDICATOR)), reviewer)

    def disputes(self) -> list[tuple[str, str, dict[str, tuple[bool, str]]]]:
        """Cells where reviewers disagree and no adjudicator decided:
        (segment, code, reviewer -> (applied, memo))."""
        cells: dict[tuple[str, str], dict[str, tuple[bool, str]]] = defaultdict(dict)
        adjudicated = set()
        for c in self.human_codings(roles=(REVIEWER, ADJUDICATOR)):
            if c.role == ADJUDICATOR:
                adjudicated.add((c.segment_id, c.code_id))
            else:
                cells[(c.segment_id, c.code_id)][c.coder] = (c.applied, c.memo)
        return [(s, code, who) for (s, code), who in sorted(cells.items())
                if (s, code) not in adjudicated and len({v[0] for v in who.values()}) > 1]


def final_adjudication(decisions: Iterable[Coding]) -> Coding | None:
    """The adjudicator's decision that settles a cell: the latest one (None when nobody adjudicated)."""
    adj = [c for c in decisions if c.role == ADJUDICATOR]
    return max(adj, key=lambda c: (c.created_at, c.id or 0)) if adj else None


def settle(machine: Mapping[tuple[str, str], Effective], humans: Iterable[Coding],
           reviewer: str | None = None) -> dict[tuple[str, str], Effective]:
    """The latest state from the machine's proposals and the human decisions (see
    :meth:`Store.effective`); a function of both, so that a caller which also needs the
    decisions themselves reads them once."""
    state = dict(machine)
    if reviewer:
        humans = [c for c in humans if c.coder == reviewer and c.role == REVIEWER]
    cells: dict[tuple[str, str], list[Coding]] = defaultdict(list)
    for c in humans:
        cells[(c.segment_id, c.code_id)].append(c)
    for key, decs in cells.items():
        prev = state.get(key)
        revs = [c for c in decs if c.role == REVIEWER]
        votes = {c.coder: c.applied for c in revs}
        memo = "; ".join(f"{c.coder}: {c.memo}" if len(decs) > 1 else c.memo for c in decs if c.memo)
        final = final_adjudication(decs)
        if final:
            applied, disputed = final.applied, False
            coder = final.coder
        else:
            yes = sum(votes.values())
            applied = yes * 2 >= len(votes)
            disputed = 0 < yes < len(votes)
            coder = ", ".join(sorted(votes))
        state[key] = Effective(applied, prev.confidence if prev else None, prev.evidence if prev else [],
                               coder, True, memo, disputed, votes, final is not None)
    return state


@dataclass
class ProjectStatus:
    """What a project holds, and what needs a human's attention."""

    sources: int
    versions: int  # source versions stored (edits kept)
    segments: int
    passes: list[dict[str, Any]]
    reviewers: dict[str, int]  # reviewer -> current decisions
    adjudicated: int
    moved: int  # decisions re-attached to their words under another segment id
    stale: list[StaleDecision]
    orphaned: dict[str, int]  # code id no longer in the codebook -> current decisions
    disputes: int
    codebook_version: str
    schema_version: int


def project_status(store: Store) -> ProjectStatus:
    """Counts for ``qualcode status`` and the coded workbook's About sheet."""
    decisions = [d for d in store._current_decisions() if not d.withdrawn]
    placed = store._placement(decisions)
    codes = set(store.codebook().ids) if store.meta("codebook_version") else set()
    reviewers: dict[str, int] = defaultdict(int)
    orphaned: dict[str, int] = defaultdict(int)
    for d in decisions:
        if d.id not in placed:
            continue
        if d.role == REVIEWER:
            reviewers[d.coder] += 1
        if codes and d.code_id not in codes:
            orphaned[d.code_id] += 1
    return ProjectStatus(
        sources=len(store.source_shas()),
        versions=store.db.execute("SELECT count(*) FROM source_versions").fetchone()[0],
        segments=len(store.segment_shas()),
        passes=store.passes(),
        reviewers=dict(sorted(reviewers.items())),
        adjudicated=sum(1 for d in decisions if d.role == ADJUDICATOR and d.id in placed),
        moved=sum(1 for d in decisions if d.id in placed and placed[d.id] != d.segment_id),
        stale=store.stale_decisions(),
        orphaned=dict(sorted(orphaned.items())),
        disputes=len(store.disputes()),
        codebook_version=store.meta("codebook_version") or "",
        schema_version=store.schema_version,
    )


def _nearest(old: str, old_id: str, segments: Sequence[Segment]) -> Segment | None:
    """The current segment most like ``old`` (at least half its words in common), else the
    one at the same position; None when the source has no segment left."""
    if not segments:
        return None
    import difflib

    words = old.split()
    best, score = None, 0.0
    for s in segments:
        r = difflib.SequenceMatcher(None, words, s.text.split(), autojunk=False).ratio()
        if r > score:
            best, score = s, r
    if score >= 0.5:
        return best
    pos = _position(old_id)
    same = [s for s in segments if _position(s.id) == pos]
    return same[0] if same else best


def _free_id(proposed: str, key: str, taken: set[str]) -> str:
    """An unused id: the proposed one (the stem), else the path without extension, else with it."""
    stem_path = key.rsplit("::", 1)[0]
    path_no_ext = str(Path(stem_path).with_suffix("")).replace("\\", "/")
    candidates = [proposed, path_no_ext, stem_path.replace("\\", "/")]
    if "::" in key:
        candidates.insert(1, f"{path_no_ext}:{key.rsplit('::', 1)[1]}")
    for cand in candidates:
        if cand and cand not in taken:
            return cand
    k = 2
    while f"{proposed}-{k}" in taken:
        k += 1
    return f"{proposed}-{k}"
