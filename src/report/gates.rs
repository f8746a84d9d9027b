//! Gates: the thresholds a report must meet for CI to pass. Each figure (macro-F1 and each
//! label's F1) gets the strictest threshold that applies to it: a fixed minimum, or the
//! score of a saved baseline report minus the allowed drop.

use std::path::Path;

use crate::error::{display_path, Error, Location, Result};
use crate::io::read_file;
use crate::report::Report;

/// What a report must meet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gates {
    /// Minimum macro-F1.
    pub min_macro_f1: Option<f64>,
    /// Minimum F1 per label.
    pub min_f1: Vec<(String, f64)>,
    /// A saved report to compare against, with its file name.
    pub baseline: Option<(String, Report)>,
    /// How far macro-F1 or a label's F1 may fall below the baseline.
    pub max_drop: f64,
}

impl Gates {
    /// Reads a baseline report (JSON written by `chaff eval --format json`).
    pub fn read_baseline(path: &Path) -> Result<(String, Report)> {
        let bytes = read_file(path)?;
        let report: Report = serde_json::from_slice(&bytes).map_err(|e| {
            Error::input(
                Location::file(path),
                format!("not a chaff eval JSON report ({e})"),
            )
        })?;
        Ok((display_path(path), report))
    }

    /// True when any threshold is set.
    pub fn any(&self) -> bool {
        self.min_macro_f1.is_some() || !self.min_f1.is_empty() || self.baseline.is_some()
    }
}

/// One figure checked against its threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct GateResult {
    /// What is checked, e.g. "f1 of donation_appeal".
    pub name: String,
    /// The measured value.
    pub value: f64,
    /// The threshold, when one applies, and where it comes from.
    pub threshold: Option<(f64, String)>,
}

impl GateResult {
    /// True when there is no threshold or the value meets it.
    pub fn passed(&self) -> bool {
        self.threshold
            .as_ref()
            .is_none_or(|(t, _)| self.value + 1e-12 >= *t)
    }

    /// One line saying what failed, for stderr.
    pub fn failure(&self) -> Option<String> {
        let (t, why) = self.threshold.as_ref()?;
        (!self.passed())
            .then(|| format!("{} is {:.4}, below {:.4} ({why})", self.name, self.value, t))
    }
}

/// Checks `report` against `gates`: one result for macro-F1 and one per label.
pub fn check_gates(report: &Report, gates: &Gates) -> Result<Vec<GateResult>> {
    for (label, _) in &gates.min_f1 {
        if !report.labels.contains_key(label) {
            return Err(Error::Usage(format!(
                "--min-f1 names label {label:?}, which the report does not have (labels: {})",
                report.labels.keys().cloned().collect::<Vec<_>>().join(", ")
            )));
        }
    }
    let strictest = |a: Option<(f64, String)>, b: Option<(f64, String)>| match (a, b) {
        (Some(a), Some(b)) => Some(if a.0 >= b.0 { a } else { b }),
        (a, b) => a.or(b),
    };
    let from_baseline = |value: Option<f64>| {
        let (name, _) = gates.baseline.as_ref()?;
        let v = value?;
        Some((
            v - gates.max_drop,
            format!(
                "baseline {name} {v:.4} minus allowed drop {}",
                gates.max_drop
            ),
        ))
    };
    let baseline = gates.baseline.as_ref().map(|(_, r)| r);
    let mut results = vec![GateResult {
        name: "macro_f1".into(),
        value: report.macro_f1,
        threshold: strictest(
            gates.min_macro_f1.map(|t| (t, "--min-macro-f1".into())),
            from_baseline(baseline.map(|b| b.macro_f1)),
        ),
    }];
    for (label, scores) in &report.labels {
        let fixed = gates
            .min_f1
            .iter()
            .filter(|(l, _)| l == label)
            .map(|(_, t)| *t)
            .fold(None, |a: Option<f64>, t| Some(a.map_or(t, |a| a.max(t))));
        let base = baseline
            .and_then(|b| b.labels.get(label))
            .filter(|s| s.support > 0)
            .map(|s| s.f1);
        results.push(GateResult {
            name: format!("f1 of {label}"),
            value: scores.f1,
            threshold: strictest(
                fixed.map(|t| (t, format!("--min-f1 {label}={t}"))),
                from_baseline(base),
            ),
        });
    }
    Ok(results)
}
