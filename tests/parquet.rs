//! Parquet feeds through the real binary (cargo feature `parquet`; `.ci/run` runs
//! `cargo test --release --features parquet --test parquet`): `clean shard.parquet -o
//! out.parquet` changes the text column only, and every way of giving Parquet that can't
//! work is refused with a message saying what to do.
#![cfg(feature = "parquet")]

mod common;

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{
    Array, ArrayRef, LargeStringArray, RecordBatch, RecordBatchReader, StringArray, StringViewArray,
};
use arrow_schema::{DataType, Field, Schema};
use common::*;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;

/// Every row of a Parquet file, as one batch, with the file's schema.
fn read(path: &Path) -> RecordBatch {
    let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap())
        .unwrap()
        .build()
        .unwrap();
    let schema = reader.schema();
    let batches: Vec<RecordBatch> = reader.map(Result::unwrap).collect();
    arrow_select::concat::concat_batches(&schema, &batches).unwrap()
}

/// The text column's cells as optional strings, whatever its string layout.
fn texts(batch: &RecordBatch) -> Vec<Option<String>> {
    let column = batch.column_by_name("text").unwrap();
    (0..column.len())
        .map(|i| {
            (!column.is_null(i)).then(|| match column.data_type() {
                DataType::Utf8 => column.as_string::<i32>().value(i).to_string(),
                DataType::LargeUtf8 => column.as_string::<i64>().value(i).to_string(),
                DataType::Utf8View => column.as_string_view().value(i).to_string(),
                other => panic!("text is {other}"),
            })
        })
        .collect()
}

/// What `clean` keeps of data/examples/feed.jsonl, record by record (the JSONL path,
/// which the Parquet path must agree with).
fn cleaned_jsonl_texts() -> Vec<String> {
    let out = chaff([
        "clean",
        root().join("data/examples/feed.jsonl").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["text"].as_str().unwrap().to_string()
        })
        .collect()
}

#[test]
fn clean_changes_only_the_text_column_of_a_pyarrow_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("feed.parquet");
    let output = dir.path().join("out.parquet");
    let out = chaff([
        "clean",
        input.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("clean: 4 articles"),
        "{}",
        stderr(&out)
    );

    let (before, after) = (read(&input), read(&output));
    // Same columns, types, nesting and schema metadata; same rows in the same order.
    assert_eq!(before.schema(), after.schema());
    assert_eq!(before.num_rows(), after.num_rows());
    for (i, field) in before.schema().fields().iter().enumerate() {
        if field.name() != "text" {
            assert_eq!(before.column(i), after.column(i), "column {}", field.name());
        }
    }
    // The text is what clean keeps of the same articles read as JSONL; a null stays null.
    let jsonl = cleaned_jsonl_texts();
    let cleaned = texts(&after);
    assert_eq!(cleaned.len(), jsonl.len() + 1);
    for (parquet, jsonl) in cleaned.iter().zip(&jsonl) {
        assert_eq!(parquet.as_deref(), Some(jsonl.as_str()));
    }
    assert_eq!(cleaned[jsonl.len()], None);
    // Something was removed, or the comparison above proves nothing.
    let original = texts(&before);
    assert!(cleaned[0].as_ref().unwrap().len() < original[0].as_ref().unwrap().len());
}

#[test]
fn tag_reads_parquet_rows_as_articles_with_their_ids() {
    let out = chaff(["tag", fixture("feed.parquet").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let jsonl = chaff([
        "tag",
        root().join("data/examples/feed.jsonl").to_str().unwrap(),
    ]);
    // The null row has no paragraphs; the others tag exactly as their JSONL twins.
    assert_eq!(stdout(&out), stdout(&jsonl));
    assert!(
        stderr(&out).contains("1 of 4 articles had no paragraphs"),
        "{}",
        stderr(&out)
    );
}

/// Writes `texts` as a one-column Parquet file of `data_type` (Utf8, LargeUtf8, Utf8View).
fn write_texts(path: &Path, data_type: DataType, texts: &[Option<&str>]) {
    let column: ArrayRef = match data_type {
        DataType::Utf8 => Arc::new(StringArray::from(texts.to_vec())),
        DataType::LargeUtf8 => Arc::new(LargeStringArray::from(texts.to_vec())),
        DataType::Utf8View => Arc::new(StringViewArray::from(texts.to_vec())),
        other => panic!("{other}"),
    };
    let schema = Arc::new(Schema::new(vec![Field::new("text", data_type, true)]));
    let batch = RecordBatch::try_new(schema.clone(), vec![column]).unwrap();
    let mut writer = ArrowWriter::try_new(File::create(path).unwrap(), schema, None).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
}

const APPEAL_AND_BODY: &str = "Donate now to keep our journalism free.\n\nThe council voted on \
                               Monday to raise bus fares by ten cents from March.";

#[test]
fn every_string_layout_is_read_and_written_back_in_kind() {
    let dir = tempfile::tempdir().unwrap();
    for data_type in [DataType::Utf8, DataType::LargeUtf8, DataType::Utf8View] {
        let input = dir.path().join(format!("{data_type}.parquet"));
        let output = dir.path().join(format!("{data_type}-out.parquet"));
        write_texts(
            &input,
            data_type.clone(),
            &[Some(APPEAL_AND_BODY), None, Some("")],
        );
        let out = chaff([
            "clean",
            input.to_str().unwrap(),
            "-o",
            output.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{data_type}: {}", stderr(&out));
        let after = read(&output);
        assert_eq!(after.schema().field(0).data_type(), &data_type);
        assert_eq!(
            texts(&after),
            [
                Some(
                    "The council voted on Monday to raise bus fares by ten cents from March."
                        .to_string()
                ),
                None,
                Some(String::new())
            ]
        );
    }
}

#[test]
fn a_parquet_file_is_known_by_its_magic_bytes_whatever_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let misnamed = dir.path().join("shard.dat");
    std::fs::copy(fixture("feed.parquet"), &misnamed).unwrap();
    let named = chaff(["tag", fixture("feed.parquet").to_str().unwrap()]);
    let out = chaff(["tag", misnamed.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), stdout(&named));
}

#[test]
fn several_files_of_one_schema_make_one_output_and_other_schemas_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.parquet"), dir.path().join("b.parquet"));
    write_texts(&a, DataType::Utf8, &[Some(APPEAL_AND_BODY)]);
    write_texts(
        &b,
        DataType::Utf8,
        &[Some("Second file."), Some(APPEAL_AND_BODY)],
    );
    let output = dir.path().join("out.parquet");
    let args = |inputs: [&Path; 2]| {
        vec![
            "clean".to_string(),
            inputs[0].display().to_string(),
            inputs[1].display().to_string(),
            "-o".to_string(),
            output.display().to_string(),
        ]
    };
    let out = chaff(args([&a, &b]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(read(&output).num_rows(), 3);

    let large = dir.path().join("large.parquet");
    write_texts(&large, DataType::LargeUtf8, &[Some(APPEAL_AND_BODY)]);
    std::fs::remove_file(&output).unwrap();
    let out = chaff(args([&a, &large]));
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("has other columns than") && stderr(&out).contains("large.parquet"),
        "{}",
        stderr(&out)
    );
    // Nothing half-written is left behind.
    assert!(!output.exists());
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 3, "{left:?}");
}

#[test]
fn parquet_that_cannot_be_read_or_written_is_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("feed.parquet");
    let bytes = std::fs::read(&input).unwrap();
    let refused = |out: std::process::Output, expected: &str| {
        assert!(!out.status.success(), "accepted; wanted {expected:?}");
        assert!(stderr(&out).contains(expected), "{}", stderr(&out));
    };
    // From a pipe: the index is at the end.
    refused(
        chaff_with_stdin(["clean"], &bytes),
        "Parquet can't be read from standard input or a pipe",
    );
    // Compressed again.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &bytes).unwrap();
    let gz_path = write(dir.path(), "feed.parquet.gz", &gz.finish().unwrap());
    let out_path = |name: &str| dir.path().join(name).display().to_string();
    refused(
        chaff(["clean", &gz_path, "-o", &out_path("x.parquet")]),
        "this is Parquet inside gzip",
    );
    // Outputs clean can't write Parquet to, and tag writing Parquet.
    let input = input.to_str().unwrap();
    refused(
        chaff(["clean", input, "-o", &out_path("out.jsonl")]),
        "not named .parquet",
    );
    refused(
        chaff(["clean", input, "-o", &out_path("out.parquet.zst")]),
        "no .gz or .zst",
    );
    refused(
        chaff(["tag", input, "-o", &out_path("tags.parquet")]),
        "tag writes JSONL, CSV, text or Dolma records, not Parquet",
    );
    // Columns that are not there or not text.
    refused(
        chaff([
            "clean",
            input,
            "--text-field",
            "body",
            "-o",
            &out_path("o.parquet"),
        ]),
        "no column \"body\" (the columns: id, text, publisher, rank, tags, source",
    );
    refused(
        chaff([
            "clean",
            input,
            "--text-field",
            "rank",
            "-o",
            &out_path("o.parquet"),
        ]),
        "column \"rank\" is Int32, expected a string column",
    );
    // A broken file names itself.
    let cut = write(dir.path(), "cut.parquet", &bytes[..bytes.len() / 2]);
    refused(
        chaff(["tag", &cut]),
        "cut.parquet: not a readable Parquet file",
    );
    // None of the refused runs left an output or a temp file.
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["cut.parquet", "feed.parquet.gz"]);
}
