"""``qualcode topics`` as a library call: from the project database to the topics' files.

The result is saved as ``topics.json``; the outputs (the report, the coded workbook's topics
sheet) read it from there (:func:`load_topics`), so topics never write the report themselves.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .._files import DEFAULT_DB, DEFAULT_OUT
from .._i18n import Message
from ..analysis import attribute_columns, code_matrix, coded_frame, default_attribute
from ..errors import ConfigError
from ..model import Progress
from ..store import Store
from ._drafts import write_drafts
from ._find import find_topics
from ._model import TopicResult
from ._sheets import write_topics_workbook

TOPICS_JSON = "topics.json"
TOPICS_XLSX = "topics.xlsx"
DRAFTS_YAML = "draft_codes.yaml"


@dataclass
class TopicsRun:
    result: TopicResult
    workbook: Path
    drafts: Path | None
    json: Path


def topics_project(db: str | Path = DEFAULT_DB, out: str | Path = DEFAULT_OUT, *, all_segments: bool = False,
                   embedding: str = "auto", min_topic_size: int | None = None, max_topics: int = 30,
                   seed: int = 42, by: str | None = None, method: str = "auto", lang: str | None = None,
                   only: dict[str, str] | None = None, cache: bool = True,
                   progress: Progress | None = None) -> TopicsRun:
    """Find emergent topics among the respondents' segments (by default those no code caught),
    write ``topics.xlsx``, ``draft_codes.yaml`` and ``topics.json``. The report shows them once
    rewritten (:func:`qualcode.report.summarize_project`, as ``qualcode topics`` does next).

    ``only`` keeps the interviews whose attributes have these values (e.g. ``{"role": "manager"}``).
    """
    out = Path(out)
    with Store(db, create=False) as store:
        cb = store.codebook()
        frame = coded_frame(store, cb)
        attribute = by or default_attribute(frame, cb)
        applied = code_matrix(frame, cb.ids).any(axis=1) if len(frame) else frame.index.isin([])
        chosen = frame if all_segments else frame[~applied]
        for attr, value in (only or {}).items():
            if attr not in frame:
                raise _only(attr, value, Message("msg.filter.no_attribute", column=attr,
                                                 available=", ".join(attribute_columns(frame, cb))
                                                 or Message("msg.filter.none")))
            values = sorted(frame[attr].astype(str).unique())
            if value not in values:
                raise _only(attr, value, Message("msg.filter.no_value", column=attr, value=value,
                                                 values=", ".join(values[:12])))
            chosen = chosen[chosen[attr].astype(str) == value]
        langs = {s.id: s.language for s in store.segments()}
        project_id = store.project_id
    counts = Counter(langs.get(sid) or "en" for sid in chosen["segment_id"])
    corpus_lang = counts.most_common(1)[0][0] if counts else cb.language
    emb_cache = None
    if cache:
        from .._files import project_cache_path
        from ..coders.embed import EmbeddingCache

        emb_cache = EmbeddingCache(project_cache_path(db))  # the project's, beside its database
    try:
        res = find_topics(chosen, attribute=attribute, embedding=embedding, lang=corpus_lang, seed=seed,
                          min_topic_size=min_topic_size, max_topics=max_topics, method=method,
                          scope="all" if all_segments else "uncoded", cache=emb_cache, progress=progress)
    finally:
        if emb_cache is not None:
            emb_cache.close()
    res.project_id = project_id
    res.only = dict(only or {})
    drafts = write_drafts(res, out / DRAFTS_YAML)
    res.drafts_path = DRAFTS_YAML if drafts else ""
    json_path = res.save(out / TOPICS_JSON)
    report_lang = lang or cb.language
    wb = write_topics_workbook(res, out / TOPICS_XLSX, report_lang, chosen)
    return TopicsRun(res, wb, drafts, json_path)


def _only(attr: str, value: str, reason: str) -> ConfigError:
    return ConfigError(f"only={{{attr!r}: {value!r}}}: {reason}", parameter="only", value=f"{attr}={value}",
                       reason=reason)


def load_topics(out: str | Path, project_id: str) -> TopicResult | None:
    """The topics ``qualcode topics`` saved in ``out``, if any and if they are this project's.

    A ``topics.json`` that cannot be read raises :class:`~qualcode.errors.OutputError`
    naming the file (:meth:`TopicResult.load`).
    """
    p = Path(out) / TOPICS_JSON
    if not p.exists():
        return None
    res = TopicResult.load(p)
    if res.project_id and project_id and res.project_id != project_id:
        return None
    return res
