//! Windows-1252 (and so Latin-1) decoded to UTF-8 as a feed streams in.
//!
//! Written here rather than taken from `encoding_rs`: one single-byte table is forty lines,
//! and `encoding_rs` costs about 40 s of compile time at the dependencies' opt-level 2
//! (measured on the project's two-core machine).

use std::io::{self, Read};

/// Windows-1252's characters for bytes 0x80 to 0x9F, as the WHATWG Encoding Standard maps
/// them (the five unassigned bytes map to the C1 controls of the same number); every other
/// byte is the Unicode code point of the same number, as in Latin-1.
const HIGH: [char; 32] = [
    '\u{20ac}', '\u{0081}', '\u{201a}', '\u{0192}', '\u{201e}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02c6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008d}', '\u{017d}', '\u{008f}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02dc}', '\u{2122}', '\u{0161}', '\u{203a}', '\u{0153}', '\u{009d}', '\u{017e}', '\u{0178}',
];

/// The character Windows-1252 gives `byte`.
pub(crate) fn windows_1252(byte: u8) -> char {
    match byte {
        0x80..=0x9f => HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

/// Appends the UTF-8 of Windows-1252 `bytes` to `out`.
pub(crate) fn decode_windows_1252(bytes: &[u8], out: &mut Vec<u8>) {
    for &byte in bytes {
        if byte.is_ascii() {
            out.push(byte);
        } else {
            let mut utf8 = [0u8; 4];
            out.extend_from_slice(windows_1252(byte).encode_utf8(&mut utf8).as_bytes());
        }
    }
}

/// A reader giving the UTF-8 of a Windows-1252 stream.
pub(crate) struct Windows1252Reader<R> {
    inner: R,
    raw: Vec<u8>,
    decoded: Vec<u8>,
    /// How much of `decoded` has been handed out.
    given: usize,
}

impl<R: Read> Windows1252Reader<R> {
    /// Decodes `inner`.
    pub fn new(inner: R) -> Self {
        Windows1252Reader {
            inner,
            raw: vec![0; 1 << 14],
            decoded: Vec::with_capacity(1 << 15),
            given: 0,
        }
    }
}

impl<R: Read> Read for Windows1252Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.given == self.decoded.len() {
            let n = self.inner.read(&mut self.raw)?;
            self.decoded.clear();
            self.given = 0;
            decode_windows_1252(&self.raw[..n], &mut self.decoded);
        }
        let n = buf.len().min(self.decoded.len() - self.given);
        buf[..n].copy_from_slice(&self.decoded[self.given..self.given + n]);
        self.given += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_and_windows_1252_bytes_become_their_characters() {
        let raw = b"caf\xe9 \x93quoted\x94 \x80 \x9f \x81 \xff\n";
        let mut reader = Windows1252Reader::new(&raw[..]);
        let mut text = String::new();
        // Small reads: characters are never cut between two of them.
        let mut buf = [0u8; 3];
        let mut bytes = Vec::new();
        loop {
            let n = reader.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            bytes.extend_from_slice(&buf[..n]);
        }
        text.push_str(std::str::from_utf8(&bytes).unwrap());
        assert_eq!(text, "café “quoted” € Ÿ \u{81} ÿ\n");
        // Every byte decodes to one character.
        let all: Vec<u8> = (0..=255).collect();
        let mut out = Vec::new();
        decode_windows_1252(&all, &mut out);
        assert_eq!(String::from_utf8(out).unwrap().chars().count(), 256);
    }
}
