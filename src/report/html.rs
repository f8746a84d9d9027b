//! A self-contained HTML page of a report: summary, per-label table and bar chart, a
//! colour-scaled confusion matrix, per-publisher scores, gates, and the worst mistakes.
//! No external assets: styles are inline and the chart is inline SVG.
//!
//! The SVG is written by hand: it is a few dozen rectangles and labels, and a plotting
//! crate (plotters) would bring font handling and its compile time for that.

use std::fmt::Write as _;

use crate::report::eval::escape;
use crate::report::{GateResult, Mistake, Report};

const STYLE: &str = "body{font:15px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2em auto;max-width:1100px;color:#1f2328;padding:0 1em}\
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:1.8em;border-bottom:1px solid #d0d7de;padding-bottom:.2em}\
.meta{color:#57606a}table{border-collapse:collapse;margin:.5em 0}td,th{padding:.3em .7em;border:1px solid #d0d7de;text-align:right}\
th{background:#f6f8fa}td.l,th.l{text-align:left}.cards{display:flex;gap:1em;flex-wrap:wrap}\
.card{border:1px solid #d0d7de;border-radius:8px;padding:.6em 1em;min-width:9em}.card b{display:block;font-size:1.6em}\
.pass{color:#1a7f37}.fail{color:#cf222e;font-weight:600}td.text{text-align:left;max-width:40em;font-size:.92em}";

/// The report as one HTML page; `gates` and `mistakes` may be empty.
pub fn to_html(report: &Report, gates: &[GateResult], mistakes: &[Mistake]) -> String {
    let mut s = String::new();
    let title = format!("chaff eval: {}", report.data.join(", "));
    let _ = write!(
        s,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>",
        escape(&title)
    );
    let _ = write!(
        s,
        "<h1>{}</h1><p class=\"meta\">model {} · {} paragraphs in {} documents</p>",
        escape(&title),
        escape(&report.model),
        report.rows,
        report.documents
    );
    let _ = write!(s, "<div class=\"cards\">");
    let mut card = |name: &str, value: f64| {
        let _ = write!(s, "<div class=\"card\">{name}<b>{value:.3}</b></div>");
    };
    card("macro-F1", report.macro_f1);
    card("weighted F1", report.weighted_f1);
    card("accuracy", report.accuracy);
    if let Some(f) = report.reporting_vs_rest_f1 {
        card("reporting vs rest F1", f);
    }
    let _ = write!(s, "</div>");

    let _ = write!(
        s,
        "<h2>Per label</h2><table><tr><th class=\"l\">label</th><th>precision</th><th>recall</th><th>F1</th><th>support</th><th>predicted</th></tr>"
    );
    for (name, l) in &report.labels {
        let _ = write!(
            s,
            "<tr><td class=\"l\">{}</td><td>{:.3}</td><td>{:.3}</td><td>{:.3}</td><td>{}</td><td>{}</td></tr>",
            escape(name),
            l.precision,
            l.recall,
            l.f1,
            l.support,
            l.predicted
        );
    }
    let _ = write!(s, "</table>");
    s.push_str(&bars(report));

    s.push_str(&confusion(report));

    if !report.groups.is_empty() {
        let _ = write!(
            s,
            "<h2>By publisher</h2><table><tr><th class=\"l\">publisher</th><th>documents</th><th>paragraphs</th><th>accuracy</th><th>macro-F1</th></tr>"
        );
        for g in &report.groups {
            let _ = write!(
                s,
                "<tr><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{:.3}</td><td>{:.3}</td></tr>",
                escape(&g.name),
                g.documents,
                g.rows,
                g.accuracy,
                g.macro_f1
            );
        }
        let _ = write!(s, "</table>");
    }

    if gates.iter().any(|g| g.threshold.is_some()) {
        let _ = write!(
            s,
            "<h2>Gates</h2><table><tr><th class=\"l\">figure</th><th>value</th><th>threshold</th><th class=\"l\">result</th></tr>"
        );
        for g in gates.iter().filter(|g| g.threshold.is_some()) {
            let (t, why) = g.threshold.as_ref().expect("filtered");
            let (class, word) = if g.passed() {
                ("pass", "pass")
            } else {
                ("fail", "FAIL")
            };
            let _ = write!(
                s,
                "<tr><td class=\"l\">{}</td><td>{:.4}</td><td title=\"{}\">{t:.4}</td><td class=\"l {class}\">{word}</td></tr>",
                escape(&g.name),
                g.value,
                escape(why)
            );
        }
        let _ = write!(s, "</table>");
    }

    if !mistakes.is_empty() {
        let shown = mistakes.len().min(40);
        let _ = write!(
            s,
            "<h2>Worst mistakes</h2><p class=\"meta\">the {shown} most confident of {} misclassified paragraphs</p><table><tr><th class=\"l\">document</th><th>position</th><th class=\"l\">true</th><th class=\"l\">predicted</th><th>confidence</th><th class=\"l\">text</th></tr>",
            mistakes.len()
        );
        for m in &mistakes[..shown] {
            let _ = write!(
                s,
                "<tr><td class=\"l\">{}</td><td>{}</td><td class=\"l\">{}</td><td class=\"l\">{}</td><td>{:.3}</td><td class=\"text\">{}</td></tr>",
                escape(&m.doc_id),
                m.position,
                escape(&m.truth),
                escape(&m.predicted),
                m.confidence,
                escape(&m.text)
            );
        }
        let _ = write!(s, "</table>");
    }
    let _ = writeln!(s, "</body></html>");
    s
}

/// Horizontal bars of precision, recall and F1 per label.
fn bars(report: &Report) -> String {
    const LEFT: f64 = 150.0;
    const WIDTH: f64 = 420.0;
    const BAR: f64 = 14.0;
    let colours = [
        ("precision", "#0969da"),
        ("recall", "#bf8700"),
        ("F1", "#1a7f37"),
    ];
    let group = BAR * 3.0 + 14.0;
    let height = 30.0 + group * report.labels.len() as f64;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" role=\"img\" aria-label=\"precision, recall and F1 per label\" style=\"font:12px system-ui,sans-serif\">",
        LEFT + WIDTH + 60.0
    );
    for (i, (name, colour)) in colours.iter().enumerate() {
        let x = LEFT + i as f64 * 110.0;
        let _ = write!(
            s,
            "<rect x=\"{x}\" y=\"4\" width=\"12\" height=\"12\" fill=\"{colour}\"/><text x=\"{}\" y=\"14\">{name}</text>",
            x + 16.0
        );
    }
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let x = LEFT + tick * WIDTH;
        let _ = write!(
            s,
            "<line x1=\"{x}\" y1=\"24\" x2=\"{x}\" y2=\"{height}\" stroke=\"#d0d7de\"/>"
        );
    }
    for (row, (label, l)) in report.labels.iter().enumerate() {
        let top = 28.0 + row as f64 * group;
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            LEFT - 8.0,
            top + BAR * 1.8,
            escape(label)
        );
        for (i, value) in [l.precision, l.recall, l.f1].iter().enumerate() {
            let y = top + i as f64 * BAR;
            let _ = write!(
                s,
                "<rect x=\"{LEFT}\" y=\"{y}\" width=\"{:.1}\" height=\"{}\" fill=\"{}\"><title>{} {}: {value:.3}</title></rect><text x=\"{:.1}\" y=\"{}\">{value:.3}</text>",
                value * WIDTH,
                BAR - 2.0,
                colours[i].1,
                escape(label),
                colours[i].0,
                LEFT + value * WIDTH + 4.0,
                y + BAR - 4.0
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// The confusion matrix with each cell shaded by its share of the true label's row.
fn confusion(report: &Report) -> String {
    let mut s = String::new();
    let names = &report.confusion.labels;
    let _ = write!(
        s,
        "<h2>Confusion matrix</h2><p class=\"meta\">rows: true label · columns: predicted · shade: share of the row</p><table><tr><th class=\"l\">true \\ predicted</th>"
    );
    for n in names {
        let _ = write!(s, "<th>{}</th>", escape(n));
    }
    let _ = write!(s, "</tr>");
    for (t, row) in report.confusion.matrix.iter().enumerate() {
        let total: usize = row.iter().sum();
        let _ = write!(s, "<tr><th class=\"l\">{}</th>", escape(&names[t]));
        for (p, &count) in row.iter().enumerate() {
            let share = if total == 0 {
                0.0
            } else {
                count as f64 / total as f64
            };
            // Diagonal cells in green, errors in red, stronger with a larger share.
            let (r, g, b) = if t == p { (26, 127, 55) } else { (207, 34, 46) };
            let text = if share > 0.55 { "#fff" } else { "#1f2328" };
            let _ = write!(
                s,
                "<td style=\"background:rgba({r},{g},{b},{:.2});color:{text}\" title=\"{:.1}% of {}\">{count}</td>",
                share.min(1.0) * 0.9,
                share * 100.0,
                escape(&names[t])
            );
        }
        let _ = write!(s, "</tr>");
    }
    let _ = write!(s, "</table>");
    s
}
