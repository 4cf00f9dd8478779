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

from .._i18n import fmt_pct, number, tr
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

# Landis and Koch (1977): the usual words for a kappa's strength.
# (lower bound, colour, label ``agreement.band.<name>``)
BANDS = [(-1.0, "F4B6B6", "poor"),
         (0.0, "F8CBAD", "slight"),
         (0.2, "FCE4D6", "fair"),
         (0.4, "FFF2CC", "moderate"),
         (0.6, "E2EFDA", "substantial"),
         (0.8, "C6EFCE", "almost_perfect")]


def kappa_band(kappa: float, lang: str) -> str:
    """Landis and Koch's word for a kappa (empty when undefined)."""
    if isinstance(kappa, float) and math.isnan(kappa):
        return ""
    word = BANDS[0][2]
    for lo, _, words in BANDS:
        if kappa > lo or lo == -1.0 or (lo == 0.0 and kappa == 0.0):
            word = words
    return tr(f"agreement.band.{word}", lang)

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
    both: int = 0  # two-coder comparisons: units both applied the code on
    only_first: int = 0  # the first coder applied it, the second did not
    only_second: int = 0
    neither: int = 0


@dataclass
class Dispute:
    """A segment on which the two coders of a comparison disagree about one code."""

    comparison: str
    code: str
    label: str
    segment_id: str
    source_id: str
    text: str
    first: bool
    second: bool
    first_memo: str = ""
    second_memo: str = ""


@dataclass
class InterviewAgreement:
    """One two-coder comparison on one interview, all codes pooled."""

    comparison: str
    source_id: str
    units: int  # (segment, code) pairs both coders labelled
    agreements: int
    only_first: int
    only_second: int
    kappa: float


@dataclass
class AgreementReport:
    rows: list[AgreementRow]
    reviewers: list[str]
    codebook_version: str
    language: str
    notes: list[str] = field(default_factory=list)
    disputes: list[Dispute] = field(default_factory=list)
    interviews: list[InterviewAgreement] = field(default_factory=list)

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
    memos: dict[str, dict[tuple[str, str], str]] = {}
    latest: dict[tuple[str, str], tuple[str, int, bool]] = {}
    for k, d in enumerate(store.human_codings()):
        if d.segment_id not in active or d.code_id not in cb.ids:
            continue
        if reviewers is not None and d.coder not in reviewers:
            continue
        humans.setdefault(d.coder, {})[(d.segment_id, d.code_id)] = d.applied
        memos.setdefault(d.coder, {})[(d.segment_id, d.code_id)] = d.memo or ""
        key = (d.segment_id, d.code_id)
        if key not in latest or (d.created_at, k) >= latest[key][:2]:
            latest[key] = (d.created_at, k, d.applied)
    names = sorted(humans)
    rows: list[AgreementRow] = []
    report = AgreementReport(rows, names, cb.version, lang, tr("agreement.notes_text", lang).split("\n"))
    segs = {s.id: s for s in store.segments()} if humans else {}
    for r in names:
        name = f"{r} {tr('agreement.vs', lang)} {MACHINE}"
        rows += _compare(name, "machine-human", [humans[r], machine], cb, lang)
        _details(report, name, [humans[r], machine], [memos[r], {}], segs, cb, lang)
    if len(names) >= 2:
        consensus = {k: v[2] for k, v in latest.items()}
        rows += _compare(f"{tr('agreement.consensus', lang)} {tr('agreement.vs', lang)} {MACHINE}", "machine-human",
                         [consensus, machine], cb, lang)
    for a, b in combinations(names, 2):
        rows += _compare(f"{a} {tr('agreement.vs', lang)} {b}", "human-human", [humans[a], humans[b]], cb, lang)
        _details(report, f"{a} {tr('agreement.vs', lang)} {b}", [humans[a], humans[b]], [memos[a], memos[b]], segs, cb, lang)
    if len(names) >= 3:
        rows += _compare(tr("agreement.humans", lang, n=len(names)), "humans", [humans[r] for r in names], cb, lang)
    return report


def _details(report: AgreementReport, name: str, coders: list[Labels], memos: list[dict[tuple[str, str], str]],
             segs: dict, cb: Codebook, lang: str) -> None:
    """The disputed segments of a two-coder comparison, and its agreement interview by interview."""
    first, second = coders
    per_source: dict[str, list[tuple[bool, bool]]] = {}
    for (s, c), a in sorted(first.items()):
        if c not in cb.ids or (s, c) not in second or s not in segs:
            continue
        b = second[(s, c)]
        seg = segs[s]
        per_source.setdefault(seg.source_id, []).append((a, b))
        if a != b:
            report.disputes.append(Dispute(name, c, cb.label(c, lang), s, seg.source_id, seg.text, a, b,
                                           memos[0].get((s, c), ""), memos[1].get((s, c), "")))
    for src, pairs in sorted(per_source.items()):
        a = [x for x, _ in pairs]
        b = [y for _, y in pairs]
        report.interviews.append(InterviewAgreement(
            name, src, len(pairs), sum(x == y for x, y in pairs), sum(x and not y for x, y in pairs),
            sum(y and not x for x, y in pairs), cohen_kappa(a, b)))


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
    pairs = list(zip(a, b))
    return AgreementRow(name, kind, code, label, units, applied, pct, kappa, alpha, p, r, f1,
                        both=sum(bool(x) and bool(y) for x, y in pairs),
                        only_first=sum(bool(x) and not y for x, y in pairs),
                        only_second=sum(bool(y) and not x for x, y in pairs),
                        neither=sum(not x and not y for x, y in pairs))


# -- presentation ---------------------------------------------------------------------------

COLUMNS = ("comparison", "code", "units", "applied", "percent", "kappa", "alpha", "precision",
           "recall", "f1")


def _fmt(v: float, pct: bool = False, lang: str = "en") -> str:
    if isinstance(v, float) and math.isnan(v):
        return tr("number.na", lang)
    return fmt_pct(v, lang, digits=1) if pct else number(v, lang, 3)  # 90,0 % and 0,420 in French


def format_table(report: AgreementReport) -> str:
    """The report as a plain-text table for the terminal."""
    lang = report.language
    head = [tr(f"agreement.{k}", lang) for k in COLUMNS]
    names = {POOLED: tr("agreement.pooled", lang), MEAN: tr("agreement.mean", lang)}
    body = []
    for r in report.rows:
        body.append([r.comparison, names.get(r.code, r.code), str(r.units), " / ".join(map(str, r.applied)),
                     _fmt(r.percent, True, lang), _fmt(r.kappa, lang=lang), _fmt(r.alpha, lang=lang),
                     _fmt(r.precision, lang=lang), _fmt(r.recall, lang=lang), _fmt(r.f1, lang=lang)])
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
    """A coding-comparison workbook, saved atomically: per comparison and code, kappa in Landis
    and Koch's colour bands with the counts of each kind of disagreement; the same interview by
    interview; the disputed segments with both decisions and memos; the notes."""
    from openpyxl import Workbook

    from .._xlsx import atomic_save

    wb = Workbook(write_only=True)
    _summary_sheet(wb, report)
    _interviews_sheet(wb, report)
    _disputes_sheet(wb, report)
    lang = report.language
    notes = wb.create_sheet(tr("agreement.sheet_notes", lang))
    from .._xlsx import write_table

    write_table(notes, [tr("agreement.notes", lang)], [[n] for n in report.notes] +
                [[tr("agreement.codebook_version", lang, v=report.codebook_version)], [tr("agreement.na", lang)]],
                widths=[120], freeze=None, autofilter=False, wrap=(0,))
    return atomic_save(wb, Path(path))


def _num(v: float, digits: int = 4) -> float | None:
    return None if isinstance(v, float) and math.isnan(v) else round(v, digits)


def _kappa_rules(ws, ref: str) -> None:
    """Colour bands for kappa (one rule a band, from the top, first match wins)."""
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import PatternFill

    for lo, colour, _ in reversed(BANDS):
        fill = PatternFill("solid", fgColor=colour)
        if lo == -1.0:
            ws.conditional_formatting.add(ref, CellIsRule(operator="lessThan", formula=["0"], fill=fill,
                                                          stopIfTrue=True))
        elif lo == 0.0:
            ws.conditional_formatting.add(ref, CellIsRule(operator="greaterThanOrEqual", formula=["0"],
                                                          fill=fill, stopIfTrue=True))
        else:
            ws.conditional_formatting.add(ref, CellIsRule(operator="greaterThan", formula=[str(lo)], fill=fill,
                                                          stopIfTrue=True))


def _summary_sheet(wb, report: AgreementReport) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    from .._xlsx import (
        TOP,
        cell,
        header_cells,
        header_width,
        print_setup,
        row_height,
        set_widths,
    )

    lang = report.language
    ws = wb.create_sheet(tr("agreement.sheet", lang))
    header = [tr(f"agreement.{k}", lang) for k in ("comparison", "code", "label", "units", "kappa", "percent", "band",
                                   "alpha", "both", "only_a_head", "only_b_head", "neither",
                                   "precision", "recall", "f1")]
    names = {POOLED: tr("agreement.pooled", lang), MEAN: tr("agreement.mean", lang)}
    widths = [max(24, *(len(r.comparison) * 1.05 + 2 for r in report.rows)), 16, 28, 10, 10, 10, 16, 12,
              10, 10, 10, 10, 10, 10, 8]
    widths = [max(w, header_width(h)) for w, h in zip(widths, header)]
    print_setup(ws)
    set_widths(ws, widths)
    ws.freeze_panes = "D2"
    ws.row_dimensions[1].height = row_height(zip(header, widths))
    ws.append(header_cells(ws, header))
    band_fill = [PatternFill("solid", fgColor="F2F2F2"), None]
    indented = Alignment(horizontal="left", vertical="top", indent=1)  # a word after a right-aligned number: keep them apart
    top = Border(top=Side(style="medium", color="1F3864"))
    group, prev = -1, None
    for r in report.rows:
        if r.comparison != prev:
            group, prev = group + 1, r.comparison
            first_of_group = True
        else:
            first_of_group = False
        summary = r.code in (POOLED, MEAN)
        font = Font(bold=True) if summary else None
        fill = band_fill[group % 2]
        two = r.kind != "humans"
        values = [r.comparison, names.get(r.code, r.code), r.label, r.units, _num(r.kappa), _num(r.percent),
                  kappa_band(r.kappa, lang), _num(r.alpha),
                  *((r.both, r.only_first, r.only_second, r.neither) if two and r.code != MEAN else (None,) * 4),
                  _num(r.precision), _num(r.recall), _num(r.f1)]
        fmts = {4: "0.00", 5: "0.0%", 7: "0.00", 12: "0.00", 13: "0.00", 14: "0.00"}
        cells = []
        for j, v in enumerate(values):
            c = cell(ws, v, font=font, fill=fill if j not in (4, 6) else None,
                     alignment=indented if j == 6 else TOP, number_format=fmts.get(j))
            if first_of_group:
                c.border = top
            cells.append(c)
        ws.append(cells)
    n = len(report.rows)
    if n:
        _kappa_rules(ws, f"E2:E{n + 1}")
        ws.auto_filter.ref = f"A1:O{n + 1}"


def _interviews_sheet(wb, report: AgreementReport) -> None:
    from .._xlsx import write_table

    lang = report.language
    ws = wb.create_sheet(tr("agreement.sheet_interviews", lang))
    header = [tr("agreement.comparison", lang), tr("agreement.interview", lang), tr("agreement.pairs", lang), tr("agreement.percent", lang),
              tr("agreement.kappa", lang), tr("agreement.band", lang), tr("agreement.only_a_head", lang), tr("agreement.only_b_head", lang)]
    rows = [[i.comparison, i.source_id, i.units, i.agreements / i.units if i.units else None, _num(i.kappa),
             kappa_band(i.kappa, lang), i.only_first, i.only_second] for i in report.interviews]
    width = max([24, *(len(i.comparison) * 1.05 + 2 for i in report.interviews)])
    src_w = max([14, *(len(i.source_id) * 1.05 + 2 for i in report.interviews)])
    n = write_table(ws, header, rows, widths=[width, src_w, 12, 10, 10, 16, 10, 10],
                    number_formats={3: "0.0%", 4: "0.00"}, freeze="C2", indent=(5,))
    if n:
        _kappa_rules(ws, f"E2:E{n + 1}")


def _disputes_sheet(wb, report: AgreementReport) -> None:
    from .._xlsx import (
        TOP,
        WRAP,
        cell,
        fit_height,
        full_text_comment,
        header_cells,
        header_width,
        print_setup,
        row_height,
        set_widths,
    )

    lang = report.language
    ws = wb.create_sheet(tr("agreement.sheet_disputes", lang))
    header = [tr("agreement.comparison", lang), tr("agreement.interview", lang), tr("agreement.label", lang), tr("agreement.decision_first", lang),
              tr("agreement.decision_second", lang), tr("agreement.text", lang), tr("agreement.memo_first", lang), tr("agreement.memo_second", lang),
              tr("agreement.code", lang), tr("agreement.segment", lang)]
    widths = [max([22, *(len(d.comparison) * 1.05 + 2 for d in report.disputes)]),
              max([14, *(len(d.source_id) * 1.05 + 2 for d in report.disputes)]), 24, 10, 10, 60, 28, 28, 16,
              max([12, *(len(d.segment_id) * 1.05 + 2 for d in report.disputes)])]
    widths = [max(w, header_width(h)) for w, h in zip(widths, header)]
    print_setup(ws)
    set_widths(ws, widths)
    ws.freeze_panes = "D2"
    ws.row_dimensions[1].height = row_height(zip(header, widths))
    ws.append(header_cells(ws, header))
    yes, no = tr("agreement.yes", lang), tr("agreement.no", lang)
    from openpyxl.styles import Alignment, Font

    center = Alignment(horizontal="center", vertical="top")
    for k, d in enumerate(report.disputes):
        height, over = fit_height([(d.text, widths[5]), (d.first_memo, widths[6]), (d.second_memo, widths[7]),
                                   (d.label, widths[2])])
        ws.row_dimensions[k + 2].height = height
        text = cell(ws, d.text, alignment=WRAP)
        if over:
            text.comment = full_text_comment(d.text)
        ws.append([cell(ws, d.comparison, alignment=TOP), cell(ws, d.source_id, alignment=TOP),
                   cell(ws, d.label, alignment=WRAP),
                   cell(ws, yes if d.first else no, alignment=center, font=Font(bold=d.first)),
                   cell(ws, yes if d.second else no, alignment=center, font=Font(bold=d.second)),
                   text, cell(ws, d.first_memo or None, alignment=WRAP), cell(ws, d.second_memo or None, alignment=WRAP),
                   cell(ws, d.code, alignment=TOP), cell(ws, d.segment_id, alignment=TOP)])
    if report.disputes:
        ws.auto_filter.ref = f"A1:J{len(report.disputes) + 1}"
    else:
        ws.append([cell(ws, tr("agreement.no_disputes", lang))])
