//! The model file's envelope: a magic header, the format version, the payload length, the
//! payload and a CRC-32 of the payload. What the payload holds is versioned by
//! `FORMAT_VERSION`, so a newer file is refused with a clear message instead of being
//! misread.
//!
//! Layout (little-endian): `CHAFFMDL` | version u32 | payload length u64 | payload | CRC-32.
//!
//! The checksum guards against damage (a cut download, a flipped bit), not tampering: CRC-32
//! catches every error of one byte and every burst of up to 32 bits, and others but for
//! one in four billion. Formats up to 4 carried a SHA-256, which took 10 of the 13 ms that
//! loading the built-in model took (docs/decisions.md, "Model checksum").

use crate::error::{Error, Result};

/// First bytes of every chaff model file.
pub const MAGIC: &[u8; 8] = b"CHAFFMDL";

/// The payload format this build writes and reads. The cue table ([`crate::text::cues`]) is part
/// of it: a model's weights sit at the hashed indices of the cues it was trained with.
/// 2: the slash_credit cue added. 3: neighbour features (a field of the feature settings).
/// 4: the video_placeholder and disclaimer cues added; credit_tail and gallery_words
/// widened. 5: five context features (a caption between alike paragraphs, text recurring
/// within the article), the label prior shift, and a CRC-32 in place of the SHA-256.
/// 6: cues matched by hand instead of by a regex DFA (src/text/cues/); a few edge cases
/// differ, so the features differ.
pub const FORMAT_VERSION: u32 = 6;

const HEADER_LEN: usize = 8 + 4 + 8;
const CHECKSUM_LEN: usize = 4;

fn checksum(payload: &[u8]) -> [u8; CHECKSUM_LEN] {
    crc32fast::hash(payload).to_le_bytes()
}

/// Wraps a payload in the envelope.
pub fn seal(payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len() + CHECKSUM_LEN);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(payload);
    out.extend_from_slice(&checksum(payload));
    out
}

/// Checks the envelope of `bytes` (read from `name`) and returns the payload.
pub fn open<'a>(bytes: &'a [u8], name: &str) -> Result<&'a [u8]> {
    let refuse = |message: String| Error::Model {
        path: name.to_string(),
        message,
    };
    if bytes.is_empty() {
        return Err(refuse("the model file is empty".into()));
    }
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(refuse(format!(
            "not a chaff model file (it starts with {:?}, a model starts with {:?})",
            String::from_utf8_lossy(&bytes[..bytes.len().min(8)]),
            String::from_utf8_lossy(MAGIC)
        )));
    }
    if bytes.len() < HEADER_LEN {
        return Err(refuse(
            "the model file is truncated inside its header".into(),
        ));
    }
    let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    if version > FORMAT_VERSION {
        return Err(refuse(format!(
            "model format version {version} is newer than this chaff reads ({FORMAT_VERSION}); \
             upgrade chaff or retrain the model with this version"
        )));
    }
    if version < FORMAT_VERSION {
        return Err(refuse(format!(
            "model format version {version} is older than this chaff reads ({FORMAT_VERSION}); \
             retrain the model with this version"
        )));
    }
    let length = u64::from_le_bytes(bytes[12..20].try_into().expect("8 bytes"));
    let expected = (HEADER_LEN as u64)
        .checked_add(length)
        .and_then(|n| n.checked_add(CHECKSUM_LEN as u64));
    match expected {
        Some(n) if n == bytes.len() as u64 => {}
        Some(n) if n > bytes.len() as u64 => {
            return Err(refuse(format!(
                "the model file is truncated: {} bytes, the header promises {n}",
                bytes.len()
            )))
        }
        _ => {
            return Err(refuse(format!(
                "the model file has {} bytes, its header promises {}",
                bytes.len(),
                expected.map_or("more than fits".into(), |n| n.to_string())
            )))
        }
    }
    let payload = &bytes[HEADER_LEN..bytes.len() - CHECKSUM_LEN];
    if checksum(payload) != bytes[bytes.len() - CHECKSUM_LEN..] {
        return Err(refuse(
            "the model file is corrupt: its checksum does not match its contents".into(),
        ));
    }
    Ok(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_payload_opens() {
        let sealed = seal(b"hello");
        assert_eq!(open(&sealed, "m").unwrap(), b"hello");
    }

    #[test]
    fn every_single_byte_change_is_refused() {
        let sealed = seal(b"some model payload");
        for i in 0..sealed.len() {
            for change in 1..=255u8 {
                let mut bad = sealed.clone();
                bad[i] ^= change;
                assert!(open(&bad, "m").is_err(), "byte {i} ^ {change:#x} accepted");
            }
        }
    }

    #[test]
    fn damage_anywhere_in_the_built_in_model_is_refused() {
        let model = crate::model::BUILTIN;
        assert!(open(model, "m").is_ok());
        // 997 positions spread over the whole file, weights included, each changed three
        // ways; and a run of eight bytes zeroed, as a bad sector would.
        for k in 0..997usize {
            let i = k * (model.len() - 1) / 996;
            for change in [0x01u8, 0x80, 0xff] {
                let mut bad = model.to_vec();
                bad[i] ^= change;
                assert!(open(&bad, "m").is_err(), "byte {i} ^ {change:#x} accepted");
            }
        }
        let mut zeroed = model.to_vec();
        let middle = zeroed.len() / 2;
        zeroed[middle..middle + 8].fill(0);
        assert!(open(&zeroed, "m").is_err());
    }

    #[test]
    fn truncation_empty_foreign_and_newer_are_refused_with_reasons() {
        let sealed = seal(b"payload");
        let err = |b: &[u8]| open(b, "m.chaff").unwrap_err().to_string();
        assert!(err(&sealed[..sealed.len() - 1]).contains("truncated"));
        assert!(err(&sealed[..10]).contains("truncated"));
        assert!(err(b"").contains("empty"));
        assert!(err(b"PK\x03\x04zipfile").contains("not a chaff model"));
        let mut newer = sealed.clone();
        newer[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
        assert!(err(&newer).contains("newer"));
        let mut older = sealed.clone();
        older[8..12].copy_from_slice(&(FORMAT_VERSION - 1).to_le_bytes());
        assert!(err(&older).contains("older"));
        let mut longer = sealed.clone();
        longer.push(0);
        assert!(err(&longer).contains("promises"));
    }
}
