//! Compressed feeds (issue 15): gzip and zstd read by their magic bytes from files and
//! standard input, written by the output's extension; and Dolma attributes, whose
//! character offsets must slice each paragraph out of the original text.

mod common;

use std::io::{Read, Write};
use std::path::Path;

use common::*;
use serde_json::Value;

const APPEAL: &str = "Donate now to keep our journalism free. Every gift, however small, \
                      funds our reporters. Support us today from just $1.";
const NEWS: &str = "The council voted on Monday to raise bus fares by ten percent from \
                    April, the first rise in six years, after a three-hour debate.";
const CAPTION: &str = "Photograph: John Smith/Reuters";

fn jsonl_feed(first: usize, articles: usize) -> String {
    (first..first + articles)
        .map(|i| {
            serde_json::json!({"id": format!("a{i}"), "text": format!("{APPEAL}\n\n{NEWS}\n\n{CAPTION}"), "k": i})
                .to_string()
                + "\n"
        })
        .collect()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).unwrap()
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// `chaff ARGS FILE` on a file holding `bytes`, as standard output.
fn run_on(dir: &Path, name: &str, bytes: &[u8], args: &[&str]) -> String {
    let path = write(dir, name, bytes);
    let out = chaff(args.iter().copied().chain(["--quiet", path.as_str()]));
    assert_status(&out, 0);
    stdout(&out)
}

#[test]
fn compressed_files_are_read_like_the_plain_file_whatever_their_name() {
    let dir = tempfile::tempdir().unwrap();
    let feed = jsonl_feed(0, 3);
    let plain = run_on(dir.path(), "feed.jsonl", feed.as_bytes(), &["clean"]);
    assert_eq!(plain.lines().count(), 3);
    assert!(!plain.contains("Donate"), "{plain}");
    let gz = gzip(feed.as_bytes());
    let zst = zstd(feed.as_bytes());
    for (name, bytes) in [
        ("feed.jsonl.gz", &gz),
        ("feed.jsonl.zst", &zst),
        // Misnamed: the magic bytes decide, the name still gives the format.
        ("feed.jsonl", &gz),
        ("feed.ndjson", &zst),
        // No format in the name: the decompressed stream is sniffed.
        ("feed.gz", &gz),
        ("feed", &zst),
    ] {
        assert_eq!(run_on(dir.path(), name, bytes, &["clean"]), plain, "{name}");
    }
    // CSV in a gzip file.
    let csv = format!("doc_id,position,text\nd,0,{APPEAL:?}\nd,1,{NEWS:?}\n");
    let plain = run_on(dir.path(), "feed.csv", csv.as_bytes(), &["tag"]);
    assert_eq!(plain.lines().count(), 2);
    assert_eq!(
        run_on(dir.path(), "feed.csv.gz", &gzip(csv.as_bytes()), &["tag"]),
        plain
    );
}

#[test]
fn gzip_and_zstd_on_standard_input_are_decompressed_and_sniffed() {
    let feed = jsonl_feed(0, 2);
    let plain = chaff_with_stdin(["tag", "--quiet"], feed.as_bytes());
    assert_status(&plain, 0);
    assert_eq!(stdout(&plain).lines().count(), 6);
    for bytes in [gzip(feed.as_bytes()), zstd(feed.as_bytes())] {
        let out = chaff_with_stdin(["tag", "--quiet"], &bytes);
        assert_status(&out, 0);
        assert_eq!(stdout(&out), stdout(&plain));
    }
}

#[test]
fn concatenated_gzip_members_are_all_read() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (jsonl_feed(0, 2), jsonl_feed(2, 3));
    let mut both = gzip(a.as_bytes());
    both.extend(gzip(b.as_bytes()));
    let cleaned = run_on(dir.path(), "cat.jsonl.gz", &both, &["clean"]);
    let ids: Vec<String> = cleaned
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].to_string())
        .collect();
    assert_eq!(ids, ["\"a0\"", "\"a1\"", "\"a2\"", "\"a3\"", "\"a4\""]);
    // The same on standard input.
    let out = chaff_with_stdin(["clean", "--quiet"], &both);
    assert_status(&out, 0);
    assert_eq!(stdout(&out), cleaned);
}

#[test]
fn outputs_are_compressed_by_their_extension_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "feed.jsonl", jsonl_feed(0, 3).as_bytes());
    let plain = chaff(["clean", "--quiet", input.as_str()]);
    assert_status(&plain, 0);
    for (name, magic) in [
        ("out.jsonl.zst", &b"\x28\xb5\x2f\xfd"[..]),
        ("out.jsonl.gz", b"\x1f\x8b"),
    ] {
        let target = dir.path().join(name);
        let rejects = dir.path().join(format!("rejects.{name}"));
        let out = chaff([
            "clean".as_ref(),
            "--quiet".as_ref(),
            input.as_ref(),
            "-o".as_ref(),
            target.as_os_str(),
            "--rejects".as_ref(),
            rejects.as_os_str(),
        ]);
        assert_status(&out, 0);
        assert!(out.stdout.is_empty());
        let bytes = std::fs::read(&target).unwrap();
        assert!(bytes.starts_with(magic), "{name} is not compressed");
        let back = if name.ends_with(".zst") {
            zstd::decode_all(&bytes[..]).unwrap()
        } else {
            gunzip(&bytes)
        };
        assert_eq!(String::from_utf8(back).unwrap(), stdout(&plain));
        let rejected = std::fs::read(&rejects).unwrap();
        assert!(rejected.starts_with(magic), "rejects of {name}");
        // chaff reads its own compressed output: the reporting paragraph of each article.
        let again = chaff(["tag".as_ref(), "--quiet".as_ref(), target.as_os_str()]);
        assert_status(&again, 0);
        assert_eq!(stdout(&again).lines().count(), 3);
        // No temp file is left.
        assert!(std::fs::read_dir(dir.path()).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".tmp")));
    }
    // Standard output is never compressed, whatever the input.
    let gz = write(
        dir.path(),
        "in.jsonl.gz",
        &gzip(jsonl_feed(0, 3).as_bytes()),
    );
    let out = chaff(["clean", "--quiet", gz.as_str()]);
    assert_eq!(out.stdout, plain.stdout);
}

#[test]
fn truncated_or_corrupt_compressed_input_is_a_clear_error_with_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let feed = jsonl_feed(0, 40);
    let gz = gzip(feed.as_bytes());
    let zst = zstd(feed.as_bytes());
    let mut corrupt = gz.clone();
    let middle = corrupt.len() / 2;
    corrupt[middle..middle + 8].copy_from_slice(b"garbage!");
    for (name, bytes, kind) in [
        ("cut.jsonl.gz", &gz[..gz.len() / 2], "gzip"),
        ("cut-trailer.jsonl.gz", &gz[..gz.len() - 4], "gzip"),
        ("corrupt.jsonl.gz", &corrupt[..], "gzip"),
        ("cut.jsonl.zst", &zst[..zst.len() / 2], "zstd"),
    ] {
        let path = write(dir.path(), name, bytes);
        let target = dir.path().join("out.jsonl");
        let out = chaff([
            "clean".as_ref(),
            "--quiet".as_ref(),
            path.as_ref(),
            "-o".as_ref(),
            target.as_os_str(),
        ]);
        assert_status(&out, 2);
        let err = stderr(&out);
        assert!(
            err.contains(&format!("{path}: the {kind} data is corrupt or truncated")),
            "{name}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            !target.exists(),
            "{name}: output written from a broken input"
        );
        // The same from standard input.
        let out = chaff_with_stdin(["tag", "--quiet"], bytes);
        assert_status(&out, 2);
        assert!(
            stderr(&out).contains(&format!("<stdin>: the {kind} data is corrupt or truncated")),
            "{}",
            stderr(&out)
        );
    }
}

/// `text[start..end]` counted in characters, as Python slices strings.
fn py_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

#[test]
fn dolma_spans_slice_each_paragraph_out_of_the_original_text_by_characters() {
    let dir = tempfile::tempdir().unwrap();
    let documents = [
        serde_json::json!({
            "id": "ü-1",
            "text": format!(
                "\u{feff}  Ünïcödé — «{NEWS}»\n   wrapped on a second line 🚌.\r\n\n\n{APPEAL} 💶\n\n  {CAPTION}  \n"
            ),
        }),
        // One paragraph per line, CJK and emoji before the spans.
        serde_json::json!({"id": 7, "text": format!("市议会 🗳️ {NEWS}\n{APPEAL}\n{CAPTION}")}),
        // No paragraph: a line with every key empty.
        serde_json::json!({"id": "empty", "text": " \n\n "}),
        // No id field: the file and line name it.
        serde_json::json!({"text": NEWS}),
    ];
    let feed: String = documents.iter().map(|d| d.to_string() + "\n").collect();
    let gz = write(dir.path(), "docs.jsonl.gz", &gzip(feed.as_bytes()));
    let out = chaff(["tag", "--quiet", "--format", "dolma", gz.as_str()]);
    assert_status(&out, 0);
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), documents.len());
    // The paragraphs as tagged, to compare the spans with.
    let records = chaff(["tag", "--quiet", "--scores", gz.as_str()]);
    assert_status(&records, 0);
    let records: Vec<Value> = stdout(&records)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut record = records.iter();
    let labels = [
        "reporting",
        "donation_appeal",
        "gallery_caption",
        "boilerplate",
    ];
    for (line, document) in lines.iter().zip(&documents) {
        let text = document["text"].as_str().unwrap();
        let attributes = line["attributes"].as_object().unwrap();
        let keys: Vec<&str> = attributes.keys().map(String::as_str).collect();
        assert_eq!(keys.len(), labels.len(), "{line}");
        for label in labels {
            assert!(
                attributes.contains_key(&format!("chaff__{label}")),
                "{line}"
            );
        }
        let mut spans: Vec<(u64, u64, f64, &str)> = attributes
            .iter()
            .flat_map(|(key, spans)| {
                let label = key.strip_prefix("chaff__").unwrap();
                spans.as_array().unwrap().iter().map(move |s| {
                    let s = s.as_array().unwrap();
                    (
                        s[0].as_u64().unwrap(),
                        s[1].as_u64().unwrap(),
                        s[2].as_f64().unwrap(),
                        label,
                    )
                })
            })
            .collect();
        spans.sort_by_key(|s| s.0);
        for (start, end, score, label) in spans {
            let r = record.next().expect("a tag record for each span");
            let slice = py_slice(text, start as usize, end as usize);
            let joined = slice.lines().map(str::trim).collect::<Vec<_>>().join(" ");
            assert_eq!(joined, r["text"].as_str().unwrap(), "{line}");
            assert_eq!(slice.trim(), slice, "spans start and end on visible text");
            assert_eq!(r["label"], label);
            assert_eq!(r["scores"][label].as_f64().unwrap(), score);
        }
    }
    assert!(record.next().is_none(), "every tagged paragraph has a span");
    assert_eq!(lines[0]["id"], "ü-1");
    assert_eq!(lines[1]["id"], 7);
    let first = &lines[0]["attributes"];
    // The multi-line paragraph's span keeps its inner line break; offsets count
    // characters (the byte-order mark and accented letters are one each).
    let spans: Vec<&Value> = labels
        .iter()
        .flat_map(|l| first[format!("chaff__{l}")].as_array().unwrap())
        .collect();
    assert!(spans.iter().any(|s| s[0] == 3), "{first}");
    assert!(lines[2]["attributes"]
        .as_object()
        .unwrap()
        .values()
        .all(|v| v.as_array().unwrap().is_empty()));
    assert!(lines[3]["id"]
        .as_str()
        .unwrap()
        .ends_with("docs.jsonl.gz:4"));
}

#[test]
fn dolma_refuses_input_without_character_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let csv = write(
        dir.path(),
        "feed.csv",
        format!("doc_id,text\nd,{NEWS:?}\n").as_bytes(),
    );
    let text = write(dir.path(), "feed.txt", NEWS.as_bytes());
    for path in [&csv, &text] {
        let out = chaff(["tag", "--format", "dolma", path.as_str()]);
        assert_status(&out, 2);
        assert!(
            stderr(&out).contains("--format dolma needs JSONL input"),
            "{}",
            stderr(&out)
        );
        assert!(out.stdout.is_empty());
    }
    let array = write(
        dir.path(),
        "array.jsonl",
        format!("{}\n", serde_json::json!({"id": "x", "text": [NEWS]})).as_bytes(),
    );
    let out = chaff(["tag", "--format", "dolma", array.as_str()]);
    assert_status(&out, 2);
    assert!(
        stderr(&out).contains("array.jsonl:1 (record 1): --format dolma")
            && stderr(&out).contains("is an array of paragraphs"),
        "{}",
        stderr(&out)
    );
    let jsonl = write(dir.path(), "a.jsonl", b"{\"text\": \"x\"}\n");
    let out = chaff(["tag", "--format", "dolma", "--pieces", jsonl.as_str()]);
    assert_status(&out, 2);
    assert!(stderr(&out).contains("--pieces"), "{}", stderr(&out));
}

/// The default build has no Parquet reader: a Parquet file, by name or by its first bytes,
/// is refused with how to build one that reads it, never read as text.
#[cfg(not(feature = "parquet"))]
#[test]
fn parquet_without_the_feature_is_refused_with_how_to_build_it() {
    let dir = tempfile::tempdir().unwrap();
    let misnamed = dir.path().join("shard.dat");
    std::fs::copy(fixture("feed.parquet"), &misnamed).unwrap();
    for input in [fixture("feed.parquet"), misnamed] {
        let out = chaff(["tag", input.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("built without Parquet support")
                && stderr(&out).contains("--features parquet"),
            "{}",
            stderr(&out)
        );
        assert!(out.stdout.is_empty());
    }
}
