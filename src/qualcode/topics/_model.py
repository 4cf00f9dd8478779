"""Emergent topics as plain data: what ``qualcode topics`` found, saved as JSON beside the
outputs so that ``qualcode summarize`` can put them in the report without refitting."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .._i18n import Message, localised
from ..analysis import Quote
from ..errors import OutputError
from ..locales import CATALOGUES


@dataclass
class Topic:
    """One emergent topic, with what a researcher needs to judge it."""

    topic_id: int  # the clustering's number (0 = largest)
    code_id: str  # the draft code's id, e.g. EMERGENT_01
    label: str  # made from the top keywords
    keywords: list[tuple[str, float]]
    size: int  # segments
    interviews: int  # distinct interviewees
    groups: dict[str, int] = field(default_factory=dict)  # attribute value -> segments
    group_people: dict[str, int] = field(default_factory=dict)  # attribute value -> interviewees
    examples: list[Quote] = field(default_factory=list)
    segment_ids: list[str] = field(default_factory=list)


@dataclass
class TopicResult:
    """The outcome of a topic run, including the cases where no topic could be found."""

    topics: list[Topic]
    n_docs: int  # segments that were clustered
    n_outliers: int  # segments in no topic
    n_excluded: int  # segments too short to cluster
    method: str  # "bertopic" | "kmeans" | "none"
    embedding: str
    seed: int
    min_topic_size: int
    scope: str  # "uncoded" | "all"
    attribute: str | None = None
    lang: str = "en"
    message: str = ""  # why there is no topic, when there is none
    seconds: float = 0.0
    created_at: str = ""
    project_id: str = ""
    drafts_path: str = ""
    only: dict[str, str] = field(default_factory=dict)  # interviews kept, e.g. {"role": "manager"}

    def intro(self, lang: str) -> str:
        """One sentence on how the topics were found (or why there are none)."""
        from .._i18n import fmt_int, tr

        if not self.topics:
            return tr("summary.no_topics", lang, why=localised(self.message, lang) or "-")
        method = tr(f"summary.method_{self.method}", lang) if self.method in ("bertopic", "kmeans") else self.method
        scope = tr("summary.scope_uncoded" if self.scope == "uncoded" else "summary.scope_all", lang)
        scope += "".join(f", {k} = {v}" for k, v in self.only.items())
        return tr("summary.topics_intro", lang, method=method, n=fmt_int(self.n_docs, lang), scope=scope,
                  k=len(self.topics), o=fmt_int(self.n_outliers, lang), emb=self.embedding, seed=self.seed,
                  drafts=self.drafts_path or "draft_codes.yaml")

    def to_json(self) -> str:
        d = asdict(self)
        if isinstance(self.message, Message):  # kept as a label key too, to be read in any language
            d["message_label"] = {"key": self.message.key, "values": self.message.params}
        return json.dumps(d, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> TopicResult:
        d: dict[str, Any] = json.loads(text)
        label = d.pop("message_label", None)
        key = label.get("key") if isinstance(label, dict) else None
        if key in CATALOGUES["en"]:
            d["message"] = Message(key, **(label.get("values") or {}))
        topics = []
        for t in d.pop("topics", []):
            t["keywords"] = [tuple(k) for k in t.get("keywords", [])]
            t["examples"] = [Quote(**q) for q in t.get("examples", [])]
            topics.append(Topic(**t))
        return cls(topics=topics, **d)

    def save(self, path: str | Path) -> Path:
        from .._files import atomic_write_text

        return atomic_write_text(path, self.to_json(), respect_locks=False)

    @classmethod
    def load(cls, path: str | Path) -> TopicResult:
        """The result saved in ``path``; :class:`~qualcode.errors.OutputError` naming the file and
        what is wrong when it cannot be read (callers check that the file exists)."""
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise OutputError(f"{p}: cannot read the saved topics ({exc}); run `qualcode topics` "
                              "again to rewrite it", p) from None
        try:
            return cls.from_json(text)
        except json.JSONDecodeError as exc:
            why = f"not valid JSON ({exc.msg}, line {exc.lineno})"
        except (TypeError, KeyError, AttributeError, ValueError) as exc:
            why = f"not a topics result of this qualcode ({type(exc).__name__}: {exc})"
        raise OutputError(f"{p}: {why}; delete it or run `qualcode topics` again to rewrite it", p)
