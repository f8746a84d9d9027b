//! Parquet feeds (cargo feature `parquet`): one article per row, its text in a string column
//! (`--text-field`, default `text`) and its id in another (`--id-field`, default `id`).
//! `clean` writes the rows back with only the text column changed: every other column, the
//! schema (with its metadata) and the row order are kept.
//!
//! Parquet keeps its index at the end of the file, so it is read from a file by path,
//! never from a pipe. Rows are decoded a batch at a time: memory holds one batch and the
//! row group it comes from, however large the file.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{
    Array, ArrayRef, LargeStringArray, RecordBatch, StringArray, StringViewArray, UInt32Array,
};
use arrow_schema::{DataType, SchemaRef};
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

use crate::article::Article;
use crate::error::{display_path, Error, Location, Result};
use crate::io::feed::{FeedSettings, Item, Origin};
use crate::text::paragraphs::split_paragraphs;

/// Rows decoded at a time. Articles average a few kilobytes, so a batch is a few
/// megabytes; the tagger forms its own batches from the rows.
const ROWS_PER_BATCH: usize = 1024;

/// `clean` ends a row group once its encoded pages reach this size, so the output's row
/// groups (held in memory until written) stay small whatever the input's were.
const ROW_GROUP_BYTES: usize = 32 << 20;

/// The Parquet file a row came from: what `clean` needs to write the row back.
#[derive(Debug)]
pub struct ParquetSource {
    path: PathBuf,
    schema: SchemaRef,
    text_column: usize,
    /// The text column's codec in the first row group, used for the output too.
    compression: Option<Compression>,
}

/// One row of a Parquet feed: the decoded batch it belongs to and its index there.
#[derive(Debug, Clone)]
pub struct ParquetRow {
    source: Arc<ParquetSource>,
    batch: Arc<RecordBatch>,
    row: usize,
}

impl PartialEq for ParquetRow {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.batch, &other.batch) && self.row == other.row
    }
}

impl ParquetRow {
    /// The row's text as stored, `None` when the cell is null.
    pub fn text(&self) -> Option<&str> {
        string_at(self.batch.column(self.source.text_column), self.row)
    }
}

/// The string at `row` of a string column of any of Arrow's three layouts; `None` when
/// null or not a string column.
fn string_at(column: &ArrayRef, row: usize) -> Option<&str> {
    if column.is_null(row) {
        return None;
    }
    match column.data_type() {
        DataType::Utf8 => Some(column.as_string::<i32>().value(row)),
        DataType::LargeUtf8 => Some(column.as_string::<i64>().value(row)),
        DataType::Utf8View => Some(column.as_string_view().value(row)),
        _ => None,
    }
}

/// An id cell as text: strings as they are, integers in decimal; `None` for null or any
/// other type.
fn id_at(column: &ArrayRef, row: usize) -> Option<String> {
    if column.is_null(row) {
        return None;
    }
    if let Some(s) = string_at(column, row) {
        return Some(s.to_string());
    }
    Some(match column.data_type() {
        DataType::Int8 => column.as_primitive::<Int8Type>().value(row).to_string(),
        DataType::Int16 => column.as_primitive::<Int16Type>().value(row).to_string(),
        DataType::Int32 => column.as_primitive::<Int32Type>().value(row).to_string(),
        DataType::Int64 => column.as_primitive::<Int64Type>().value(row).to_string(),
        DataType::UInt8 => column.as_primitive::<UInt8Type>().value(row).to_string(),
        DataType::UInt16 => column.as_primitive::<UInt16Type>().value(row).to_string(),
        DataType::UInt32 => column.as_primitive::<UInt32Type>().value(row).to_string(),
        DataType::UInt64 => column.as_primitive::<UInt64Type>().value(row).to_string(),
        _ => return None,
    })
}

fn is_string(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
    )
}

/// Opens the Parquet file at `path` as a stream of articles, one per row.
pub(crate) fn open(
    path: &Path,
    settings: &FeedSettings,
) -> Result<Box<dyn Iterator<Item = Result<Item>> + Send>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let at_file = |message: String| Error::input(Location::file(path), message);
    let builder = ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|e| at_file(format!("not a readable Parquet file: {e}")))?;
    let schema = builder.schema().clone();
    let column = |name: &str| schema.fields().iter().position(|f| f.name() == name);
    let columns = || {
        schema
            .fields()
            .iter()
            .map(|f| f.name().as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some(text_column) = column(&settings.text_field) else {
        return Err(at_file(format!(
            "no column {:?} (the columns: {}; choose one with --text-field)",
            settings.text_field,
            columns()
        )));
    };
    let text_type = schema.field(text_column).data_type();
    if !is_string(text_type) {
        return Err(at_file(format!(
            "column {:?} is {text_type}, expected a string column (choose the text column \
             with --text-field)",
            settings.text_field
        )));
    }
    let compression = builder
        .metadata()
        .row_groups()
        .first()
        .map(|group| group.column(text_column).compression());
    if settings.bytes_read.is_some() {
        // Progress counts bytes as stored; a row group's worth is read at a time, so the
        // whole file is counted up front rather than guessed per row.
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if let Some(counter) = &settings.bytes_read {
            counter.fetch_add(size, std::sync::atomic::Ordering::Relaxed);
        }
    }
    let batches = builder
        .with_batch_size(ROWS_PER_BATCH)
        .build()
        .map_err(|e| at_file(format!("not a readable Parquet file: {e}")))?;
    Ok(Box::new(ParquetFeed {
        id_column: column(&settings.id_field),
        source: Arc::new(ParquetSource {
            path: path.to_path_buf(),
            schema,
            text_column,
            compression,
        }),
        batches,
        batch: None,
        next_row: 0,
        rows_before: 0,
        failed: false,
    }))
}

struct ParquetFeed {
    source: Arc<ParquetSource>,
    id_column: Option<usize>,
    batches: ParquetRecordBatchReader,
    batch: Option<Arc<RecordBatch>>,
    /// The next row to hand out, in `batch`.
    next_row: usize,
    /// Rows in the file before `batch`.
    rows_before: u64,
    failed: bool,
}

impl Iterator for ParquetFeed {
    type Item = Result<Item>;

    fn next(&mut self) -> Option<Result<Item>> {
        if self.failed {
            return None;
        }
        let batch = loop {
            match &self.batch {
                Some(batch) if self.next_row < batch.num_rows() => break batch.clone(),
                _ => {}
            }
            if let Some(done) = self.batch.take() {
                self.rows_before += done.num_rows() as u64;
            }
            self.next_row = 0;
            match self.batches.next()? {
                Ok(batch) => self.batch = Some(Arc::new(batch)),
                Err(e) => {
                    // A corrupt page ends the file: the reader cannot resynchronise.
                    self.failed = true;
                    return Some(Err(Error::input(
                        Location::row(&self.source.path, self.rows_before + 1),
                        format!("unreadable Parquet data: {e}"),
                    )));
                }
            }
        };
        let row = self.next_row;
        self.next_row += 1;
        let number = self.rows_before + row as u64 + 1;
        let parquet_row = ParquetRow {
            source: self.source.clone(),
            batch: batch.clone(),
            row,
        };
        let paragraphs = parquet_row.text().map(split_paragraphs).unwrap_or_default();
        let id = self
            .id_column
            .and_then(|c| id_at(batch.column(c), row))
            .unwrap_or_else(|| format!("{}:{number}", display_path(&self.source.path)));
        Some(Ok(Item {
            article: Article::new(id, paragraphs),
            origin: Origin::Parquet(parquet_row),
            location: Location::row(&self.source.path, number),
        }))
    }
}

/// Bytes the Parquet writer has produced and the clean writer has not yet passed on: the
/// writer owns its sink, while the cleaned rows must reach the clean writer's output.
#[derive(Clone, Default)]
struct Pending(Arc<Mutex<Vec<u8>>>);

impl Pending {
    fn drain_into(&self, out: &mut impl Write) -> io::Result<()> {
        let bytes = std::mem::take(&mut *self.0.lock().expect("never poisoned"));
        out.write_all(&bytes)
    }
}

impl Write for Pending {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .expect("never poisoned")
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Writes cleaned Parquet rows: each decoded batch again, with its text column replaced,
/// in the schema and (where it can be written) the codec of the first input.
pub(crate) struct ParquetOutput {
    writer: ArrowWriter<Pending>,
    pending: Pending,
    /// The first input, whose schema every row must have.
    first: Arc<ParquetSource>,
    /// The batch being filled, the rows of it written so far and their new texts.
    batch: Option<(ParquetRow, Vec<u32>, Vec<Option<String>>)>,
}

impl ParquetOutput {
    /// A writer in the schema of `first`'s file.
    pub(crate) fn new(first: &ParquetRow) -> io::Result<Self> {
        let source = &first.source;
        let compression = match source.compression {
            Some(c @ (Compression::SNAPPY | Compression::ZSTD(_) | Compression::GZIP(_))) => c,
            Some(Compression::UNCOMPRESSED) => Compression::UNCOMPRESSED,
            _ => Compression::ZSTD(ZstdLevel::default()),
        };
        let properties = WriterProperties::builder()
            .set_compression(compression)
            .build();
        let pending = Pending::default();
        let writer = ArrowWriter::try_new(pending.clone(), source.schema.clone(), Some(properties))
            .map_err(io::Error::other)?;
        Ok(ParquetOutput {
            writer,
            pending,
            first: source.clone(),
            batch: None,
        })
    }

    /// Writes `row` with `text` in place of its text (`None`: null).
    pub(crate) fn write(
        &mut self,
        row: &ParquetRow,
        text: Option<String>,
        out: &mut impl Write,
    ) -> io::Result<()> {
        let same_batch = matches!(&self.batch, Some((r, ..)) if Arc::ptr_eq(&r.batch, &row.batch));
        if !same_batch {
            self.end_batch(out)?;
            if row.source.schema != self.first.schema {
                return Err(io::Error::other(format!(
                    "{} has other columns than {}: one Parquet output holds one schema; \
                     clean them separately",
                    display_path(&row.source.path),
                    display_path(&self.first.path)
                )));
            }
            self.batch = Some((row.clone(), Vec::new(), Vec::new()));
        }
        let (_, rows, texts) = self.batch.as_mut().expect("set above");
        rows.push(row.row as u32);
        texts.push(text);
        Ok(())
    }

    /// Writes the batch being filled, if any: its rows written so far, text replaced.
    fn end_batch(&mut self, out: &mut impl Write) -> io::Result<()> {
        let Some((first, rows, texts)) = self.batch.take() else {
            return Ok(());
        };
        let batch = &first.batch;
        let text_column = first.source.text_column;
        let whole = rows.len() == batch.num_rows()
            && rows.iter().enumerate().all(|(i, &r)| i == r as usize);
        let batch = if whole {
            batch.as_ref().clone()
        } else {
            arrow_select::take::take_record_batch(batch, &UInt32Array::from(rows))
                .map_err(io::Error::other)?
        };
        let texts = texts.iter().map(Option::as_deref);
        let column: ArrayRef = match batch.column(text_column).data_type() {
            DataType::LargeUtf8 => Arc::new(LargeStringArray::from_iter(texts)),
            DataType::Utf8View => Arc::new(StringViewArray::from_iter(texts)),
            _ => Arc::new(StringArray::from_iter(texts)),
        };
        let mut columns = batch.columns().to_vec();
        columns[text_column] = column;
        let cleaned = RecordBatch::try_new(batch.schema(), columns).map_err(io::Error::other)?;
        self.writer.write(&cleaned).map_err(io::Error::other)?;
        if self.writer.in_progress_size() >= ROW_GROUP_BYTES {
            self.writer.flush().map_err(io::Error::other)?;
        }
        self.pending.drain_into(out)
    }

    /// Writes what is left and the file's footer.
    pub(crate) fn finish(mut self, out: &mut impl Write) -> io::Result<()> {
        self.end_batch(out)?;
        self.writer.close().map_err(io::Error::other)?;
        self.pending.drain_into(out)
    }
}
