"""A small hand-made project for the summaries, report and topics tests.

Six French interviews (two managers, two experts, two recruiters), a three-code codebook,
one machine pass and a few human decisions, all chosen so that every count is known by
hand: tests compare what the outputs show with these numbers and with SQL on the store.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from qualcode.codebook import parse_codebook
from qualcode.model import Coding, Proposal, Segment, Source
from qualcode.store import Store, now

CODEBOOK = """
name: mini_fr
version: "1"
language: fr
languages: [fr, en]
title: {fr: "L'IA au travail (test)", en: "AI at work (test)"}
codes:
  - id: DATA_SECURITY
    label: {fr: "Sécurité des données", en: "Data security"}
    definition: {fr: "Confidentialité des données.", en: "Confidentiality of data."}
  - id: COMPLIANCE
    label: {fr: "Conformité réglementaire", en: "Regulatory compliance"}
  - id: JOB_THREAT
    label: {fr: "Menace sur l'emploi", en: "Threat to jobs"}
"""

ROLES = {"e1": "manager", "e2": "manager", "e3": "expert", "e4": "expert", "e5": "recruteur", "e6": "recruteur"}
SECTORS = {"e1": "industrie", "e2": "banque", "e3": "industrie", "e4": "conseil", "e5": "banque", "e6": "conseil"}

# (interview, text, machine codes)
SEGMENTS: list[tuple[str, str, tuple[str, ...]]] = [
    ("e1", "Nous ne mettons jamais les données clients dans l'outil, le chiffrement reste obligatoire chez nous.",
     ("DATA_SECURITY",)),
    ("e1", "Le RGPD nous impose des règles strictes, et les données clients restent chez nous avec chiffrement.",
     ("DATA_SECURITY", "COMPLIANCE")),
    ("e1", "Je pense que certains postes d'assistants vont disparaître dans les prochaines années.",
     ("JOB_THREAT",)),
    ("e2", "La conformité au RGPD est vérifiée par le service juridique avant chaque nouvel usage.",
     ("COMPLIANCE",)),
    ("e2", "Les données clients sont sensibles : chiffrement systématique et aucun copier-coller.",
     ("DATA_SECURITY",)),
    ("e3", "Mon expertise reste nécessaire pour relire ce que produit la machine, ligne par ligne.", ()),
    ("e3", "On parle de suppression de postes dans les équipes de saisie, les emplois sont menacés.",
     ("JOB_THREAT",)),
    ("e4", "Les données clients ne doivent pas sortir, le chiffrement et les accès sont contrôlés.",
     ("DATA_SECURITY",)),
    ("e4", "Honnêtement je ne sais pas trop quoi en penser, on verra bien comment les choses évoluent.", ()),
    ("e5", "Les candidats veulent parler à une personne, pas à un robot qui trie les CV.", ()),
    ("e5", "Les emplois de chargés de recrutement juniors sont menacés par le tri automatique.", ("JOB_THREAT",)),
    ("e6", "On m'a demandé de respecter la charte interne et le RGPD pour chaque outil utilisé.",
     ("COMPLIANCE",)),
    ("e6", "Le RGPD encadre la protection des données clients et le chiffrement des fichiers.",
     ("DATA_SECURITY", "COMPLIANCE")),
]

# Human decisions: reject one machine coding, add one the machine missed.
HUMAN = [("e1#1", "COMPLIANCE", False), ("e3#0", "JOB_THREAT", True), ("e1#0", "DATA_SECURITY", True)]

# What the latest state holds, counted by hand (segments, interviewees, per role).
EXPECTED = {
    "DATA_SECURITY": {"segments": 5, "interviews": 4, "by_role": {"manager": (3, 2), "expert": (1, 1), "recruteur": (1, 1)}},
    "COMPLIANCE": {"segments": 3, "interviews": 2, "by_role": {"manager": (1, 1), "expert": (0, 0), "recruteur": (2, 1)}},
    "JOB_THREAT": {"segments": 4, "interviews": 3, "by_role": {"manager": (1, 1), "expert": (2, 1), "recruteur": (1, 1)}},
}
ROLE_SEGMENTS = {"manager": 5, "expert": 4, "recruteur": 4}


def build_project(folder: Path, segments=SEGMENTS, human=HUMAN, codebook: str = CODEBOOK) -> Path:
    """Write the project database in ``folder``; returns its path."""
    db = Path(folder) / "qualcode.db"
    cb = parse_codebook(codebook, "mini_fr.yaml")
    by_src: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for src, text, codes in segments:
        by_src.setdefault(src, []).append((text, codes))
    with Store(db) as st:
        st.save_codebook(cb)
        all_segs, props = [], []
        for src, items in by_src.items():
            full = "\n\n".join(f"Répondant : {t}" for t, _ in items)
            attrs = {"role": ROLES.get(src, "autre"), "sector": SECTORS.get(src, "autre")}
            source = Source(id=src, path=f"{src}.txt", text=full, format="txt",
                            sha256=hashlib.sha256(full.encode()).hexdigest(), language="fr", attributes=attrs)
            st.save_sources([source])
            segs, pos = [], 0
            for k, (t, codes) in enumerate(items):
                start = full.index(t, pos)
                pos = start + len(t)
                segs.append(Segment(id=f"{src}#{k}", source_id=src, turn_index=k, start=start, end=pos, text=t,
                                    speaker="Répondant", language="fr", attributes=attrs))
                props.append([Proposal(c, True, 0.8, [t.split()[3]]) for c in codes])
            st.replace_segments(src, segs, "turn")
            all_segs += segs
        pid = st.start_pass("lexicon", "lexicon-test", "machine", cb.version)
        st.add_machine_codings(pid, "lexicon", cb.version, all_segs, props)
        st.finish_pass(pid, len(all_segs))
        ids = {g.id for g in all_segs}  # decisions exist only on segments the project has
        st.add_human_codings([Coding(s, c, a, None, [], "alice", "human", cb.version, now())
                              for s, c, a in human if s in ids], "review.xlsx")
    return db


def effective_from_sql(db: Path) -> dict[tuple[str, str], bool]:
    """The latest state recomputed with plain SQL (independently of Store.effective)."""
    import sqlite3

    con = sqlite3.connect(db)
    last_pass = con.execute("SELECT max(id) FROM passes WHERE kind='machine' AND finished_at IS NOT NULL").fetchone()[0]
    state = {(s, c): bool(a) for s, c, a in con.execute(
        "SELECT segment_id, code_id, applied FROM codings WHERE pass_id=?", (last_pass,))}
    for s, c, a in con.execute("SELECT segment_id, code_id, applied FROM codings WHERE coder_kind='human' "
                               "AND superseded_by IS NULL ORDER BY id"):
        state[(s, c)] = bool(a)
    con.close()
    return state
