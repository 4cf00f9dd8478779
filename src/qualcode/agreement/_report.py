"""Agreement between the machine and the reviewers, and between reviewers, from the store.

The unit is the segment: for each code, a coder's label on a segment is "applied" or "not
applied". The machine's label is its latest finished pass on that segment (no proposal =
not applied); a reviewer's label is their current decision, and a segment a reviewer left
empty for a code is missing, not "no". A comparison only uses the segments that all its
coders labelled for that code. "All codes (pooled)" treats every (segment, code) pair as
one unit; "all codes (mean)" averages the per-code figures that are defined.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from ..codebook import Codebook
from ..store import Store
from ._metrics import (
    NAN,
    cohen_kappa,
    krippendorff_alpha,
    mean_defined,
    percent_agreement,
    precision_recall_f1,
)

MACHINE = "machine"
POOLED = "ALL (pooled)"
MEAN = "ALL (mean of codes)"

_T = {
    "sheet": {"fr": "Accord", "en": "Agreement"},
    "comparison": {"fr": "Comparaison", "en": "Comparison"},
    "code": {"fr": "Code", "en": "Code"},
    "label": {"fr": "Libellé", "en": "Label"},
    "units": {"fr": "Segments", "en": "Segments"},
    "applied": {"fr": "Appliqué", "en": "Applied"},
    "percent": {"fr": "% accord", "en": "% agreement"},
    "kappa": {"fr": "kappa de Cohen", "en": "Cohen's kappa"},
    "alpha": {"fr": "alpha de Krippendorff", "en": "Krippendorff's alpha"},
    "precision": {"fr": "Précision", "en": "Precision"},
    "recall": {"fr": "Rappel", "en": "Recall"},
    "f1": {"fr": "F1", "en": "F1"},
    "vs": {"fr": "vs", "en": "vs"},
    "humans": {"fr": "relecteurs ({n})", "en": "reviewers ({n})"},
    "consensus": {"fr": "relecteurs (dernière décision)", "en": "reviewers (latest decision)"},
}

NOTES = {
    "en": [
        "Unit: the segment. For each code, each coder's label on a segment is applied / not applied.",
        "Machine: its latest finished pass on each segment (no proposal = not applied). Reviewer: their "
        "current decisions; a code left empty by a reviewer is missing, not 'no'.",
        "Each comparison uses only the segments all its coders labelled for that code (Segments column); "
        "Applied: on how many of them each coder applied the code, in the comparison's order.",
        "ALL (pooled): every (segment, code) pair is one unit. ALL (mean of codes): the mean of the "
        "per-code figures that are defined.",
        "Precision, recall, F1: the machine against the reviewer(s) (named first) as reference. Between two reviewers "
        "F1 is the positive specific agreement (symmetric).",
        "n/a: undefined (e.g. kappa and alpha when all labels are the same value, F1 when nobody "
        "applied the code).",
    ],
    "fr": [
        "Unité : le segment. Pour chaque code, l'étiquette d'un codeur sur un segment est appliqué / "
        "non appliqué.",
        "Machine : sa dernière passe terminée sur chaque segment (pas de proposition = non appliqué). "
        "Relecteur : ses décisions actuelles ; un code laissé vide est manquant, pas « non ».",
        "Chaque comparaison n'utilise que les segments étiquetés par tous ses codeurs pour ce code "
        "(colonne Segments) ; Appliqué : sur combien d'entre eux chaque codeur a appliqué le code, "
        "dans l'ordre de la comparaison.",
        "ALL (pooled) : chaque paire (segment, code) est une unité. ALL (mean of codes) : moyenne des "
        "valeurs par code définies.",
        "Précision, rappel, F1 : la machine contre le(s) relecteur(s) (nommés en premier) comme référence. Entre deux "
        "relecteurs, F1 est l'accord spécifique positif (symétrique).",
        "n/a : non défini (p. ex. kappa et alpha quand toutes les étiquettes sont identiques, F1 quand "
        "personne n'a appliqué le code).",
    ],
}


def t(key: str, lang: str, **fmt: object) -> str:
    s = _T[key].get(lang) or _T[key]["en"]
    return s.format(**fmt) if fmt else s


@dataclass
class AgreementRow:
    """One comparison on one code (or all codes)."""

    comparison: str
    kind: str  # "machine-human", "human-human" or "humans" (3+ reviewers)
    code: str  # a code id, POOLED or MEAN
    label: str
    units: int  # segments labelled by every coder of the comparison ((segment, code) pairs if pooled)
    applied: tuple[int, ...]  # units where each coder applied the code
    percent: float
    kappa: float
    alpha: float
    precision: float = NAN
    recall: float = NAN
    f1: float = NAN


@dataclass
class AgreementReport:
    rows: list[AgreementRow]
    reviewers: list[str]
    codebook_version: str
    language: str
    notes: list[str] = field(default_factory=list)

    def for_comparison(self, comparison: str) -> list[AgreementRow]:
        return [r for r in self.rows if r.comparison == comparison]

    def row(self, comparison: str, code: str) -> AgreementRow:
        return next(r for r in self.rows if r.comparison == comparison and r.code == code)


Labels = dict[tuple[str, str], bool]  # (segment id, code id) -> applied


def compute_agreement(store: Store, codebook: Codebook | None = None,
                      reviewers: Sequence[str] | None = None) -> AgreementReport:
    """Agreement figures for every comparison the project's decisions allow.

    Machine vs each reviewer; machine vs the reviewers' latest decision when there are two
    or more; each pair of reviewers; and all reviewers together (alpha) when three or more.
    ``reviewers`` restricts to those names. An empty report when nobody reviewed yet.
    """
    cb = codebook or store.codebook()
    lang = cb.language if cb.language in ("fr", "en") else "en"
    active = set(store.segment_shas())
    machine_segs = store.machine_coded_segments() & active
    proposals = store.machine_codings()
    machine: Labels = {(s, c): bool((e := proposals.get((s, c))) and e.applied)
                       for s in machine_segs for c in cb.ids}
    humans: dict[str, Labels] = {}
    latest: dict[tuple[str, str], tuple[str, int, bool]] = {}
    for k, d in enumerate(store.human_codings()):
        if d.segment_id not in active or d.code_id not in cb.ids:
            continue
        if reviewers is not None and d.coder not in reviewers:
            continue
        humans.setdefault(d.coder, {})[(d.segment_id, d.code_id)] = d.applied
        key = (d.segment_id, d.code_id)
        if key not in latest or (d.created_at, k) >= latest[key][:2]:
            latest[key] = (d.created_at, k, d.applied)
    names = sorted(humans)
    rows: list[AgreementRow] = []
    for r in names:
        rows += _compare(f"{r} {t('vs', lang)} {MACHINE}", "machine-human", [humans[r], machine], cb, lang)
    if len(names) >= 2:
        consensus = {k: v[2] for k, v in latest.items()}
        rows += _compare(f"{t('consensus', lang)} {t('vs', lang)} {MACHINE}", "machine-human",
                         [consensus, machine], cb, lang)
    for a, b in combinations(names, 2):
        rows += _compare(f"{a} {t('vs', lang)} {b}", "human-human", [humans[a], humans[b]], cb, lang)
    if len(names) >= 3:
        rows += _compare(t("humans", lang, n=len(names)), "humans", [humans[r] for r in names], cb, lang)
    return AgreementReport(rows, names, cb.version, lang, NOTES[lang])


def _compare(name: str, kind: str, coders: list[Labels], cb: Codebook, lang: str) -> list[AgreementRow]:
    """Per-code rows, then pooled and mean rows. ``coders[0]`` is the reference for P/R/F1."""
    per_code: list[AgreementRow] = []
    pooled: list[list[bool | None]] = [[] for _ in coders]
    for c in cb.ids:
        if kind == "humans":
            segs = sorted({s for lab in coders for (s, cc) in lab if cc == c
                           if sum((s, c) in x for x in coders) >= 2})
        else:
            segs = sorted(s for (s, cc) in coders[0] if cc == c and all((s, c) in x for x in coders[1:]))
        vecs = [[lab.get((s, c)) for s in segs] for lab in coders]
        for p, v in zip(pooled, vecs):
            p.extend(v)
        per_code.append(_row(name, kind, c, cb.label(c, lang), vecs))
    rows = [r for r in per_code if r.units]
    if not rows:
        return []
    pooled_row = _row(name, kind, POOLED, "", pooled)
    mean = AgreementRow(name, kind, MEAN, "", pooled_row.units, pooled_row.applied,
                        *(mean_defined([getattr(r, f) for r in rows])
                          for f in ("percent", "kappa", "alpha", "precision", "recall", "f1")))
    return [*rows, pooled_row, mean]


def _row(name: str, kind: str, code: str, label: str, vecs: list[list[bool | None]]) -> AgreementRow:
    units = len(vecs[0])
    applied = tuple(sum(bool(x) for x in v) for v in vecs)
    alpha = krippendorff_alpha(vecs)
    if kind == "humans":
        pairable = [u for u in range(units) if sum(v[u] is not None for v in vecs) >= 2]
        same = [len({v[u] for v in vecs if v[u] is not None}) == 1 for u in pairable]
        pct = sum(same) / len(same) if same else NAN
        return AgreementRow(name, kind, code, label, units, applied, pct, NAN, alpha)
    a, b = vecs
    pct, kappa = percent_agreement(a, b), cohen_kappa(a, b)
    p, r, f1 = precision_recall_f1(a, b)
    if kind == "human-human":
        p = r = NAN
    return AgreementRow(name, kind, code, label, units, applied, pct, kappa, alpha, p, r, f1)


# -- presentation ---------------------------------------------------------------------------

COLUMNS = ("comparison", "code", "units", "applied", "percent", "kappa", "alpha", "precision",
           "recall", "f1")


def _fmt(v: float, pct: bool = False) -> str:
    if isinstance(v, float) and math.isnan(v):
        return "n/a"
    return f"{100 * v:.1f}%" if pct else f"{v:.3f}"


def format_table(report: AgreementReport) -> str:
    """The report as a plain-text table for the terminal."""
    lang = report.language
    head = [t(k, lang) for k in COLUMNS]
    body = []
    for r in report.rows:
        body.append([r.comparison, r.code, str(r.units), "/".join(map(str, r.applied)),
                     _fmt(r.percent, True), _fmt(r.kappa), _fmt(r.alpha), _fmt(r.precision),
                     _fmt(r.recall), _fmt(r.f1)])
    widths = [max(len(h), *(len(b[j]) for b in body)) if body else len(h) for j, h in enumerate(head)]
    lines = ["  ".join(h.ljust(w) if j < 2 else h.rjust(w) for j, (h, w) in enumerate(zip(head, widths)))]
    lines.append("  ".join("-" * w for w in widths))
    prev = None
    for b in body:
        if prev is not None and b[0] != prev:
            lines.append("")
        prev = b[0]
        lines.append("  ".join(x.ljust(w) if j < 2 else x.rjust(w) for j, (x, w) in enumerate(zip(b, widths))))
    return "\n".join(lines)


def write_agreement_workbook(report: AgreementReport, path: str | Path) -> Path:
    """The report as a one-sheet workbook (plus its notes), saved atomically."""
    from openpyxl import Workbook

    from ..export._xlsx import atomic_save, write_table

    lang = report.language
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(t("sheet", lang))
    header = [t(k, lang) for k in ("comparison", "code", "label", "units", "applied", "percent",
                                   "kappa", "alpha", "precision", "recall", "f1")]
    rows = [[r.comparison, r.code, r.label, r.units, " / ".join(map(str, r.applied)),
             *[None if math.isnan(v) else round(v, 4) for v in
               (r.percent, r.kappa, r.alpha, r.precision, r.recall, r.f1)]] for r in report.rows]
    fmts = {5: "0.0%", **{j: "0.000" for j in range(6, 11)}}
    write_table(ws, header, rows, widths=[34, 18, 30, 10, 16, 12, 14, 14, 11, 11, 9],
                number_formats=fmts, freeze="C2")
    notes = wb.create_sheet("Notes")
    write_table(notes, ["notes"], [[n] for n in report.notes] +
                [[f"codebook {report.codebook_version}"], ["n/a = empty cell"]],
                widths=[120], freeze=None, autofilter=False)
    return atomic_save(wb, Path(path))
