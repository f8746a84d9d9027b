//! The main jobs end to end, through the real binary: train on a small CSV, then tag,
//! clean, eval and info with that model.

mod common;

use common::*;

#[test]
fn train_then_tag_text_file_as_jsonl() {
    let dir = tempfile::tempdir().unwrap();
    let model = small_model(dir.path());
    let article = dir.path().join("a.txt");
    std::fs::write(
        &article,
        "Bridge repairs finish early\n\nThe county finished repairs to the old bridge on Friday, a week ahead of schedule, officials said.\n\nDonate $5 a month to keep local news free.\n",
    )
    .unwrap();
    let out = chaff([
        "tag".as_ref(),
        article.as_os_str(),
        "-m".as_ref(),
        model.as_os_str(),
    ]);
    assert_status(&out, 0);
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    for (i, record) in lines.iter().enumerate() {
        assert_eq!(record["position"], i);
        assert!(record["doc_id"].as_str().unwrap().ends_with("a.txt"));
        let confidence = record["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&confidence));
        assert!(record["label"].is_string() && record["text"].is_string());
    }
    assert_eq!(lines[1]["label"], "reporting");
    assert_eq!(lines[2]["label"], "donation_appeal");
}

#[test]
fn tag_scores_and_csv_and_text_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let model = small_model(dir.path());
    let input =
        b"The mayor opened the new park on Saturday, the city said.\n\nShare this article\n";
    let m = model.to_str().unwrap();
    let out = chaff_with_stdin(["tag", "-m", m, "--scores"], input);
    assert_status(&out, 0);
    let first: serde_json::Value =
        serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    let scores = first["scores"].as_object().unwrap();
    assert_eq!(scores.len(), 4);
    let sum: f64 = scores.values().map(|v| v.as_f64().unwrap()).sum();
    assert!((sum - 1.0).abs() < 1e-3, "{sum}");
    assert_eq!(first["doc_id"], "stdin");

    let out = chaff_with_stdin(["tag", "-m", m, "--format", "csv"], input);
    assert_status(&out, 0);
    let text = stdout(&out);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["doc_id", "position", "label", "confidence", "text"]
    );
    assert_eq!(reader.records().count(), 2);

    let out = chaff_with_stdin(["tag", "-m", m, "--format", "text"], input);
    assert_status(&out, 0);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 2);
    assert!(text.lines().all(|l| l.split('\t').count() == 3), "{text}");
}

#[test]
fn clean_jsonl_keeps_other_fields_and_only_reporting() {
    let dir = tempfile::tempdir().unwrap();
    let model = small_model(dir.path());
    let feed = dir.path().join("feed.jsonl");
    std::fs::write(
        &feed,
        concat!(
            r#"{"id": "x1", "url": "https://example.org/1", "text": "The council approved the new bus routes on Monday, officials said.\n\nDonate $5 a month to keep local news free.", "n": 3}"#,
            "\n",
            r#"{"id": "x2", "text": ["Subscribe for unlimited access: first month free.", "Police said the road would reopen on Wednesday after repairs."]}"#,
            "\n"
        ),
    )
    .unwrap();
    let out = chaff([
        "clean".as_ref(),
        feed.as_os_str(),
        "-m".as_ref(),
        model.as_os_str(),
    ]);
    assert_status(&out, 0);
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "one line per article in");
    assert_eq!(lines[0]["url"], "https://example.org/1");
    assert_eq!(lines[0]["n"], 3);
    assert_eq!(
        lines[0]["text"],
        "The council approved the new bus routes on Monday, officials said."
    );
    let keys: Vec<&String> = lines[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["id", "url", "text", "n"], "field order is kept");
    assert_eq!(
        lines[1]["text"],
        serde_json::json!(["Police said the road would reopen on Wednesday after repairs."])
    );
}

#[test]
fn clean_text_and_csv_inputs_and_keep_several_labels() {
    let dir = tempfile::tempdir().unwrap();
    let model = small_model(dir.path());
    let m = model.to_str().unwrap();
    let input = b"The mayor opened the new park on Saturday, the city said.\n\nShare this article\n\nDonate now\n";
    let out = chaff_with_stdin(["clean", "-m", m], input);
    assert_status(&out, 0);
    assert_eq!(
        stdout(&out),
        "The mayor opened the new park on Saturday, the city said.\n"
    );
    let out = chaff_with_stdin(
        ["clean", "-m", m, "--keep", "reporting,donation_appeal"],
        input,
    );
    assert_status(&out, 0);
    assert!(stdout(&out).contains("Donate now"));

    let csv_in = dir.path().join("in.csv");
    std::fs::write(
        &csv_in,
        "doc_id,position,text,extra\nd,0,Share this article,a\nd,1,\"Police said the road would reopen on Wednesday, after repairs.\",b\n",
    )
    .unwrap();
    let out = chaff(["clean", csv_in.to_str().unwrap(), "-m", m]);
    assert_status(&out, 0);
    assert_eq!(
        stdout(&out),
        "doc_id,position,text,extra\nd,1,\"Police said the road would reopen on Wednesday, after repairs.\",b\n"
    );
}

#[test]
fn tag_writes_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let model = small_model(dir.path());
    let target = dir.path().join("tags.jsonl");
    let out = chaff([
        "tag",
        common::root()
            .join("data/examples/gazette-fa-vase.txt")
            .to_str()
            .unwrap(),
        "-m",
        model.to_str().unwrap(),
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_status(&out, 0);
    assert!(stdout(&out).is_empty());
    let written = std::fs::read_to_string(&target).unwrap();
    let article =
        std::fs::read_to_string(common::root().join("data/examples/gazette-fa-vase.txt")).unwrap();
    assert_eq!(
        written.lines().count(),
        chaff::split_paragraphs(&article).len(),
        "one record per paragraph"
    );
}

#[test]
fn eval_formats_and_min_macro_f1_gate() {
    let dir = tempfile::tempdir().unwrap();
    let model = small_model(dir.path());
    let m = model.to_str().unwrap();
    let test = fixture("test-small.csv");
    let t = test.to_str().unwrap();

    let out = chaff(["eval", t, "-m", m]);
    assert_status(&out, 0);
    let text = stdout(&out);
    for word in [
        "precision",
        "recall",
        "support",
        "macro avg",
        "accuracy",
        "confusion",
    ] {
        assert!(text.contains(word), "{word} missing:\n{text}");
    }

    let out = chaff(["eval", t, "-m", m, "--format", "markdown"]);
    assert_status(&out, 0);
    assert!(stdout(&out).contains("| label | precision | recall | F1 | support |"));

    let out = chaff(["eval", t, "-m", m, "--format", "json"]);
    assert_status(&out, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let macro_f1 = json["macro_f1"].as_f64().unwrap();
    assert!(json["accuracy"].is_number());
    assert_eq!(json["labels"]["reporting"]["support"], 2);
    assert!(json["labels"]["gallery_caption"]["f1"].is_number());
    assert_eq!(json["confusion"]["matrix"].as_array().unwrap().len(), 4);

    let pass = format!("{}", macro_f1 - 0.01);
    let out = chaff(["eval", t, "-m", m, "--min-macro-f1", &pass]);
    assert_status(&out, 0);
    let fail = format!("{}", macro_f1 + 0.01);
    let out = chaff(["eval", t, "-m", m, "--min-macro-f1", &fail]);
    assert_status(&out, 1);
    assert!(
        stderr(&out).contains("gate failed: macro_f1"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn info_shows_labels_version_data_hash_and_scores() {
    let dir = tempfile::tempdir().unwrap();
    let model = small_model(dir.path());
    let out = chaff(["info", "-m", model.to_str().unwrap()]);
    assert_status(&out, 0);
    let text = stdout(&out);
    assert!(
        text.contains("reporting, donation_appeal, gallery_caption, boilerplate"),
        "{text}"
    );
    // The format version is the one in the file's header (after the 8-byte magic).
    let bytes = std::fs::read(&model).unwrap();
    let version = u32::from_le_bytes(bytes[8..12].try_into().unwrap());
    assert!(
        text.contains(&format!("format version: {version}\n")),
        "{text}"
    );
    let data = chaff::LabelledSet::read(&[common::fixture("train-small.csv")]).unwrap();
    assert!(
        text.contains(&format!(
            "{} paragraphs in {} documents",
            data.rows(),
            data.documents.len()
        )),
        "{text}"
    );
    assert!(text.contains("macro-F1"), "{text}");
    let out = chaff(["info", "-m", model.to_str().unwrap(), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["training"]["rows"], data.rows());
    assert_eq!(json["training"]["data_sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn train_records_test_scores_and_is_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.chaff");
    let b = dir.path().join("b.chaff");
    for target in [&a, &b] {
        let out = chaff([
            "train",
            fixture("train-small.csv").to_str().unwrap(),
            "--test",
            fixture("test-small.csv").to_str().unwrap(),
            "-o",
            target.to_str().unwrap(),
        ]);
        assert_status(&out, 0);
        assert!(
            stderr(&out).contains("test-small.csv: macro-F1"),
            "{}",
            stderr(&out)
        );
    }
    let info = |p: &std::path::Path| {
        let out = chaff(["info", "-m", p.to_str().unwrap(), "--json"]);
        let mut json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        json["training"]["trained_at"] = 0.into();
        json["trained_at_utc"] = "".into();
        json["model"] = "".into();
        json
    };
    assert_eq!(info(&a), info(&b));
    assert_eq!(info(&a)["training"]["scores"].as_array().unwrap().len(), 2);
}

#[test]
fn tiny_data_trains_the_text_stage_only_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = chaff([
        "train",
        fixture("train-small.csv").to_str().unwrap(),
        "-o",
        dir.path().join("m.chaff").to_str().unwrap(),
    ]);
    assert_status(&out, 0);
    assert!(
        stderr(&out).contains("warning: ") && stderr(&out).contains("text stage only"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn split_cuts_a_glued_paragraph_and_clean_keeps_the_reporting_part() {
    let input = b"The council approved the new budget on Tuesday after a long debate about road repairs and library hours. Support local journalism today: subscribe from 99p a week and get unlimited access.\n\nThe vote followed months of argument about the cost of the new pool.\n";
    let out = chaff_with_stdin(["tag", "--split"], input);
    assert_status(&out, 0);
    let records: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 3, "{records:?}");
    assert_eq!(records[0]["piece"], 0);
    assert_eq!(records[0]["label"], "reporting");
    assert_eq!(records[1]["piece"], 1);
    assert_eq!(records[1]["label"], "donation_appeal");
    assert_eq!(records[0]["position"], records[1]["position"]);
    assert!(records[2].get("piece").is_none());

    let out = chaff_with_stdin(["clean", "--pieces"], input);
    assert_status(&out, 0);
    let text = stdout(&out);
    assert!(
        text.starts_with("The council approved the new budget on Tuesday"),
        "{text}"
    );
    assert!(!text.contains("subscribe"), "{text}");
    // Without --split the glued paragraph is kept or dropped whole.
    let out = chaff_with_stdin(["clean"], input);
    assert_status(&out, 0);
    let whole = stdout(&out);
    assert!(
        !whole.contains("library hours.\n") || whole.contains("subscribe"),
        "{whole}"
    );
}

#[test]
fn one_spelling_for_format_and_output_with_the_old_ones_kept_or_explained() {
    let dir = tempfile::tempdir().unwrap();
    let article = common::root().join("data/examples/gazette-fa-vase.txt");
    let article = article.to_str().unwrap();
    // -o/--output names the output file in tag, clean, eval and train alike.
    let target = dir.path().join("tags.csv");
    let out = chaff([
        "tag",
        article,
        "--format",
        "csv",
        "--output",
        target.to_str().unwrap(),
    ]);
    assert_status(&out, 0);
    assert!(std::fs::read_to_string(&target)
        .unwrap()
        .starts_with("doc_id,position,label"));
    // The old `tag --output csv` is refused with the new spelling named, not written to a
    // file called csv.
    let out = chaff(["tag", article, "--output", "csv"]);
    assert_status(&out, 2);
    assert!(stderr(&out).contains("--format csv"), "{}", stderr(&out));
    // Hidden aliases of the old spellings still work.
    let old = dir.path().join("old.jsonl");
    let out = chaff(["tag", article, "--output-file", old.to_str().unwrap()]);
    assert_status(&out, 0);
    assert!(old.exists());
    let out = chaff(["info", "--json"]);
    assert_status(&out, 0);
    assert!(serde_json::from_str::<serde_json::Value>(&stdout(&out)).is_ok());
}

#[test]
fn the_prior_shift_is_stored_by_train_shown_by_info_and_overridden_by_tag_and_eval() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("shifted.chaff");
    let m = model.to_str().unwrap();
    let train = fixture("train-small.csv");
    let out = chaff([
        "train",
        train.to_str().unwrap(),
        "-o",
        m,
        "--prior-shift",
        "0.7",
        "--quiet",
    ]);
    assert_status(&out, 0);
    let info = stdout(&chaff(["info", "-m", m]));
    assert!(
        info.contains("prior_shift") && info.contains("0.7"),
        "{info}"
    );
    // The same paragraphs scored with the stored shift and with none differ; with the
    // stored shift given again they do not.
    let scores = |extra: &[&str]| {
        let mut args = vec!["tag", "-m", m, "--scores"];
        args.extend_from_slice(extra);
        let out = chaff_with_stdin(
            args,
            b"The mayor opened the new park on Saturday, the city said.\n\nShare this article\n",
        );
        assert_status(&out, 0);
        stdout(&out)
    };
    assert_ne!(scores(&[]), scores(&["--prior-shift", "0"]));
    assert_eq!(scores(&[]), scores(&["--prior-shift", "0.7"]));
    let test = fixture("test-small.csv");
    let out = chaff([
        "eval",
        test.to_str().unwrap(),
        "-m",
        m,
        "--prior-shift",
        "3",
    ]);
    assert_status(&out, 2);
    assert!(
        stderr(&out).contains("the prior shift must be between 0 and 2, got 3"),
        "{}",
        stderr(&out)
    );
}
