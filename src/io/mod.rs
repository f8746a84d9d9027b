//! Files in and out: feeds of articles (plain text, JSONL, CSV; gzip or zstd compressed;
//! standard input sniffed; Parquet files with the `parquet` feature) read as streams, tag
//! records and cleaned articles written in those formats (compressed by the output's
//! extension), feeds tagged in bounded memory, and outputs written atomically.

pub mod atomic;
pub mod compress;
pub(crate) mod csv_text;
pub(crate) mod decode;
pub mod feed;
pub mod generated;
mod model_files;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod sniff;
pub mod stream;
pub(crate) mod utf8;
pub mod writers;

pub use atomic::{write_atomically, OutputFile};
pub use compress::Compressor;
pub use feed::{Feed, FeedSettings, InputFormat, Item, Origin, TextEncoding};
pub use stream::{tag_feeds, FeedSummary, Tagged};
pub use writers::{
    CleanSummary, CleanWriter, DolmaWriter, Render, TagFormat, TagRecords, TagWriter,
};

use std::path::Path;

use crate::error::{Error, Result};

/// Reads a whole file, naming it in the error.
pub fn read_file(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::io(path, e))
}
