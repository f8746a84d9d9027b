//! Any bytes as a labelled CSV: parsed or refused with an error naming the file, never a
//! panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let name = std::path::Path::new("fuzz.csv");
    match chaff::LabelledSet::parse(name, data) {
        Ok(set) => {
            for document in &set.documents {
                assert!(!document.paragraphs.is_empty());
            }
        }
        Err(e) => assert!(e.to_string().starts_with("fuzz.csv")),
    }
});
