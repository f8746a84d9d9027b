//! Streaming through the real binary: several batches, several threads, input order kept,
//! the same output whatever the thread count.

mod common;

use common::*;

fn feed(dir: &std::path::Path, articles: usize) -> std::path::PathBuf {
    let path = dir.join("feed.jsonl");
    let examples = std::fs::read_to_string(root().join("data/examples/feed.jsonl")).unwrap();
    let texts: Vec<serde_json::Value> = examples
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["text"].clone())
        .collect();
    let mut out = String::new();
    for i in 0..articles {
        let record = serde_json::json!({"id": format!("a{i}"), "text": texts[i % texts.len()]});
        out.push_str(&record.to_string());
        out.push('\n');
    }
    std::fs::write(&path, out).unwrap();
    path
}

#[test]
fn output_keeps_input_order_across_batches_and_threads() {
    let dir = tempfile::tempdir().unwrap();
    // More articles than one batch holds (2,048), so order is kept across batches too.
    let path = feed(dir.path(), 2_500);
    let p = path.to_str().unwrap();
    let one = chaff(["tag", p, "--threads", "1", "--format", "csv"]);
    assert_status(&one, 0);
    let two = chaff(["tag", p, "--threads", "2", "--format", "csv"]);
    assert_status(&two, 0);
    assert_eq!(
        stdout(&one),
        stdout(&two),
        "thread count changed the output"
    );
    let text = stdout(&two);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut last: Option<(usize, usize)> = None;
    let mut articles = 0;
    for record in reader.records() {
        let record = record.unwrap();
        let doc: usize = record[0][1..].parse().unwrap();
        let position: usize = record[1].parse().unwrap();
        if let Some((d, p)) = last {
            assert!(
                (doc, position) > (d, p),
                "out of order: a{doc}:{position} after a{d}:{p}"
            );
            if doc != d {
                assert_eq!(doc, d + 1, "an article is missing");
                articles += 1;
            }
        }
        last = Some((doc, position));
    }
    assert_eq!(articles + 1, 2_500);

    let cleaned = chaff(["clean", p, "--threads", "2"]);
    assert_status(&cleaned, 0);
    let ids: Vec<String> = stdout(&cleaned)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids.len(), 2_500, "one line out per line in");
    assert!(ids.iter().enumerate().all(|(i, id)| *id == format!("a{i}")));
}
