//! The default model shipped inside the binary: it loads without arguments, it was trained
//! on the data/train.csv in this tree, and it tags the real example article right.

mod common;

use common::*;
use sha2::{Digest, Sha256};

#[test]
fn shipped_model_was_trained_on_this_data() {
    let bytes = std::fs::read(root().join("data/train.csv")).unwrap();
    let expected: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let model = chaff::Model::load(&root().join("models/default.chaff")).unwrap();
    assert_eq!(
        model.info().data_sha256,
        expected,
        "models/default.chaff was not trained on the current data/train.csv; rebuild it \
         with the command in README.md (Rebuilding the default model)"
    );
    let builtin = chaff::Model::builtin().unwrap();
    assert_eq!(
        builtin.to_bytes(),
        model.to_bytes(),
        "the binary embeds a different model than models/default.chaff"
    );
}

#[test]
fn info_and_tag_work_without_a_model_argument() {
    let out = chaff(["info"]);
    assert_status(&out, 0);
    assert!(stdout(&out).contains("data/train.csv"), "{}", stdout(&out));
    let out = chaff([
        "tag",
        root()
            .join("data/examples/highveld-taxi-fares.txt")
            .to_str()
            .unwrap(),
    ]);
    assert_status(&out, 0);
    // One record per paragraph of the file, however the example is edited.
    let text =
        std::fs::read_to_string(root().join("data/examples/highveld-taxi-fares.txt")).unwrap();
    assert_eq!(
        stdout(&out).lines().count(),
        chaff::split_paragraphs(&text).len()
    );
}

#[test]
#[ignore = "needs ../shared (real pages, not in the repository); CI runs it with --ignored"]
fn default_model_tags_the_real_example_article() {
    let text = shared("examples/independent-2025-07-13.txt");
    let labels = shared("examples/independent-2025-07-13.csv");
    let out = chaff(["tag", text.to_str().unwrap()]);
    assert_status(&out, 0);
    let predicted: Vec<String> = stdout(&out)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["label"].as_str().unwrap().to_string()
        })
        .collect();
    let truth: Vec<String> = csv::Reader::from_path(labels)
        .unwrap()
        .records()
        .map(|r| r.unwrap()[3].to_string())
        .collect();
    assert_eq!(
        predicted.len(),
        truth.len(),
        "one tag per labelled paragraph"
    );
    let right = predicted.iter().zip(&truth).filter(|(p, t)| p == t).count();
    assert!(
        right >= 12,
        "{right} of {} right: {predicted:?} vs {truth:?}",
        truth.len()
    );
}
