//! The library's front door, as issue 14 states the contract a Rust user relies on: the
//! program below must compile and run unchanged, tag the appeal `donation_appeal` and the
//! body `reporting`. The tagged output of a feed is also compared with a committed copy, so
//! a refactoring that changes any score shows up here.

mod common;

use common::*;

/// The contract program, verbatim but for its name and the returned tags the test reads.
mod program {
    use chaff::{Article, Model, Tagger};

    pub fn main() -> Result<Vec<(String, String)>, chaff::Error> {
        let mut seen = Vec::new();
        let model = Model::builtin()?; // or Model::load(path)?
        let mut tagger = Tagger::new(&model); // repetition counts carry across calls
        let articles = vec![Article::from_text(
            "a1",
            "Donate now to keep our journalism free.\n\nThe council voted on Monday to raise bus fares.",
        )];
        for article in &tagger.tag(&articles)? {
            // one result per article, in order
            for p in &article.paragraphs {
                // p.label displays as the label's name
                println!(
                    "{}\t{}\t{:.3}\t{}",
                    article.id, p.label, p.confidence, p.text
                );
                seen.push((p.label.to_string(), p.text.to_string()));
            }
            let kept: String = article.clean(&["reporting"]); // the kept paragraphs, blank-line separated
            println!("{kept}");
            seen.push(("kept".to_string(), kept));
        }
        Ok(seen)
    }
}

#[test]
fn the_contract_program_tags_the_appeal_and_the_body() {
    let seen = program::main().unwrap();
    assert_eq!(seen[0].0, "donation_appeal", "{seen:?}");
    assert_eq!(seen[1].0, "reporting", "{seen:?}");
    assert_eq!(
        seen[2],
        (
            "kept".to_string(),
            "The council voted on Monday to raise bus fares.".to_string()
        )
    );
}

/// `tag --scores` of data/examples/feed.jsonl with the built-in model, byte for byte. After
/// retraining the default model on purpose, rewrite the copy with
/// `CHAFF_BLESS=1 cargo test --release --test front_door`.
#[test]
fn tagged_feed_matches_the_committed_output() {
    let expected_path = fixture("expected/feed-scores.jsonl");
    let feed = root().join("data/examples/feed.jsonl");
    let out = chaff(["tag", "--scores", feed.to_str().unwrap()]);
    assert_status(&out, 0);
    if std::env::var_os("CHAFF_BLESS").is_some() {
        std::fs::create_dir_all(expected_path.parent().unwrap()).unwrap();
        std::fs::write(&expected_path, &out.stdout).unwrap();
    }
    let expected = std::fs::read(&expected_path).unwrap();
    assert!(
        out.stdout == expected,
        "tag --scores output differs from {}; if the model changed on purpose, rewrite it \
         with CHAFF_BLESS=1",
        expected_path.display()
    );
}
