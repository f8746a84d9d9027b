//! Reads feeds with chaff's own readers and cuts their articles into paragraphs, without
//! tagging: the input rate `benches/speed` sets tagging against, so the README shows how
//! far tagging is from the I/O limit.
//!
//! ```sh
//! cargo run --release --example read_feed -- feed.jsonl [more feeds...]
//! ```
//!
//! Prints the articles and paragraphs read and the seconds taken.

use std::path::Path;
use std::time::Instant;

use chaff::io::{feed, FeedSettings};

fn main() -> Result<(), chaff::Error> {
    let settings = FeedSettings::default();
    let start = Instant::now();
    let (mut articles, mut paragraphs) = (0usize, 0usize);
    for path in std::env::args_os().skip(1) {
        let (_, items) = feed::open(Path::new(&path), &settings)?;
        for item in items {
            articles += 1;
            paragraphs += item?.article.paragraphs.len();
        }
    }
    println!(
        "{articles} articles, {paragraphs} paragraphs in {:.3} s",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
