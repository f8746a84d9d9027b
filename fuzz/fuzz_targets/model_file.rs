//! Any bytes as a model file: loaded or refused with a reason, never a panic. The same
//! bytes are also sealed in a valid envelope, so the fuzzer reaches the payload decoder and
//! the consistency checks behind the checksum.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for bytes in [data.to_vec(), chaff::internals::seal(data)] {
        if let Ok(model) = chaff::Model::from_bytes(&bytes, "fuzz.chaff") {
            // A model that loads must also tag.
            let articles = [chaff::Article::from_text("fuzz", "Some text.\n\nDonate now")];
            let tagged = chaff::Tagger::new(&model).tag(&articles).expect("tags");
            assert_eq!(tagged[0].paragraphs.len(), 2);
        }
    }
});
