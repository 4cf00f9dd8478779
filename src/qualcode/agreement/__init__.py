"""Agreement: how far the machine and the reviewers agree, and the reviewers among themselves.

Pure statistics on label vectors (percent agreement, Cohen's kappa, Krippendorff's alpha,
precision/recall/F1) and a report built from the project's latest state::

    from qualcode.agreement import compute_agreement, format_table
    print(format_table(compute_agreement(store)))
"""

from ._metrics import (
    cohen_kappa,
    krippendorff_alpha,
    mean_defined,
    percent_agreement,
    precision_recall_f1,
)
from ._report import (
    MEAN,
    POOLED,
    AgreementReport,
    AgreementRow,
    Dispute,
    InterviewAgreement,
    compute_agreement,
    format_table,
    kappa_band,
    write_agreement_workbook,
)

__all__ = ["percent_agreement", "cohen_kappa", "krippendorff_alpha", "precision_recall_f1",
           "mean_defined", "compute_agreement", "format_table", "write_agreement_workbook",
           "AgreementReport", "AgreementRow", "Dispute", "InterviewAgreement", "kappa_band", "POOLED",
           "MEAN"]
