//! `chaff info`: what a model is, for people (text) and for machines (JSON): its labels,
//! file format, stages, training data, settings and recorded scores.

use std::fmt::Write as _;
use std::time::{Duration, UNIX_EPOCH};

use crate::model::file::FORMAT_VERSION;
use crate::model::Model;

/// The model's stages in words: "text", "text + context" or "text + context with
/// repetition".
pub fn describe_stages(model: &Model) -> &'static str {
    match (model.has_context_stage(), model.uses_repetition()) {
        (false, _) => "text",
        (true, false) => "text + context",
        (true, true) => "text + context with repetition",
    }
}

fn trained_at(model: &Model) -> String {
    let at = UNIX_EPOCH + Duration::from_secs(model.info().trained_at);
    humantime::format_rfc3339_seconds(at).to_string()
}

/// What `model` (named `name` in the output) is, as aligned text for people.
pub fn info_text(model: &Model, name: &str) -> String {
    let info = model.info();
    let mut s = String::new();
    let _ = writeln!(s, "model:          {name}");
    let _ = writeln!(s, "format version: {FORMAT_VERSION}");
    let _ = writeln!(s, "labels:         {}", model.labels().names().join(", "));
    let _ = writeln!(s, "stages:         {}", describe_stages(model));
    let _ = writeln!(
        s,
        "trained with:   chaff {} at {}",
        info.chaff_version,
        trained_at(model)
    );
    let _ = writeln!(s, "training data:  {}", info.files.join(", "));
    let _ = writeln!(
        s,
        "                {} paragraphs in {} documents",
        info.rows, info.documents
    );
    let counts: Vec<String> = model
        .labels()
        .names()
        .iter()
        .zip(&info.label_counts)
        .map(|(l, c)| format!("{l} {c}"))
        .collect();
    let _ = writeln!(s, "                {}", counts.join(", "));
    let _ = writeln!(s, "data sha256:    {}", info.data_sha256);
    let _ = writeln!(s, "settings:");
    let width = info
        .settings
        .iter()
        .map(|(k, _)| k.len())
        .max()
        .unwrap_or(0);
    for (key, value) in &info.settings {
        let _ = writeln!(s, "  {key:width$}  {value}");
    }
    let _ = writeln!(s, "scores at training time:");
    for score in &info.scores {
        let _ = writeln!(
            s,
            "  {}: macro-F1 {:.3}, accuracy {:.3} ({} paragraphs)",
            score.set, score.macro_f1, score.accuracy, score.rows
        );
    }
    s
}

/// What `model` (named `name`) is, as pretty-printed JSON.
pub fn info_json(model: &Model, name: &str) -> String {
    let settings: serde_json::Map<String, serde_json::Value> = model
        .info()
        .settings
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect();
    let value = serde_json::json!({
        "model": name,
        "format_version": FORMAT_VERSION,
        "labels": model.labels().names(),
        "stages": describe_stages(model),
        "features": model.feature_settings(),
        "settings": settings,
        "training": model.info(),
        "trained_at_utc": trained_at(model),
    });
    serde_json::to_string_pretty(&value).expect("json") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_lists_every_recorded_setting_on_its_own_line() {
        let model = Model::builtin().unwrap();
        let text = info_text(&model, "built-in");
        assert!(text.contains(&format!("format version: {FORMAT_VERSION}\n")));
        for (key, value) in &model.info().settings {
            let line = text
                .lines()
                .find(|l| l.trim_start().starts_with(&format!("{key} ")))
                .unwrap_or_else(|| panic!("no line for setting {key}"));
            assert!(line.trim_end().ends_with(value.as_str()), "{line}");
        }
        let json: serde_json::Value = serde_json::from_str(&info_json(&model, "m")).unwrap();
        assert_eq!(json["format_version"], FORMAT_VERSION);
        assert_eq!(
            json["labels"].as_array().unwrap().len(),
            model.labels().len()
        );
    }
}
