//! Bad input through the real binary: each case exits with status 2 and a one-line error
//! that names the file, the line or record, and the problem.

mod common;

use common::*;

fn assert_error(output: &std::process::Output, parts: &[&str]) {
    assert_status(output, 2);
    let all = stderr(output);
    let errors: Vec<&str> = all
        .lines()
        .filter(|l| l.starts_with("chaff: error: "))
        .collect();
    assert_eq!(errors.len(), 1, "one error line: {all}");
    let err = errors[0];
    for part in parts {
        assert!(err.contains(part), "{part:?} missing from: {err}");
    }
}

#[test]
fn training_csv_problems_name_file_line_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out_model = d.join("m.chaff");
    let o = out_model.to_str().unwrap();
    let cases: Vec<(&str, &[u8], Vec<&str>)> = vec![
        (
            "nolabel.csv",
            b"text,kind\nx,y\n",
            vec!["nolabel.csv:1", "missing required column label"],
        ),
        (
            "notext.csv",
            b"body,label\nx,y\n",
            vec!["notext.csv:1", "missing required column text"],
        ),
        (
            "ragged.csv",
            b"text,label\na,b\nc,d,e\n",
            vec!["ragged.csv:3", "3 fields", "header has 2"],
        ),
        ("empty.csv", b"", vec!["empty.csv", "empty"]),
        (
            "onelabel.csv",
            b"text,label\na,x\nb,x\n",
            vec!["onelabel.csv", "at least two labels"],
        ),
        (
            "utf8.csv",
            b"text,label\nok,a\nbad \xff,b\n",
            vec!["utf8.csv:3", "UTF-8"],
        ),
        (
            "position.csv",
            b"text,label,position\na,x,one\n",
            vec!["position.csv:2", "not a whole number"],
        ),
        (
            "emptylabel.csv",
            b"text,label\na,\n",
            vec!["emptylabel.csv:2", "empty label"],
        ),
    ];
    for (name, content, parts) in cases {
        let path = write(d, name, content);
        let out = chaff(["train", &path, "-o", o]);
        assert_error(&out, &parts);
        assert!(!out_model.exists(), "{name}: no model may be written");
    }
    let out = chaff(["train", d.join("missing.csv").to_str().unwrap(), "-o", o]);
    assert_error(&out, &["missing.csv", "No such file"]);
}

#[test]
fn broken_model_files_are_refused_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = std::fs::read(small_model(d)).unwrap();
    let article = write(d, "a.txt", b"Some paragraph.\n");
    let mut corrupt = good.clone();
    let middle = corrupt.len() / 2;
    corrupt[middle] ^= 0x40;
    let mut newer = good.clone();
    newer[8..12].copy_from_slice(&99u32.to_le_bytes());
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated.chaff",
            good[..good.len() - 100].to_vec(),
            "truncated",
        ),
        ("corrupt.chaff", corrupt, "corrupt"),
        ("empty.chaff", Vec::new(), "empty"),
        (
            "foreign.chaff",
            b"%PDF-1.7 not a model".to_vec(),
            "not a chaff model file",
        ),
        ("newer.chaff", newer, "newer than this chaff reads"),
    ];
    for (name, bytes, reason) in cases {
        let model = write(d, name, &bytes);
        let out = chaff(["tag", &article, "-m", &model]);
        assert_error(&out, &[name, reason]);
        assert!(stdout(&out).is_empty());
    }
}

#[test]
fn bad_feed_records_name_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let model = small_model(d);
    let m = model.to_str().unwrap();
    let feed = write(d, "feed.jsonl", b"{\"text\": \"Fine.\"}\n{oops\n");
    let out = chaff(["tag", &feed, "-m", m]);
    assert_error(&out, &["feed.jsonl:2 (record 2)", "invalid JSON"]);
    assert_eq!(
        stdout(&out).lines().count(),
        1,
        "the good record before it is written"
    );

    let feed = write(d, "nofield.jsonl", b"{\"body\": \"x\"}\n");
    let out = chaff(["tag", &feed, "-m", m]);
    assert_error(&out, &["nofield.jsonl:1 (record 1)", "no field \"text\""]);
    let out = chaff(["tag", &feed, "-m", m, "--text-field", "body"]);
    assert_status(&out, 0);

    let feed = write(d, "number.jsonl", b"{\"text\": 12}\n");
    let out = chaff(["tag", &feed, "-m", m]);
    assert_error(&out, &["number.jsonl:1", "is a number"]);

    let out = chaff(["tag", d.join("nope.txt").to_str().unwrap(), "-m", m]);
    assert_error(&out, &["nope.txt", "No such file"]);
}

#[test]
fn labels_that_do_not_fit_the_model_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let model = small_model(d);
    let m = model.to_str().unwrap();
    let test = write(
        d,
        "other.csv",
        b"text,label\nHello there,greeting\nA fact.,reporting\n",
    );
    let out = chaff(["eval", &test, "-m", m]);
    assert_error(&out, &["other.csv", "greeting", "does not know"]);

    let article = write(d, "a.txt", b"Text.\n");
    let out = chaff(["clean", &article, "-m", m, "--keep", "wheat"]);
    assert_error(&out, &["--keep", "wheat"]);
}

#[test]
fn bad_usage_exits_2() {
    let out = chaff(["tag", "--no-such-flag"]);
    assert_status(&out, 2);
    let out = chaff(["train", "x.csv"]);
    assert_status(&out, 2);
    assert!(stderr(&out).contains("--output"), "{}", stderr(&out));
    let out = chaff(["--threads", "0", "info"]);
    assert_status(&out, 2);
}
