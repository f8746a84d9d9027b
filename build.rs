//! Expands the phrase cues (src/text/cues/phrases.rs) into the first-word table
//! src/text/cues/mod.rs looks words up in, as Rust source in OUT_DIR, so that loading a model
//! builds nothing for the cues (docs/decisions.md, "Cues by hand").

use std::fmt::Write as _;

#[path = "src/text/cues/phrases.rs"]
mod phrases;

fn main() {
    println!("cargo::rerun-if-changed=src/text/cues/phrases.rs");
    println!("cargo::rerun-if-changed=build.rs");
    let built = phrases::build();
    let mut out = String::new();
    let n = built.keys.len();
    writeln!(out, "pub(super) const SHIFT: u32 = {};", built.shift).unwrap();
    writeln!(
        out,
        "pub(super) const LONGEST_WORD: usize = {};",
        built.longest_word
    )
    .unwrap();
    writeln!(
        out,
        "pub(super) static KEYS: [u64; {n}] = {:?};",
        built.keys
    )
    .unwrap();
    writeln!(
        out,
        "pub(super) static SLOTS: [(u32, u32, u32, u32); {n}] = {:?};",
        built.slots
    )
    .unwrap();
    writeln!(out, "pub(super) static WORDS: &[u8] = &{:?};", built.words).unwrap();
    writeln!(
        out,
        "pub(super) static PHRASE_LIST: [Phrase; {}] = [",
        built.phrases.len()
    )
    .unwrap();
    for (cue, anchor, rest) in &built.phrases {
        writeln!(
            out,
            "    Phrase {{ cue: {cue}, anchor: Anchor::{anchor:?}, rest: &{rest:?} }},"
        )
        .unwrap();
    }
    out.push_str("];\n");
    let path = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("cue_tables.rs");
    std::fs::write(path, out).unwrap();
}
