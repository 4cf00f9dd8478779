"""Emergent topics: what respondents talk about that the codebook does not catch.

:func:`find_topics` clusters segments (BERTopic with offline embeddings; k-means on small
corpora) and describes each topic (keywords, size, groups, example quotes);
:func:`draft_codebook` turns topics into draft codes in the codebook's schema;
:func:`topics_project` does it all from a project database, as ``qualcode topics`` does, and
saves the result in ``topics.json`` (:func:`load_topics` reads it back for the outputs).
bertopic, umap, hdbscan and torch are imported only when topics are computed.
"""

from ._drafts import draft_codebook, write_drafts
from ._find import choose_embedding, describe, find_topics
from ._fit import cluster, default_min_topic_size
from ._model import Topic, TopicResult
from ._project import TOPICS_JSON, TopicsRun, load_topics, topics_project
from ._sheets import add_topics_sheet, write_topics_workbook

__all__ = ["find_topics", "topics_project", "TopicsRun", "load_topics", "TOPICS_JSON", "Topic", "TopicResult", "draft_codebook",
           "write_drafts", "add_topics_sheet", "write_topics_workbook", "cluster", "describe",
           "choose_embedding", "default_min_topic_size"]
