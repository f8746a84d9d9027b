//! Every rendering of results: evaluation reports (text, Markdown, JSON, JUnit, a
//! self-contained HTML page, a CSV of the mistakes) and the gates CI checks them against,
//! cross-validation summaries, model information and corpus statistics.

mod cv;
mod errors;
mod eval;
mod gates;
mod html;
mod info;
mod junit;
mod stats;

pub use errors::{mistakes, write_errors_csv, Mistake};
pub use eval::{ConfusionTable, GroupScores, Report, ReportFormat};
pub use gates::{check_gates, GateResult, Gates};
pub use html::to_html;
pub use info::{describe_stages, info_json, info_text};
