//! JUnit XML: one test case per gated figure, so CI systems show a failed gate natively.

use std::fmt::Write as _;

use crate::report::eval::escape;
use crate::report::{GateResult, Report};

/// The report's gates as a JUnit test suite.
pub fn to_junit(report: &Report, gates: &[GateResult]) -> String {
    let failures = gates.iter().filter(|g| !g.passed()).count();
    let mut s = String::new();
    let _ = writeln!(s, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let suite = format!("chaff eval {} on {}", report.model, report.data.join(", "));
    let _ = writeln!(
        s,
        r#"<testsuites tests="{}" failures="{failures}">"#,
        gates.len()
    );
    let _ = writeln!(
        s,
        r#"  <testsuite name="{}" tests="{}" failures="{failures}">"#,
        escape(&suite),
        gates.len()
    );
    for g in gates {
        let threshold = g.threshold.as_ref().map_or(0.0, |(t, _)| *t);
        let name = format!("{} >= {threshold:.4}", g.name);
        let _ = write!(
            s,
            r#"    <testcase classname="chaff.eval" name="{}""#,
            escape(&name)
        );
        match g.failure() {
            Some(message) => {
                let _ = writeln!(s, ">");
                let _ = writeln!(
                    s,
                    r#"      <failure message="{}">{}</failure>"#,
                    escape(&message),
                    escape(&message)
                );
                let _ = writeln!(s, "    </testcase>");
            }
            None => {
                let _ = writeln!(s, ">");
                let _ = writeln!(
                    s,
                    "      <system-out>{} = {:.4}</system-out>",
                    escape(&g.name),
                    g.value
                );
                let _ = writeln!(s, "    </testcase>");
            }
        }
    }
    let _ = writeln!(s, "  </testsuite>\n</testsuites>");
    s
}
