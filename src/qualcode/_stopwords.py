"""Stop words for distinctive terms and topic keywords: spaCy's French and English lists,
plus the fillers of spoken language that transcripts are full of ("yeah", "euh", "voilà")."""

from __future__ import annotations

import re
from functools import lru_cache

# Words that carry no theme in interview speech but are not in spaCy's lists.
_FILLER_TEXT = """
yeah yes yep nope okay ok oh um uh umm hmm hm mm ah like really actually basically kind sort
thing things stuff lot lots just pretty maybe probably know think mean guess want going got get
gets getting way ways bit little definitely certainly sure right good great feel feels felt
something anything everything nothing someone able
don doesn didn isn wasn aren weren ve ll re couldn wouldn shouldn won haven hasn hadn ain let
gonna wanna kinda sorta totally absolutely exactly honestly literally obviously especially
example examples instance far different specific specifically particular particularly overall
euh heu bah ben bon ouais voilà voila truc trucs machin enfin donc quoi hein genre style
aujourd hui fait faire vraiment chose choses peu beaucoup plutôt plutot justement effectivement
alors ça ca oui non bref après apres déjà deja aussi encore tout tous toute toutes
faut falloir rien dire dis dit vois voir sais savoir crois croire trouve pense penser fois moment
niveau côté cote gens mettre met mis prendre pris passer passe dedans vachement carrément
"""
_FILLERS = frozenset(_FILLER_TEXT.split())

TOKEN_PATTERN = r"(?u)\b[^\W\d_][^\W\d_]+\b"  # words of two letters or more, no digits


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """French + English stop words, lowercased, with typographic apostrophes folded."""
    EN, FR = _spacy_list("en"), _spacy_list("fr")
    words = {w.lower().replace("\u2019", "'") for w in (*EN, *FR, *_FILLERS)}
    # CountVectorizer checks stop words against its own tokens: split elided forms too.
    for w in list(words):
        words.update(p for p in re.split(r"[^\w]+", w) if len(p) > 1)
    return frozenset(words)


def _spacy_list(lang: str) -> set[str]:
    """spaCy's ``spacy/lang/<lang>/stop_words.py``, read without importing spaCy's language
    package (whose tokenizer exceptions take seconds to build and are not needed here)."""
    import importlib.util

    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        return set()
    path = f"{list(spec.submodule_search_locations)[0]}/lang/{lang}/stop_words.py"
    mod_spec = importlib.util.spec_from_file_location(f"_qualcode_stop_words_{lang}", path)
    if mod_spec is None or mod_spec.loader is None:
        return set()
    mod = importlib.util.module_from_spec(mod_spec)
    mod_spec.loader.exec_module(mod)
    return set(mod.STOP_WORDS)


_TOKEN_RE = re.compile(TOKEN_PATTERN)
_CLAUSE_RE = re.compile(r"[,.;:!?()\[\]«»\"…—–/]+")


def analyze(text: str) -> list[str]:
    """Words and adjacent word pairs of ``text``, without stop words.

    Pairs are formed before stop words are dropped, so "sécurité des données" gives no
    "sécurité données" (a pair the speaker never said) while "données clients" stays.
    """
    stops = stop_words()
    out: list[str] = []
    pairs: list[str] = []
    for chunk in _CLAUSE_RE.split(preprocess(text)):  # no pair across a comma or a full stop
        words = _TOKEN_RE.findall(chunk)
        keep = [w not in stops for w in words]
        out += [w for w, k in zip(words, keep) if k]
        pairs += [f"{a} {b}" for a, b, ka, kb in zip(words, words[1:], keep, keep[1:]) if ka and kb]
    return out + pairs


def preprocess(text: str) -> str:
    """Lowercase and fold typographic apostrophes (l’IA -> l'ia) before tokenising."""
    return text.lower().replace("\u2019", "'").replace("\u02bc", "'")
