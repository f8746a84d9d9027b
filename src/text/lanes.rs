//! Eight bytes of text at a time: a `u64` read from the text holds one byte per lane, and
//! additions that never carry from one lane into the next class all eight at once (SWAR).
//! A class is a mask with the top bit (0x80) of each lane in it set. `Shape::of` measures
//! short ASCII words this way, where a loop over the bytes paid a table lookup and a
//! branch per byte and a mispredicted branch at each word's end. (Cue matching read the
//! same way was no faster: docs/decisions.md, stop 26.)

/// Each lane set to `b`.
pub(crate) const fn bytes_of(b: u8) -> u64 {
    b as u64 * 0x0101_0101_0101_0101
}

/// The top bit of every lane.
pub(crate) const TOP_BITS: u64 = bytes_of(0x80);

/// The eight bytes of `bytes` from `at`, padded with zero bytes past its end (zero is
/// ASCII and in no class the callers look for, so a word ends where the text ends).
#[inline(always)]
pub(crate) fn load(bytes: &[u8], at: usize) -> u64 {
    match bytes.get(at..at + 8) {
        Some(eight) => u64::from_le_bytes(eight.try_into().expect("eight bytes")),
        None => {
            let mut eight = [0u8; 8];
            let rest = &bytes[at.min(bytes.len())..];
            eight[..rest.len()].copy_from_slice(rest);
            u64::from_le_bytes(eight)
        }
    }
}

/// The lanes of `x` that are ASCII (below 0x80).
#[inline(always)]
pub(crate) const fn ascii(x: u64) -> u64 {
    !x & TOP_BITS
}

/// The lanes of `x` in `lo..=hi`, for ASCII bounds. The top bits are cleared first; then
/// adding `0x80 - lo` sets a lane's top bit from `lo` up and adding `0x7f - hi` from
/// above `hi`, and neither carries into the next lane. Lanes beyond ASCII are left to
/// the caller (mask with [`ascii`]).
#[inline(always)]
pub(crate) const fn in_range(x: u64, lo: u8, hi: u8) -> u64 {
    let low = x & !TOP_BITS;
    (low + bytes_of(0x80 - lo)) & !(low + bytes_of(0x7f - hi)) & TOP_BITS
}

/// The lanes of `x` equal to the ASCII byte `b`: XOR leaves those zero, and adding 0x7f
/// sets the top bit of every other lane. Lanes beyond ASCII are left to the caller.
#[inline(always)]
pub(crate) const fn equal(x: u64, b: u8) -> u64 {
    !(((x & !TOP_BITS) ^ bytes_of(b)) + bytes_of(0x7f)) & TOP_BITS
}

/// How many lanes of `mask` are set: the top bits, shifted to ones, summed into the top
/// lane by one multiplication (`count_ones` is a dozen instructions on the baseline
/// x86-64 target, which has no popcount instruction).
#[inline(always)]
pub(crate) const fn count(mask: u64) -> usize {
    ((mask >> 7).wrapping_mul(bytes_of(1)) >> 56) as usize
}

/// The first lane of `mask` that is set, or 8 when none is.
#[inline(always)]
pub(crate) const fn first(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
}

/// The lanes before lane `n` (`n` up to 7).
#[inline(always)]
pub(crate) const fn before(n: usize) -> u64 {
    TOP_BITS & ((1u64 << (8 * n)) - 1)
}

/// Whole bytes of `x` in the lanes of `mask`, the other bytes zero.
#[inline(always)]
pub(crate) const fn keep(x: u64, mask: u64) -> u64 {
    x & ((mask >> 7) * 0xff)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `f` on every lane of `x` and collects the answers as a mask.
    fn per_lane(x: u64, f: impl Fn(u8) -> bool) -> u64 {
        x.to_le_bytes()
            .iter()
            .enumerate()
            .filter(|(_, &b)| f(b))
            .fold(0, |m, (i, _)| m | 0x80 << (8 * i))
    }

    proptest::proptest! {
        #[test]
        fn lanes_class_as_each_byte_does(x: u64, lo in 1u8..0x80, width in 0u8..0x40, b in 0u8..0x80) {
            let hi = (lo + width).min(0x7f);
            let ascii_lanes = per_lane(x, |c| c < 0x80);
            proptest::prop_assert_eq!(ascii(x), ascii_lanes);
            proptest::prop_assert_eq!(in_range(x, lo, hi) & ascii_lanes, per_lane(x, |c| (lo..=hi).contains(&c)));
            proptest::prop_assert_eq!(equal(x, b) & ascii_lanes, per_lane(x, |c| c == b));
            proptest::prop_assert_eq!(count(ascii_lanes), x.to_le_bytes().iter().filter(|c| **c < 0x80).count());
            let first_ascii = x.to_le_bytes().iter().position(|c| *c < 0x80).unwrap_or(8);
            proptest::prop_assert_eq!(first(ascii_lanes), first_ascii);
        }
    }

    #[test]
    fn loads_pad_past_the_end_with_zero_bytes() {
        let text = b"abcdefghij";
        assert_eq!(load(text, 0), u64::from_le_bytes(*b"abcdefgh"));
        assert_eq!(load(text, 7), u64::from_le_bytes(*b"hij\0\0\0\0\0"));
        assert_eq!(load(text, 10), 0);
        assert_eq!(
            keep(load(text, 0), before(3)),
            u64::from_le_bytes(*b"abc\0\0\0\0\0")
        );
    }
}
