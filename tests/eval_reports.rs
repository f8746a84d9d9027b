//! `chaff eval` reports and gates, and `chaff cv`, through the real binary on real files.

mod common;

use common::*;

fn test_csv() -> String {
    root().join("data/test.csv").to_str().unwrap().to_string()
}

#[test]
fn every_output_format_is_written_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let out = chaff([
        "eval",
        &test_csv(),
        "--output",
        &p("r.json"),
        "--output",
        &p("r.md"),
        "--output",
        &p("r.xml"),
        "--output",
        &p("r.txt"),
        "--html",
        &p("r.html"),
        "--errors",
        &p("errors.csv"),
    ]);
    assert_status(&out, 0);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p("r.json")).unwrap()).unwrap();
    for key in [
        "macro_f1",
        "weighted_f1",
        "accuracy",
        "reporting_vs_rest_f1",
    ] {
        assert!(json[key].as_f64().unwrap() > 0.5, "{key}");
    }
    let publishers: std::collections::HashSet<String> =
        csv::Reader::from_path(root().join("data/test.csv"))
            .unwrap()
            .deserialize::<std::collections::HashMap<String, String>>()
            .map(|r| r.unwrap()["publisher"].clone())
            .collect();
    assert_eq!(
        json["groups"].as_array().unwrap().len(),
        publishers.len(),
        "one row per publisher"
    );
    let md = std::fs::read_to_string(p("r.md")).unwrap();
    assert!(md.contains("| label | precision | recall | F1 | support |"));
    assert!(md.contains("| publisher | documents |"));
    let xml = std::fs::read_to_string(p("r.xml")).unwrap();
    assert!(xml.starts_with("<?xml"));
    assert_eq!(
        xml.matches("<testcase ").count(),
        5,
        "macro-F1 and one per label"
    );
    assert!(xml.contains("f1 of donation_appeal"));
    assert_eq!(std::fs::read_to_string(p("r.txt")).unwrap(), stdout(&out));
    let html = std::fs::read_to_string(p("r.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg"));
    for external in [
        "src=\"http",
        "href=\"http",
        "url(",
        "<script",
        "<link",
        "<img",
    ] {
        assert!(
            !html.contains(external),
            "external asset {external:?} in the HTML report"
        );
    }
    let errors = std::fs::read_to_string(p("errors.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(errors.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "doc_id",
            "position",
            "publisher",
            "true_label",
            "predicted_label",
            "confidence",
            "previous_text",
            "text",
            "next_text"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let wrong = json["rows"].as_u64().unwrap() as f64 * (1.0 - json["accuracy"].as_f64().unwrap());
    assert_eq!(rows.len(), wrong.round() as usize, "one row per mistake");
    let confidences: Vec<f64> = rows.iter().map(|r| r[5].parse().unwrap()).collect();
    assert!(
        confidences.windows(2).all(|w| w[0] >= w[1]),
        "most confident first"
    );
    assert!(rows.iter().all(|r| r[3] != r[4]));
}

#[test]
fn junit_on_stdout_marks_failed_gates() {
    let out = chaff([
        "eval",
        &test_csv(),
        "--format",
        "junit",
        "--min-f1",
        "reporting=0.999",
    ]);
    assert_status(&out, 1);
    let xml = stdout(&out);
    assert!(xml.contains(r#"failures="1""#), "{xml}");
    assert!(
        xml.contains("<failure message=\"f1 of reporting is"),
        "{xml}"
    );
}

#[test]
fn min_f1_gates_pass_and_fail_naming_each_gate() {
    let out = chaff([
        "eval",
        &test_csv(),
        "--min-f1",
        "reporting=0.5",
        "--min-f1",
        "boilerplate=0.5",
    ]);
    assert_status(&out, 0);
    let out = chaff([
        "eval",
        &test_csv(),
        "--min-f1",
        "reporting=0.999",
        "--min-f1",
        "gallery_caption=0.999",
        "--min-macro-f1",
        "0.1",
    ]);
    assert_status(&out, 1);
    let err = stderr(&out);
    assert!(err.contains("gate failed: f1 of reporting"), "{err}");
    assert!(err.contains("gate failed: f1 of gallery_caption"), "{err}");
    assert!(!err.contains("gate failed: macro_f1"), "{err}");
    let out = chaff(["eval", &test_csv(), "--min-f1", "wheat=0.5"]);
    assert_status(&out, 2);
    let out = chaff(["eval", &test_csv(), "--min-f1", "reporting"]);
    assert_status(&out, 2);
}

#[test]
fn baseline_gate_passes_on_itself_and_fails_on_a_drop() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.json");
    let out = chaff(["eval", &test_csv(), "--output", base.to_str().unwrap()]);
    assert_status(&out, 0);
    let out = chaff(["eval", &test_csv(), "--baseline", base.to_str().unwrap()]);
    assert_status(&out, 0);

    // A baseline 0.05 better on captions: a drop of 0.05 fails 0.02 and passes 0.1.
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&base).unwrap()).unwrap();
    let f1 = json["labels"]["gallery_caption"]["f1"].as_f64().unwrap();
    json["labels"]["gallery_caption"]["f1"] = (f1 + 0.05).into();
    let better = dir.path().join("better.json");
    std::fs::write(&better, serde_json::to_string(&json).unwrap()).unwrap();
    let out = chaff([
        "eval",
        &test_csv(),
        "--baseline",
        better.to_str().unwrap(),
        "--max-drop",
        "0.02",
    ]);
    assert_status(&out, 1);
    assert!(
        stderr(&out).contains("gate failed: f1 of gallery_caption"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("better.json"), "{}", stderr(&out));
    let out = chaff([
        "eval",
        &test_csv(),
        "--baseline",
        better.to_str().unwrap(),
        "--max-drop",
        "0.1",
    ]);
    assert_status(&out, 0);

    let junk = dir.path().join("junk.json");
    std::fs::write(&junk, "{\"not\": \"a report\"}").unwrap();
    let out = chaff(["eval", &test_csv(), "--baseline", junk.to_str().unwrap()]);
    assert_status(&out, 2);
    assert!(
        stderr(&out).contains("not a chaff eval JSON report"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn shipped_baselines_match_the_shipped_model() {
    // The committed baseline for data/test.csv must be the shipped model's own score, or the
    // CI gate compares against a stale figure.
    let out = chaff([
        "eval",
        &test_csv(),
        "--baseline",
        root().join("reports/baselines/test.json").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_status(&out, 0);
    let now: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let saved: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("reports/baselines/test.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        now["macro_f1"], saved["macro_f1"],
        "reports/baselines/test.json is stale: run .ci/update-baselines"
    );
}

#[test]
fn cv_reports_mean_and_spread_and_writes_folds_and_predictions() {
    let dir = tempfile::tempdir().unwrap();
    let folds = dir.path().join("folds.csv");
    let predictions = dir.path().join("oof.csv");
    let out = chaff([
        "cv",
        &test_csv(),
        "--folds",
        "3",
        "--group-by",
        "publisher",
        "--no-context",
        "--format",
        "json",
        "--folds-out",
        folds.to_str().unwrap(),
        "--predictions-out",
        predictions.to_str().unwrap(),
    ]);
    assert_status(&out, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["folds"].as_array().unwrap().len(), 3);
    assert!(json["macro_f1"]["mean"].as_f64().unwrap() > 0.5);
    // The spread is the population standard deviation of the folds' macro-F1.
    let folds_f1: Vec<f64> = json["folds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["macro_f1"].as_f64().unwrap())
        .collect();
    let mean = folds_f1.iter().sum::<f64>() / folds_f1.len() as f64;
    let std =
        (folds_f1.iter().map(|f| (f - mean).powi(2)).sum::<f64>() / folds_f1.len() as f64).sqrt();
    assert!((json["macro_f1"]["mean"].as_f64().unwrap() - mean).abs() < 1e-9);
    assert!((json["macro_f1"]["std"].as_f64().unwrap() - std).abs() < 1e-9);
    // Grouped: no publisher's documents are split across folds.
    let data = chaff::LabelledSet::read(&[root().join("data/test.csv")]).unwrap();
    let mut fold_of_doc = std::collections::HashMap::new();
    for r in csv::Reader::from_path(&folds).unwrap().records() {
        let r = r.unwrap();
        fold_of_doc.insert(r[0].to_string(), r[1].to_string());
    }
    let mut fold_of_publisher = std::collections::HashMap::new();
    for d in &data.documents {
        let fold = &fold_of_doc[&d.id];
        let seen = fold_of_publisher
            .entry(d.publisher.clone().unwrap())
            .or_insert_with(|| fold.clone());
        assert_eq!(seen, fold, "{:?} split across folds", d.publisher);
    }
    // One out-of-fold tag per paragraph, in the data's order, from the document's fold;
    // together they add up to the pooled confusion matrix.
    let labels: Vec<String> = json["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect();
    let mut confusion = vec![vec![0u64; labels.len()]; labels.len()];
    let mut rows = csv::Reader::from_path(&predictions).unwrap();
    assert_eq!(
        rows.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "doc_id",
            "position",
            "line",
            "fold",
            "label",
            "predicted",
            "confidence",
            "text"
        ]
    );
    let mut records = rows.records().map(|r| r.unwrap());
    for d in &data.documents {
        for p in &d.paragraphs {
            let r = records.next().expect("a row per paragraph");
            assert_eq!(&r[0], d.id.as_str());
            assert_eq!(r[1].parse::<i64>().unwrap(), p.position);
            assert_eq!(r[2].parse::<u64>().unwrap(), p.line);
            assert_eq!(&r[3], fold_of_doc[&d.id].as_str());
            assert_eq!(&r[4], p.label.as_str());
            assert_eq!(&r[7], p.text.as_str());
            let confidence: f64 = r[6].parse().unwrap();
            assert!((0.0..=1.0).contains(&confidence));
            let index = |name: &str| labels.iter().position(|l| l == name).unwrap();
            confusion[index(&r[4])][index(&r[5])] += 1;
        }
    }
    assert!(records.next().is_none(), "no extra rows");
    let pooled: Vec<Vec<u64>> = serde_json::from_value(json["confusion"].clone()).unwrap();
    assert_eq!(confusion, pooled);
    let out = chaff([
        "cv",
        &test_csv(),
        "--folds",
        "50",
        "--group-by",
        "publisher",
    ]);
    assert_status(&out, 2);
    assert!(stderr(&out).contains("only"), "{}", stderr(&out));
}

#[test]
fn cv_with_extra_data_trains_every_fold_on_it_and_refuses_overlap() {
    let train_csv = root().join("data/train.csv").to_str().unwrap().to_string();
    let extra_rows = chaff::LabelledSet::read(&[&train_csv]).unwrap().rows() as u64;
    let test_rows = chaff::LabelledSet::read(&[test_csv()]).unwrap().rows() as u64;
    let out = chaff([
        "cv",
        &test_csv(),
        "--with",
        &train_csv,
        "--folds",
        "3",
        "--no-context",
        "--format",
        "json",
    ]);
    assert_status(&out, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["extra"].as_str().unwrap(), train_csv);
    let folds = json["folds"].as_array().unwrap();
    let scored: u64 = folds.iter().map(|f| f["test_rows"].as_u64().unwrap()).sum();
    assert_eq!(scored, test_rows, "extra rows are never scored");
    for f in folds {
        // Each fold trains on the other folds' rows plus every extra row.
        let own = f["test_rows"].as_u64().unwrap();
        assert_eq!(
            f["train_rows"].as_u64().unwrap(),
            test_rows - own + extra_rows
        );
    }

    // The same documents, or another document of a publisher being scored, would leak.
    let out = chaff(["cv", &test_csv(), "--with", &test_csv()]);
    assert_status(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("data/test.csv:2: document"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let twin = dir.path().join("twin.csv");
    let data = chaff::LabelledSet::read(&[test_csv()]).unwrap();
    let publisher = data.documents[0].publisher.clone().unwrap();
    std::fs::write(
        &twin,
        format!("doc_id,text,label,publisher\nnew-doc,Some text,reporting,{publisher}\n"),
    )
    .unwrap();
    let out = chaff([
        "cv",
        &test_csv(),
        "--with",
        &train_csv,
        "--with",
        twin.to_str().unwrap(),
    ]);
    assert_status(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("twin.csv:2: publisher"), "{err}");
    assert!(
        !err.contains("train.csv"),
        "only the file at fault is named: {err}"
    );
}
