"""Crisis Chronicle: dated statements, claims and sources rendered into a cross-linked site."""

from .index import Index, build_index
from .model import Actor, Chronicle, Citation, Claim, ClaimLink, Source, Statement, Verdict
from .problems import Problem, format_problems
from .validate import Result, validate_folder

__all__ = [
    "Actor",
    "Chronicle",
    "Citation",
    "Claim",
    "ClaimLink",
    "Index",
    "Problem",
    "Result",
    "Source",
    "Statement",
    "Verdict",
    "build_index",
    "format_problems",
    "validate_folder",
]
