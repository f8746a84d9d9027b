//! Feeds as they really come (issue 16): piped in without a format, written to pipes,
//! links and devices, interrupted, numbered by their own positions, not UTF-8, and
//! cleaned with an account of what was removed.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

const APPEAL: &str = "Donate now to keep our journalism free. Every gift, however small, \
                      funds our reporters. Support us today from just $1.";
const NEWS: &str = "The council voted on Monday to raise bus fares by ten percent from \
                    April, the first rise in six years, after a three-hour debate.";
const CAPTION: &str = "Photograph: John Smith/Reuters";

fn jsonl_feed(articles: usize) -> String {
    (0..articles)
        .map(|i| {
            serde_json::json!({"id": format!("a{i}"), "text": [APPEAL, NEWS, CAPTION, NEWS]})
                .to_string()
                + "\n"
        })
        .collect()
}

fn records(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

// 1. Standard input is sniffed.

#[test]
fn piped_jsonl_and_csv_are_read_as_such_and_bare_compression_magic_is_truncated() {
    // Before: `cat feed.jsonl | chaff clean` read the JSON lines as text and printed them
    // back with status 0.
    let feed = jsonl_feed(2);
    let out = chaff_with_stdin(["clean", "--quiet"], feed.as_bytes());
    assert_status(&out, 0);
    let cleaned = records(&stdout(&out));
    assert_eq!(cleaned.len(), 2);
    assert_eq!(cleaned[0]["id"], "a0");
    assert!(!cleaned[0]["text"].to_string().contains("Donate"));

    let out = chaff_with_stdin(["tag"], feed.as_bytes());
    assert_status(&out, 0);
    let tags = records(&stdout(&out));
    assert_eq!(tags.len(), 8);
    assert_eq!(tags[0]["doc_id"], "a0");

    let csv = format!("doc_id,position,text\nd,0,{APPEAL:?}\nd,1,{NEWS:?}\n");
    let out = chaff_with_stdin(["tag"], csv.as_bytes());
    assert_status(&out, 0);
    let tags = records(&stdout(&out));
    assert_eq!(tags.len(), 2);
    assert_eq!(tags[1]["doc_id"], "d");
    assert_eq!(tags[1]["text"], NEWS);

    // Plain text stays plain text.
    let text = format!("{APPEAL}\n\n{NEWS}\n");
    let out = chaff_with_stdin(["tag"], text.as_bytes());
    assert_status(&out, 0);
    assert_eq!(records(&stdout(&out))[0]["doc_id"], "stdin");

    // Compressed input is decompressed (tests/compressed_feeds.rs); bare magic bytes are
    // a truncated stream, reported as such.
    for (magic, name) in [
        (&b"\x1f\x8b\x08\x00\x00"[..], "gzip"),
        (b"\x28\xb5\x2f\xfd\x00", "zstd"),
    ] {
        let out = chaff_with_stdin(["clean"], magic);
        assert_status(&out, 2);
        let err = stderr(&out);
        assert!(
            err.contains(&format!("<stdin>: the {name} data is corrupt or truncated")),
            "{err}"
        );
        assert!(out.stdout.is_empty());
    }
}

// 2. Output files.

#[cfg(unix)]
#[test]
fn a_signal_mid_run_removes_the_temp_file_and_leaves_the_old_output() {
    for (signal, status) in [("TERM", 143), ("INT", 130)] {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.jsonl");
        std::fs::write(&target, "old\n").unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_chaff"))
            .args(["clean", "--quiet", "-o"])
            .arg(&target)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // A large feed, with standard input held open: the run is mid-way, whatever the
        // machine's speed, until the signal comes.
        let mut stdin = child.stdin.take().unwrap();
        use std::io::Write;
        stdin.write_all(jsonl_feed(3000).as_bytes()).unwrap();
        let start = Instant::now();
        while temp_files(dir.path()).is_empty() {
            assert!(start.elapsed() < Duration::from_secs(30), "no temp file");
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(300));
        let killed = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let output = child.wait_with_output().unwrap();
        drop(stdin);
        assert_eq!(
            output.status.code(),
            Some(status),
            "SIG{signal}: {output:?}"
        );
        assert_eq!(temp_files(dir.path()), Vec::<String>::new(), "SIG{signal}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old\n");
    }
}

#[cfg(unix)]
#[test]
fn output_onto_a_fifo_is_written_through_to_its_reader() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "in.jsonl", jsonl_feed(3).as_bytes());
    let fifo = dir.path().join("pipe");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let got = dir.path().join("got.jsonl");
    let mut reader = Command::new("sh")
        .arg("-c")
        .arg(r#"cat "$1" > "$2""#)
        .args(["sh".as_ref(), fifo.as_os_str(), got.as_os_str()])
        .spawn()
        .unwrap();
    let out = chaff([
        "tag".as_ref(),
        input.as_ref(),
        "-o".as_ref(),
        fifo.as_os_str(),
    ]);
    let start = Instant::now();
    let finished = loop {
        if let Some(status) = reader.try_wait().unwrap() {
            break Some(status);
        }
        if start.elapsed() > Duration::from_secs(20) {
            reader.kill().unwrap();
            reader.wait().unwrap();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_status(&out, 0);
    assert!(
        finished.is_some(),
        "the FIFO's reader never got an end of file"
    );
    assert_eq!(records(&std::fs::read_to_string(&got).unwrap()).len(), 12);
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    assert_eq!(temp_files(dir.path()), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn output_onto_a_symlink_replaces_its_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "in.jsonl", jsonl_feed(1).as_bytes());
    std::fs::create_dir(dir.path().join("real")).unwrap();
    let target = dir.path().join("real/tags.jsonl");
    std::fs::write(&target, "old\n").unwrap();
    let link = dir.path().join("link.jsonl");
    std::os::unix::fs::symlink("real/tags.jsonl", &link).unwrap();
    // A chain of two links.
    let link2 = dir.path().join("link2.jsonl");
    std::os::unix::fs::symlink(&link, &link2).unwrap();
    for path in [&link, &link2] {
        let out = chaff([
            "tag".as_ref(),
            input.as_ref(),
            "-o".as_ref(),
            path.as_os_str(),
        ]);
        assert_status(&out, 0);
        assert!(std::fs::symlink_metadata(path).unwrap().is_symlink());
        assert_eq!(records(&std::fs::read_to_string(&target).unwrap()).len(), 4);
        std::fs::write(&target, "old\n").unwrap();
    }
    assert!(temp_files(dir.path()).is_empty() && temp_files(&dir.path().join("real")).is_empty());
}

#[cfg(target_os = "linux")]
#[test]
fn output_onto_dev_stdout_and_dev_null_is_written_directly() {
    // Only run with the change in place: before it, a root user's run renamed a regular
    // file over /dev/stdout.
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "in.jsonl", jsonl_feed(2).as_bytes());
    let out = chaff(["tag", &input, "-o", "/dev/stdout"]);
    assert_status(&out, 0);
    assert_eq!(records(&stdout(&out)).len(), 8);
    let out = chaff(["clean", &input, "--quiet", "-o", "/dev/null"]);
    assert_status(&out, 0);
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::symlink_metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
    assert!(std::fs::symlink_metadata("/dev/stdout")
        .unwrap()
        .is_symlink());
}

// 3. Ids survive the round trip.

#[test]
fn tag_echoes_the_csv_input_positions() {
    let dir = tempfile::tempdir().unwrap();
    let csv = format!(
        "doc_id,position,text\nd,1,{APPEAL:?}\nd,2,{NEWS:?}\nd,5,{CAPTION:?}\ne,10,{NEWS:?}\n"
    );
    let input = write(dir.path(), "in.csv", csv.as_bytes());
    let out = chaff(["tag", &input]);
    assert_status(&out, 0);
    let keys: Vec<(String, u64)> = records(&stdout(&out))
        .iter()
        .map(|r| {
            (
                r["doc_id"].as_str().unwrap().into(),
                r["position"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        keys,
        [
            ("d".into(), 1),
            ("d".into(), 2),
            ("d".into(), 5),
            ("e".into(), 10)
        ]
    );
    let out = chaff(["tag", &input, "--format", "csv"]);
    assert_status(&out, 0);
    let text = stdout(&out);
    let positions: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(positions, ["1", "2", "5", "10"]);

    // JSONL paragraphs have no positions of their own: 0, 1, 2...
    let jsonl = write(dir.path(), "in.jsonl", jsonl_feed(1).as_bytes());
    let out = chaff(["tag", &jsonl]);
    let positions: Vec<u64> = records(&stdout(&out))
        .iter()
        .map(|r| r["position"].as_u64().unwrap())
        .collect();
    assert_eq!(positions, [0, 1, 2, 3]);

    // A position that is not a number is a bad record naming its line.
    let bad = write(
        dir.path(),
        "bad.csv",
        b"doc_id,position,text\nd,0,One.\nd,x,Two.\n",
    );
    let out = chaff(["tag", &bad]);
    assert_status(&out, 2);
    let err = stderr(&out);
    assert!(
        err.contains("bad.csv:3: position \"x\" is not a whole number"),
        "{err}"
    );
}

// 4. Text that is not UTF-8.

#[test]
fn text_that_is_not_utf8_is_named_by_line_and_byte_offset_and_read_with_encoding() {
    let dir = tempfile::tempdir().unwrap();
    // The bad byte is 0xe9 (Latin-1 é), on the second paragraph or record of each file.
    let cases: [(&str, &[u8]); 3] = [
        ("t.txt", b"First paragraph.\n\ncaf\xe9 au lait.\n"),
        (
            "t.jsonl",
            b"{\"text\": \"One.\"}\n{\"text\": \"caf\xe9.\"}\n",
        ),
        ("t.csv", b"doc_id,text\r\na,One.\r\nb,caf\xe9.\r\n"),
    ];
    let expected = [("t.txt:3", 21), ("t.jsonl:2", 30), ("t.csv:3", 26)];
    for ((name, bytes), (location, offset)) in cases.iter().zip(expected) {
        assert_eq!(bytes[offset], 0xe9, "{name}");
        let path = write(dir.path(), name, bytes);
        let out = chaff(["tag", &path]);
        assert_status(&out, 2);
        let err = stderr(&out);
        for part in [
            location,
            &format!("invalid UTF-8 at byte offset {offset} (0xe9)"),
            "--encoding latin1",
        ] {
            assert!(err.contains(part), "{part:?} missing from: {err}");
        }
        for encoding in ["latin1", "windows-1252"] {
            let out = chaff(["tag", &path, "--encoding", encoding]);
            assert_status(&out, 0);
            assert!(stdout(&out).contains("café"), "{name} {encoding}");
        }
    }
    // Windows-1252's own characters (curly quotes, euro) and piped input.
    let out = chaff_with_stdin(
        ["tag", "--encoding", "windows-1252"],
        b"\x93Quoted\x94 \x80 5.\n",
    );
    assert_status(&out, 0);
    assert!(stdout(&out).contains("“Quoted” € 5."), "{}", stdout(&out));
}

// 5. Clean explains itself.

#[test]
fn clean_counts_what_it_removes_writes_the_rejects_and_keeps_unsure_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "in.jsonl", jsonl_feed(3).as_bytes());
    let tags = records(&stdout(&chaff(["tag", &input])));
    let removed: Vec<&Value> = tags.iter().filter(|t| t["label"] != "reporting").collect();
    assert!(
        !removed.is_empty(),
        "the built-in model keeps everything: {tags:?}"
    );

    let rejects = dir.path().join("rejects.jsonl");
    let out = chaff([
        "clean".as_ref(),
        input.as_ref(),
        "-o".as_ref(),
        dir.path().join("clean.jsonl").as_os_str(),
        "--rejects".as_ref(),
        rejects.as_os_str(),
    ]);
    assert_status(&out, 0);
    let err = stderr(&out);
    let summary = format!(
        "chaff: clean: 3 articles, {} of 12 paragraphs kept; removed ",
        12 - removed.len()
    );
    assert!(err.contains(&summary), "{summary:?} missing from: {err}");
    let rejected = records(&std::fs::read_to_string(&rejects).unwrap());
    assert_eq!(rejected.len(), removed.len());
    for (r, t) in rejected.iter().zip(&removed) {
        let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["doc_id", "position", "label", "confidence", "text"]);
        for key in keys {
            assert_eq!(r[key], t[key], "{key}");
        }
    }
    assert_eq!(temp_files(dir.path()), Vec::<String>::new());

    let out = chaff(["--quiet", "clean", &input]);
    assert_status(&out, 0);
    assert!(!stderr(&out).contains("clean:"), "{}", stderr(&out));

    // The least sure removal stays when the bar is just above its confidence.
    let least = removed
        .iter()
        .min_by(|a, b| {
            a["confidence"]
                .as_f64()
                .partial_cmp(&b["confidence"].as_f64())
                .unwrap()
        })
        .unwrap();
    let bar = least["confidence"].as_f64().unwrap() + 0.0001;
    let out = chaff([
        "clean",
        &input,
        "--min-confidence",
        &bar.to_string(),
        "--quiet",
    ]);
    assert_status(&out, 0);
    let cleaned = records(&stdout(&out));
    let doc = cleaned.iter().find(|c| c["id"] == least["doc_id"]).unwrap();
    let kept: Vec<&str> = doc["text"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(kept.contains(&least["text"].as_str().unwrap()), "{kept:?}");

    let out = chaff(["clean", &input, "--min-confidence", "1.5"]);
    assert_status(&out, 2);
}
