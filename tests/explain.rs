//! `chaff tag --explain`: each record says which features weighed most in its label.

mod common;

use common::{chaff, stdout, write};
use serde_json::Value;

/// An appeal, then body paragraphs: long enough for the context stage to read.
const ARTICLE: &str = "Your support keeps our newsroom going. Please donate today: \
    give $5 a month to keep our journalism free for everyone.\n\n\
    The county council voted on Tuesday evening to close two of its five public swimming \
    pools from next spring, citing a repair bill that officials said the budget could not \
    absorb.\n\n\
    Councillor Marta Ingleby, who chairs the leisure committee, said the decision had been \
    the hardest of her eight years in office.\n\n\
    Parents who gathered outside the chamber said the closures would leave children with \
    a long bus ride to the nearest lesson.\n\n\
    A public consultation on the future use of the two buildings will open in January.\n";

fn names(top: &Value) -> Vec<&str> {
    top.as_array()
        .expect("top is a list")
        .iter()
        .map(|entry| entry["feature"].as_str().expect("feature is a string"))
        .collect()
}

#[test]
fn jsonl_records_carry_an_explain_object() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "article.txt", ARTICLE.as_bytes());
    let output = chaff(["tag", "--explain", &input]);
    assert!(output.status.success(), "{output:?}");
    let records: Vec<Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    assert_eq!(records.len(), 5);
    for record in &records {
        let explain = &record["explain"];
        let text = &explain["text_stage"];
        let p = text["label_probability"].as_f64().expect("a probability");
        assert!((0.0..=1.0).contains(&p), "{record}");
        let top = text["top"].as_array().expect("a list");
        assert!(!top.is_empty() && top.len() <= 5, "{record}");
        for entry in top {
            assert!(entry["weight"].as_f64().unwrap() > 0.0, "{record}");
            assert_eq!(entry.as_object().unwrap().len(), 2, "{record}");
        }
        let context = &explain["context_stage"];
        assert!(context["used"].is_boolean(), "{record}");
        assert!(context["top"].is_array(), "{record}");
        if context["used"] == false {
            assert!(context["skipped"].is_string(), "{record}");
        }
    }
    let appeal = &records[0];
    assert_eq!(appeal["label"], "donation_appeal", "{appeal}");
    let top = names(&appeal["explain"]["text_stage"]["top"]);
    assert!(
        top.iter().any(|name| name.starts_with("cue:appeal")
            || *name == "cue:our_journalism"
            || *name == "word:donate"),
        "{top:?}"
    );
    // Five paragraphs: the context stage reads the unsure ones; named features when it does.
    for record in &records {
        let context = &record["explain"]["context_stage"];
        if context["used"] == true {
            assert!(
                names(&context["top"])
                    .iter()
                    .all(|name| !name.is_empty() && !name.starts_with("word:")),
                "{record}"
            );
        }
    }

    // --explain=N lists at most N; without --explain there is no explain object.
    let output = chaff(["tag", "--explain=2", &input]);
    assert!(output.status.success(), "{output:?}");
    for line in stdout(&output).lines() {
        let record: Value = serde_json::from_str(line).unwrap();
        assert!(
            record["explain"]["text_stage"]["top"]
                .as_array()
                .unwrap()
                .len()
                <= 2
        );
    }
    let output = chaff(["tag", &input]);
    assert!(!stdout(&output).contains("explain"));
}

#[test]
fn text_output_adds_an_indented_line_and_csv_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "article.txt", ARTICLE.as_bytes());
    let output = chaff(["tag", "--explain", "--format", "text", &input]);
    assert!(output.status.success(), "{output:?}");
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 10, "{text}");
    for pair in lines.chunks(2) {
        assert!(!pair[0].starts_with(' '), "{text}");
        assert!(pair[1].starts_with("    explain: text "), "{text}");
    }

    let output = chaff(["tag", "--explain", "--format", "csv", &input]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--explain") && stderr.contains("CSV"),
        "{stderr}"
    );
}
