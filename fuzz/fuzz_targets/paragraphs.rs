//! Any text cut into paragraphs, then tagged by the shipped model: one tag per paragraph.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static MODEL: OnceLock<chaff::Model> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let paragraphs = chaff::split_paragraphs(text);
    for p in &paragraphs {
        assert!(!p.is_empty() && p.trim() == p);
    }
    let model = MODEL.get_or_init(|| chaff::Model::builtin().expect("built-in model"));
    let article = chaff::Article::new("fuzz", paragraphs.clone());
    let tagged = chaff::Tagger::new(model)
        .pieces(true)
        .tag(std::slice::from_ref(&article))
        .expect("tagging text in memory does not fail");
    assert_eq!(tagged[0].paragraphs.len(), paragraphs.len());
});
