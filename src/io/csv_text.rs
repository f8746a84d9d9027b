//! CRLF line endings read as LF, so CSV errors name the right line.
//!
//! The csv crate counts lines by `\n` but, with `\r\n` endings, reports each record one line
//! early: it stops reading a record at the `\r` and counts the `\n` as part of the next
//! one (BurntSushi/rust-csv#395, open). Windows-made CSV files are common, and an error
//! that names the wrong line sends the user to the wrong row, so chaff's CSV readers read
//! through [`CrlfToLf`]. No crate offers this as a streaming `Read` adapter; it is a few
//! lines over `BufRead`, which lets it look one byte past a `\r`. A `\r\n` inside a quoted field becomes `\n` too, which only normalises the text.

use std::io::{self, BufRead, Read};
use std::path::Path;

use crate::error::{Error, Location};

/// A reader that drops every `\r` directly followed by `\n`, across buffer boundaries.
pub struct CrlfToLf<R> {
    inner: R,
}

impl<R: BufRead> CrlfToLf<R> {
    /// Wraps `inner`.
    pub fn new(inner: R) -> Self {
        CrlfToLf { inner }
    }
}

impl<R: BufRead> Read for CrlfToLf<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut out = 0;
        while out < buf.len() {
            let available = self.inner.fill_buf()?;
            if available.is_empty() {
                break;
            }
            let mut used = 0;
            let mut peek_past_cr = false;
            while used < available.len() && out < buf.len() {
                // Copy up to the next `\r` in one go (a byte at a time, this loop was 7% of
                // tagging a CSV file).
                let span = &available[used..available.len().min(used + buf.len() - out)];
                let run = memchr::memchr(b'\r', span).unwrap_or(span.len());
                buf[out..out + run].copy_from_slice(&span[..run]);
                out += run;
                used += run;
                if run == span.len() {
                    continue;
                }
                // `available[used]` is a `\r`, and `buf` has room for it.
                match available.get(used + 1) {
                    Some(b'\n') => used += 1,
                    Some(_) => {
                        buf[out] = b'\r';
                        out += 1;
                        used += 1;
                    }
                    // The `\r` ends what is buffered: decide once the next byte is in.
                    None => {
                        peek_past_cr = true;
                        break;
                    }
                }
            }
            self.inner.consume(used);
            if peek_past_cr {
                if out > 0 {
                    // Hand back what is done; the `\r` stays unread for the next call.
                    break;
                }
                self.inner.consume(1);
                if self.inner.fill_buf()?.first() != Some(&b'\n') {
                    buf[0] = b'\r';
                    return Ok(1);
                }
                // A split `\r\n`: the `\r` is dropped and the `\n` read next round.
                continue;
            }
            if out > 0 {
                break;
            }
        }
        Ok(out)
    }
}

/// Maps a csv crate error to an input error with the file and line.
pub(crate) fn csv_error(path: &Path, err: csv::Error) -> Error {
    let line = err.position().map(|p| p.line()).unwrap_or(0);
    let message = match err.kind() {
        csv::ErrorKind::Utf8 { err, .. } => {
            format!("invalid UTF-8 in field {} of the row", err.field() + 1)
        }
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("row has {len} fields but the header has {expected_len}"),
        csv::ErrorKind::Io(e) => {
            return Error::io(path, std::io::Error::new(e.kind(), e.to_string()))
        }
        _ => err.to_string(),
    };
    if line > 0 {
        Error::input(Location::line(path, line), message)
    } else {
        Error::input(Location::file(path), message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufReader;

    fn through(bytes: &[u8], capacity: usize, chunk: usize) -> Vec<u8> {
        let mut reader = CrlfToLf::new(BufReader::with_capacity(capacity, bytes));
        let mut out = Vec::new();
        let mut buf = vec![0u8; chunk];
        loop {
            let n = reader.read(&mut buf).unwrap();
            if n == 0 {
                return out;
            }
            out.extend_from_slice(&buf[..n]);
        }
    }

    #[test]
    fn pairs_become_lf_and_lone_cr_stays() {
        let input = b"a,b\r\nc\rd\r\n\r\r\n\r";
        let expected = b"a,b\nc\rd\n\r\n\r";
        // Every buffer and read size, so pairs split across both are covered.
        for capacity in 1..=input.len() + 1 {
            for chunk in 1..=input.len() + 1 {
                assert_eq!(
                    through(input, capacity, chunk),
                    expected,
                    "{capacity} {chunk}"
                );
            }
        }
    }

    #[test]
    fn long_runs_between_carriage_returns_match_a_plain_replace() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for _ in 0..2000 {
            let len = rng.gen_range(0..300);
            let input: Vec<u8> = (0..len)
                .map(|_| match rng.gen_range(0..20) {
                    0 => b'\r',
                    1 => b'\n',
                    _ => b'x',
                })
                .collect();
            let mut expected = Vec::new();
            for (i, &b) in input.iter().enumerate() {
                if !(b == b'\r' && input.get(i + 1) == Some(&b'\n')) {
                    expected.push(b);
                }
            }
            let capacity = rng.gen_range(1..80);
            let chunk = rng.gen_range(1..80);
            assert_eq!(through(&input, capacity, chunk), expected, "{input:?}");
        }
    }

    #[test]
    fn csv_lines_are_right_with_crlf() {
        let input = "h\r\nx\r\ny\r\n";
        let mut reader = csv::Reader::from_reader(CrlfToLf::new(input.as_bytes()));
        let lines: Vec<u64> = reader
            .records()
            .map(|r| r.unwrap().position().unwrap().line())
            .collect();
        assert_eq!(lines, [2, 3]);
    }
}
