//! Compressed outputs: a writer that gzip- or zstd-compresses what it is given as it
//! streams, chosen by the output file's extension (`out.jsonl.gz`, `out.jsonl.zst`).

use std::io::{self, Write};

use crate::io::sniff::Compression;

/// zstd's own default level: fast, and a good ratio on text.
const ZSTD_LEVEL: i32 = 3;

/// A writer that compresses into `W`, or passes bytes through unchanged.
pub enum Compressor<W: Write> {
    /// No compression.
    Plain(W),
    /// gzip (one member), at the default level (6).
    Gzip(flate2::write::GzEncoder<W>),
    /// Zstandard, one frame, level 3.
    Zstd(zstd::stream::write::Encoder<'static, W>),
}

impl<W: Write> Compressor<W> {
    /// A writer into `out` that compresses with `compression` (none: bytes pass through).
    pub fn new(out: W, compression: Option<Compression>) -> io::Result<Self> {
        Ok(match compression {
            None => Compressor::Plain(out),
            Some(Compression::Gzip) => Compressor::Gzip(flate2::write::GzEncoder::new(
                out,
                flate2::Compression::default(),
            )),
            Some(Compression::Zstd) => {
                Compressor::Zstd(zstd::stream::write::Encoder::new(out, ZSTD_LEVEL)?)
            }
        })
    }

    /// Ends the compressed stream (its trailer written) and returns the inner writer,
    /// flushed.
    pub fn finish(self) -> io::Result<W> {
        let mut out = match self {
            Compressor::Plain(out) => out,
            Compressor::Gzip(encoder) => encoder.finish()?,
            Compressor::Zstd(encoder) => encoder.finish()?,
        };
        out.flush()?;
        Ok(out)
    }

    /// The inner writer.
    pub fn get_ref(&self) -> &W {
        match self {
            Compressor::Plain(out) => out,
            Compressor::Gzip(encoder) => encoder.get_ref(),
            Compressor::Zstd(encoder) => encoder.get_ref(),
        }
    }
}

impl<W: Write> Write for Compressor<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Compressor::Plain(out) => out.write(buf),
            Compressor::Gzip(encoder) => encoder.write(buf),
            Compressor::Zstd(encoder) => encoder.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Compressor::Plain(out) => out.flush(),
            Compressor::Gzip(encoder) => encoder.flush(),
            Compressor::Zstd(encoder) => encoder.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;
    use crate::io::sniff::decompress;

    #[test]
    fn what_is_compressed_decompresses_to_the_same_bytes() {
        let text = "{\"text\": \"Größe – ✓\"}\n".repeat(1000);
        for compression in [None, Some(Compression::Gzip), Some(Compression::Zstd)] {
            let mut writer = Compressor::new(Vec::new(), compression).unwrap();
            writer.write_all(text.as_bytes()).unwrap();
            let bytes = writer.finish().unwrap();
            assert_eq!(Compression::from_magic(&bytes), compression);
            let (found, mut reader) = decompress(Box::new(io::Cursor::new(bytes))).unwrap();
            assert_eq!(found, compression);
            let mut back = String::new();
            reader.read_to_string(&mut back).unwrap();
            assert_eq!(back, text);
        }
    }
}
