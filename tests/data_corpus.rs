//! The project's own corpus in data/: big and varied enough, split by publisher, and
//! written for the project (no 10-word run copied from the real pages in ../shared).

mod common;

use std::collections::{HashMap, HashSet};

use chaff::LabelledSet;
use chaff::Stats;
use common::*;

fn corpus() -> LabelledSet {
    LabelledSet::read(&[root().join("data/train.csv"), root().join("data/test.csv")]).unwrap()
}

#[test]
fn corpus_meets_the_size_and_variety_minimums() {
    let stats = Stats::of(&corpus());
    assert!(stats.rows >= 3000, "{} paragraphs", stats.rows);
    assert!(stats.documents >= 250, "{} documents", stats.documents);
    assert!(stats.publishers >= 30, "{} publishers", stats.publishers);
    let label = |name: &str| {
        stats
            .labels
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.clone())
            .unwrap()
    };
    assert!(label("donation_appeal").rows >= 450);
    assert!(label("donation_appeal").distinct_texts >= 60);
    assert!(label("gallery_caption").rows >= 450);
    assert!(label("boilerplate").rows >= 450);
    assert!(label("reporting").rows >= 1000);
}

#[test]
fn train_and_test_share_no_publisher() {
    let publishers = |file: &str| -> HashSet<String> {
        LabelledSet::read(&[root().join(file)])
            .unwrap()
            .documents
            .iter()
            .map(|d| d.publisher.clone().expect("every row names its publisher"))
            .collect()
    };
    let train = publishers("data/train.csv");
    let test = publishers("data/test.csv");
    assert!(train.is_disjoint(&test), "{:?}", train.intersection(&test));
    let share = test.len() as f64 / (train.len() + test.len()) as f64;
    assert!(
        (0.15..=0.3).contains(&share),
        "test share of publishers {share}"
    );
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn runs(text: &str, n: usize) -> Vec<String> {
    let w = words(text);
    w.windows(n).map(|r| r.join(" ")).collect()
}

#[test]
#[ignore = "needs ../shared (real pages, not in the repository); CI runs it with --ignored"]
fn no_ten_word_run_is_copied_from_the_real_pages() {
    let files = [
        "bench/newsroom-dev.csv",
        "bench/challenge.csv",
        "examples/independent-2025-07-13.csv",
    ];
    let mut real: HashMap<String, String> = HashMap::new();
    for file in files {
        let path = shared(file);
        for record in csv::Reader::from_path(&path).unwrap().deserialize() {
            let record: HashMap<String, String> = record.unwrap();
            for run in runs(&record["text"], 10) {
                real.insert(run, file.to_string());
            }
        }
    }
    let mut copied = Vec::new();
    for p in corpus().paragraphs() {
        if let Some(run) = runs(&p.text, 10).into_iter().find(|r| real.contains_key(r)) {
            copied.push(format!(
                "line {}: {:?} (also in {})",
                p.line, run, real[&run]
            ));
        }
    }
    assert!(
        copied.is_empty(),
        "text copied from real pages:\n{}",
        copied.join("\n")
    );
}

#[test]
fn data_readme_counts_are_current() {
    let readme = std::fs::read_to_string(root().join("data/README.md")).unwrap();
    let mut set = corpus();
    // The block names the files as the documented command gives them.
    set.files = vec!["data/train.csv".into(), "data/test.csv".into()];
    let expected = Stats::of(&set).to_markdown();
    assert_eq!(
        chaff::io::generated::block(&readme, "stats"),
        Some(expected.trim_matches('\n')),
        "data/README.md counts are stale: run \
         cargo run --release -- stats data/train.csv data/test.csv --into data/README.md"
    );
}
