//! Any bytes as a JSONL, CSV or plain-text feed: every record is read or refused, the
//! readers end, and nothing panics.
#![no_main]

use chaff::io::feed::{from_reader, FeedSettings, InputFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let settings = FeedSettings::default();
    for format in [InputFormat::Jsonl, InputFormat::Csv, InputFormat::Text] {
        let reader = Box::new(std::io::Cursor::new(data.to_vec()));
        let feed = from_reader(std::path::Path::new("fuzz"), format, reader, &settings);
        let mut n = 0;
        for item in feed {
            if let Ok(item) = item {
                for p in &item.article.paragraphs {
                    assert!(!p.text.is_empty() || format == InputFormat::Csv);
                }
            }
            n += 1;
            assert!(
                n <= data.len() + 1,
                "more records than bytes: the reader loops"
            );
        }
    }
});
