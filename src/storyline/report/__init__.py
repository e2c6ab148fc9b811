"""The report contract: report.json (schema-validated), report.html and report.md."""

from storyline.report.report import Report
from storyline.report.schema import load_schema, validate_report
from storyline.report.write import write_report

__all__ = ["Report", "load_schema", "validate_report", "write_report"]
