"""``qualcode topics``: emergent topics among the segments no code caught."""

from __future__ import annotations

import argparse

from .._files import DEFAULT_OUT
from .._i18n import Message, localised, number, tr
from ..errors import ConfigError
from ._common import ProgressBars, add_command, add_db_option, progress_option


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub, "topics", help="find emergent topics (BERTopic) and draft codes for them",
        description="Cluster the respondents' segments that no code caught (or all of them) into topics "
                    "with BERTopic, offline and reproducibly, and describe each topic: keywords, size, "
                    "who raised it, example quotes. Writes OUT/topics.xlsx, OUT/draft_codes.yaml (draft "
                    "codes in the codebook's format, to review and merge), OUT/topics.json, and refreshes "
                    "OUT/report.html and report.md. Embeddings are cached, so a second run is fast.",
        examples="  qualcode topics                                # uncoded segments of qualcode.db\n"
                 "  qualcode topics --all-segments --min-topic-size 30\n"
                 "  qualcode topics --only role=manager --seed 7    # managers' segments only\n"
                 "  qualcode topics --embedding static              # much faster, coarser (English)\n"
                 "  qualcode topics --embedding /models/my-sentence-transformer")
    add_db_option(p)
    p.add_argument("--out", default=DEFAULT_OUT, metavar="DIR", help="output folder (default: %(default)s)")
    p.add_argument("--all-segments", action="store_true",
                   help="cluster every segment, not only those no code caught")
    p.add_argument("--embedding", default="auto", metavar="NAME_OR_PATH",
                   help="auto (default), static, minilm, use, hashing, or a sentence-transformers "
                        "model name or folder already on this machine")
    p.add_argument("--min-topic-size", type=int, metavar="N",
                   help="smallest topic, in segments (default: grows with the corpus, 10 to 150)")
    p.add_argument("--max-topics", type=int, default=30, metavar="N",
                   help="merge similar topics down to at most N (default: %(default)s)")
    p.add_argument("--seed", type=int, default=42, metavar="N", help="random seed (default: %(default)s)")
    p.add_argument("--method", choices=["auto", "bertopic", "kmeans"], default="auto",
                   help="clustering: BERTopic, or k-means for small corpora (default: auto)")
    p.add_argument("--only", action="append", metavar="ATTR=VALUE",
                   help="keep the interviews with this attribute value, e.g. --only role=manager (repeatable)")
    p.add_argument("--by", metavar="ATTR", help="attribute to break topics down by (default: role when present)")
    p.add_argument("--lang", choices=["fr", "en"], help="language of the sheets and report (default: the codebook's)")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the embedding cache")
    progress_option(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..report import summarize_project  # lazy: pandas/numpy only when the command runs
    from ..topics import topics_project
    only = {}
    for item in args.only or []:
        attr, sep, value = item.partition("=")
        if not sep or not attr.strip():
            raise ConfigError(Message("cli.fail.only", item=item))
        only[attr.strip()] = value.strip()
    bars = ProgressBars(args.progress)
    try:
        r = topics_project(args.db, args.out, all_segments=args.all_segments, embedding=args.embedding,
                           min_topic_size=args.min_topic_size, max_topics=args.max_topics, seed=args.seed,
                           by=args.by, method=args.method, lang=args.lang, only=only, cache=not args.no_cache,
                           progress=bars)
        # the report shows the topics just saved (the coded workbook's sheets follow `summarize`)
        report = summarize_project(args.db, args.out, by=args.by, lang=args.lang, workbook=False,
                                   remember=False, progress=bars)
    finally:
        bars.close()
    res = r.result
    lang = args.lang or res.lang
    scope = tr("cli.topics.scope_all" if res.scope == "all" else "cli.topics.scope_uncoded", lang)
    if res.method == "none":
        print(tr("cli.topics.nothing", lang, n=res.n_docs, scope=scope, excluded=res.n_excluded))
    else:
        print(tr("cli.topics.clustered", lang, n=res.n_docs, scope=scope, excluded=res.n_excluded,
                 method=res.method, embedding=res.embedding, seed=res.seed, seconds=number(res.seconds, lang, 0)))
    if not res.topics:
        print(tr("cli.topics.no_topic", lang, why=localised(res.message, lang)))
    else:
        print(tr("cli.topics.count", lang, n=len(res.topics), outliers=res.n_outliers))
        for t in res.topics:
            print(tr("cli.topics.line", lang, code=t.code_id, size=t.size, people=t.interviews, label=t.label))
    print(tr("cli.topics.workbook", lang, path=r.workbook))
    if r.drafts:
        print(tr("cli.topics.drafts", lang, path=r.drafts))
    if report.html:
        print(tr("cli.topics.report", lang, path=report.html))
    return 0
