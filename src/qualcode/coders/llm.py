"""Optional LLM coder, for users who run a local model server with an OpenAI-compatible API
(Ollama, llama.cpp's server, vLLM). Off by default: nothing here runs unless ``--coder llm``.

The prompt is a versioned template shipped in the package (``prompts/code_v1.txt``) filled
with the codebook's definitions, include/exclude rules and examples; the model answers JSON
with, per code, whether it applies, a confidence and a one-sentence rationale, which becomes
the evidence. Answers are cached by content (template version, model, codebook version,
question and text), so a re-run, or a run after a crash, asks the server only for what is new.
Only the standard library talks HTTP, so any server speaking ``/v1/chat/completions`` works.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import urllib.error
import urllib.request
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from .._files import shared_cache_dir
from .._i18n import tr
from ..codebook import Codebook
from ..errors import CoderError
from ..model import Proposal, Segment
from .base import Progress

PROMPT_VERSION = "code_v1"


def prompt_template(version: str = PROMPT_VERSION) -> str:
    try:
        return resources.files(__package__).joinpath("prompts", f"{version}.txt").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CoderError(f"prompt template {version!r} is not shipped; use {PROMPT_VERSION!r}") from None


def codebook_block(codebook: Codebook, lang: str) -> str:
    """The codebook as the prompt shows it: everything comes from the YAML."""
    parts = []
    for c in codebook.codes:
        lines = [f"- {c.id}: {c.text('label', lang)}"]
        if c.text("definition", lang):
            lines.append(f"  Definition: {c.text('definition', lang)}")
        for attr, head in (("include", "Include"), ("exclude", "Exclude"), ("examples", "Examples"),
                           ("counter_examples", "Not this code")):
            items = c.text(attr, lang)
            if items:
                lines.append(f"  {head}: " + " | ".join(items[:8]))
        parts.append("\n".join(lines))
    return "\n".join(parts)


class LLMCoder:
    """Codes each segment by asking a local OpenAI-compatible chat server (see module docstring)."""

    name = "llm"

    def __init__(self, base_url: str = "http://127.0.0.1:11434/v1", model: str = "llama3.1",
                 temperature: float = 0.0, timeout: float = 120.0, prompt: str = PROMPT_VERSION,
                 cache: str | bool | None = None, api_key: str = "", unreadable: str = "fail"):
        if unreadable not in ("fail", "skip"):
            raise CoderError(f"unreadable={unreadable!r}: use 'fail' (stop at a reply that is not the JSON "
                             "asked for) or 'skip' (leave that segment without proposals, listed in "
                             "`unreadable_ids`)")
        self.unreadable = unreadable
        self.unreadable_ids: list[str] = []  # segments left without proposals (unreadable='skip')
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.temperature = float(temperature)
        self.timeout = float(timeout)
        self.prompt = prompt
        self.api_key = api_key
        self.template = prompt_template(prompt)
        shared = shared_cache_dir()  # only a cache folder named on purpose, never the user's home
        self._cache_path = (None if cache is False else Path(cache) if isinstance(cache, str)
                            else shared / "llm.sqlite" if shared else None)
        self._db: sqlite3.Connection | None = None

    @property
    def version(self) -> str:
        return f"llm-{self.prompt}/{self.model}/t={self.temperature}"

    def code(self, segments: Sequence[Segment], codebook: Codebook,
             progress: Progress | None = None) -> list[list[Proposal]]:
        out = []
        for n, seg in enumerate(segments, 1):
            out.append(self._code_one(seg, codebook))
            if progress:
                progress(n, len(segments), "llm")
        return out

    def render(self, seg: Segment, codebook: Codebook) -> str:
        lang = codebook.language_of(seg.language)
        return self.template.format(codebook=codebook_block(codebook, lang), question=seg.question or "(none)",
                                    text=seg.text, language=lang, code_ids=", ".join(codebook.ids))

    def _code_one(self, seg: Segment, codebook: Codebook) -> list[Proposal]:
        prompt = self.render(seg, codebook)
        key = hashlib.sha256("\0".join([self.version, codebook.version, prompt]).encode()).hexdigest()
        reply = self._cached(key)
        if reply is None:
            reply = self._ask(prompt)
            try:
                parse_reply(reply, codebook)  # do not cache an answer we cannot read
            except CoderError:
                if self.unreadable == "fail":
                    raise
                # a small model's broken JSON: no opinion on this segment, and the caller is told
                self.unreadable_ids.append(seg.id)
                return []
            self._store(key, reply)
        props = []
        for cid, (applies, conf, why) in parse_reply(reply, codebook).items():
            ev = [tr("evidence.llm", codebook.language, why=why)] if why else []
            props.append(Proposal(cid, applies, conf, ev, {self.name: conf}))
        return props

    def _ask(self, prompt: str) -> str:
        body = json.dumps({"model": self.model, "temperature": self.temperature,
                           "messages": [{"role": "user", "content": prompt}],
                           "response_format": {"type": "json_object"}}).encode()
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        req = urllib.request.Request(f"{self.base_url}/chat/completions", data=body, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310 - user's own server
                data = json.loads(resp.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise CoderError(f"LLM server {self.base_url} answered HTTP {exc.code} for model {self.model!r}; "
                             "check the coder options model (a model the server has) and base_url") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise CoderError(f"cannot reach the LLM server at {self.base_url} ({getattr(exc, 'reason', exc)}); "
                             "start it (e.g. `ollama serve`) or set the coder option base_url=http://host:port/v1") from None
        except json.JSONDecodeError:
            raise CoderError(f"LLM server {self.base_url} did not answer JSON; is it OpenAI-compatible?") from None
        try:
            return str(data["choices"][0]["message"]["content"])
        except (KeyError, IndexError, TypeError):
            raise CoderError(f"LLM server {self.base_url} answered without choices[0].message.content; "
                             "is it an OpenAI-compatible chat completions endpoint?") from None

    # -- cache --------------------------------------------------------------------------------

    @property
    def db(self) -> sqlite3.Connection | None:
        if self._cache_path is None:
            return None
        if self._db is None:
            self._cache_path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self._cache_path, timeout=30)
            self._db.execute("CREATE TABLE IF NOT EXISTS replies (key TEXT PRIMARY KEY, reply TEXT)")
        return self._db

    def _cached(self, key: str) -> str | None:
        db = self.db
        if db is None:
            return None
        row = db.execute("SELECT reply FROM replies WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def _store(self, key: str, reply: str) -> None:
        db = self.db
        if db is not None:
            with db:
                db.execute("INSERT OR REPLACE INTO replies VALUES (?, ?)", (key, reply))


def parse_reply(reply: str, codebook: Codebook) -> dict[str, tuple[bool, float, str]]:
    """code -> (applies, confidence, rationale) from the model's JSON; unknown codes are ignored."""
    m = re.search(r"\{.*\}", reply, re.S)  # tolerate prose or code fences around the JSON
    try:
        data: Any = json.loads(m.group(0) if m else reply)
    except json.JSONDecodeError:
        raise CoderError(f"the LLM's reply is not the JSON the prompt asks for: {reply[:120]!r}; "
                         "try a larger model or temperature 0") from None
    items = data.get("codes") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise CoderError(f"the LLM's reply has no 'codes' list: {reply[:120]!r}")
    out: dict[str, tuple[bool, float, str]] = {}
    known = set(codebook.ids)
    for it in items:
        if not isinstance(it, dict) or it.get("code") not in known:
            continue
        applies = it.get("applies") in (True, "true", "yes", 1)
        try:
            conf = float(it.get("confidence", 1.0 if applies else 0.0))
        except (TypeError, ValueError):
            conf = 1.0 if applies else 0.0
        conf = min(1.0, max(0.0, conf))
        out[str(it["code"])] = (applies, round(conf, 4), str(it.get("rationale") or "")[:300])
    return out
