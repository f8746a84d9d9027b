//! Text that is not UTF-8: where the first bad byte is (line and byte offset), and how to
//! read the feed anyway (`--encoding`).

use std::collections::VecDeque;
use std::io::{self, Read};
use std::sync::{Arc, Mutex};

/// The message for invalid UTF-8 at byte `offset` (0-based, from the start of the input)
/// whose first bad byte is `byte`.
pub(crate) fn invalid_utf8(offset: u64, byte: Option<u8>) -> String {
    let byte = byte.map_or(String::new(), |b| format!(" (0x{b:02x})"));
    format!(
        "invalid UTF-8 at byte offset {offset}{byte}; if the input is Latin-1 or \
         Windows-1252, read it with --encoding latin1"
    )
}

/// A bad byte seen by [`Utf8Watch`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BadByte {
    /// 0-based offset from the start of the input.
    pub offset: u64,
    /// 1-based line.
    pub line: u64,
    /// The byte.
    pub byte: u8,
}

/// Bad bytes found so far, oldest first.
pub(crate) type BadBytes = Arc<Mutex<VecDeque<BadByte>>>;

/// At most this many bad bytes are remembered ahead of the reader that reports them.
const REMEMBERED: usize = 4096;

/// A reader that passes bytes through unchanged and notes where each invalid UTF-8
/// sequence starts (offset and line of the raw input), so a parser further up (CSV, which
/// counts neither raw bytes nor `\r`) can name the exact byte.
pub(crate) struct Utf8Watch<R> {
    inner: R,
    /// Offset of the first byte of `carry` (or of the next byte read when it is empty).
    offset: u64,
    line: u64,
    /// The start of a sequence cut by the end of the last read.
    carry: Vec<u8>,
    bad: BadBytes,
}

impl<R: Read> Utf8Watch<R> {
    /// Watches `inner`, noting bad bytes in `bad`.
    pub fn new(inner: R, bad: BadBytes) -> Self {
        Utf8Watch {
            inner,
            offset: 0,
            line: 1,
            carry: Vec::new(),
            bad,
        }
    }

    fn scan(&mut self, chunk: &[u8], eof: bool) {
        let mut data = std::mem::take(&mut self.carry);
        data.extend_from_slice(chunk);
        let mut at = 0;
        let mut counted = 0;
        let mut bad = Vec::new();
        while at < data.len() {
            match std::str::from_utf8(&data[at..]) {
                Ok(_) => at = data.len(),
                Err(e) => {
                    let start = at + e.valid_up_to();
                    match e.error_len() {
                        None if !eof => {
                            self.carry = data[start..].to_vec();
                            data.truncate(start);
                            break;
                        }
                        len => {
                            self.line += count_lines(&data[counted..start]);
                            counted = start;
                            bad.push(BadByte {
                                offset: self.offset + start as u64,
                                line: self.line,
                                byte: data[start],
                            });
                            at = start + len.unwrap_or(data.len() - start);
                        }
                    }
                }
            }
        }
        self.line += count_lines(&data[counted..]);
        self.offset += data.len() as u64;
        if !bad.is_empty() {
            let mut queue = self.bad.lock().unwrap_or_else(|e| e.into_inner());
            let room = REMEMBERED.saturating_sub(queue.len());
            queue.extend(bad.into_iter().take(room));
        }
    }
}

fn count_lines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|b| **b == b'\n').count() as u64
}

impl<R: Read> Read for Utf8Watch<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.scan(&buf[..n], n == 0);
        Ok(n)
    }
}

/// The first bad byte noted on or after `line`; those before it are forgotten (their
/// records have been reported).
pub(crate) fn bad_byte_from(bad: &BadBytes, line: u64) -> Option<BadByte> {
    let mut queue = bad.lock().unwrap_or_else(|e| e.into_inner());
    while queue.front().is_some_and(|b| b.line < line) {
        queue.pop_front();
    }
    queue.pop_front()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn watch(bytes: &[u8], chunk: usize) -> Vec<BadByte> {
        let bad = BadBytes::default();
        let mut reader = Utf8Watch::new(bytes, bad.clone());
        let mut buf = vec![0u8; chunk];
        let mut out = Vec::new();
        loop {
            let n = reader.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        assert_eq!(out, bytes);
        let found: Vec<BadByte> = bad.lock().unwrap().iter().copied().collect();
        found
    }

    #[test]
    fn bad_bytes_are_found_at_any_read_size() {
        let input = "é\nok €\n".as_bytes().to_vec();
        let mut input = input;
        input.extend_from_slice(b"caf\xe9\n\xe2\x82\n\xf0");
        let expected = vec![
            BadByte {
                offset: 13,
                line: 3,
                byte: 0xe9,
            },
            BadByte {
                offset: 15,
                line: 4,
                byte: 0xe2,
            },
            BadByte {
                offset: 18,
                line: 5,
                byte: 0xf0,
            },
        ];
        for chunk in 1..=input.len() + 1 {
            assert_eq!(watch(&input, chunk), expected, "read size {chunk}");
        }
    }

    #[test]
    fn bad_bytes_are_taken_by_line() {
        let bad = BadBytes::default();
        bad.lock().unwrap().extend([
            BadByte {
                offset: 3,
                line: 2,
                byte: 0xff,
            },
            BadByte {
                offset: 9,
                line: 4,
                byte: 0xfe,
            },
        ]);
        assert_eq!(bad_byte_from(&bad, 3).map(|b| b.offset), Some(9));
        assert_eq!(bad_byte_from(&bad, 5), None);
    }
}
