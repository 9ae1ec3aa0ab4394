//! LEB128 variable-length integers: 7 bits per byte, low bits first, high bit set on every
//! byte but the last.
//!
//! Written here rather than taken from a crate (integer-encoding, leb128) because the decoder
//! must work on a borrowed `&[u8]` at an offset and report overruns as an error instead of
//! panicking or going through `io::Read`; that is fifteen lines.

/// Append `value` to `out`.
#[inline]
pub fn put(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Read a value at `*pos`, advancing `*pos`. `None` when the bytes end first or the value does
/// not fit 64 bits: the caller reports that as corruption.
#[inline(always)]
pub fn get(bytes: &[u8], pos: &mut usize) -> Option<u64> {
    // Most values (counts, file id gaps) take one byte.
    let first = *bytes.get(*pos)?;
    if first < 0x80 {
        *pos += 1;
        return Some(u64::from(first));
    }
    get_long(bytes, pos)
}

#[inline(never)]
fn get_long(bytes: &[u8], pos: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    let mut shift = 0u32;
    loop {
        let byte = *bytes.get(*pos)?;
        *pos += 1;
        if shift == 63 && byte > 1 {
            return None;
        }
        value |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(value);
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

/// The position after the `count` values starting at `pos` (each ends with a byte below
/// 0x80), without decoding them; `None` if the bytes end first.
#[inline]
pub fn skip(bytes: &[u8], pos: usize, count: usize) -> Option<usize> {
    if count == 0 {
        return Some(pos);
    }
    let mut seen = 0;
    for (i, &b) in bytes.get(pos..)?.iter().enumerate() {
        seen += usize::from(b < 0x80);
        if seen == count {
            return Some(pos + i + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_edge_values() {
        let values = [
            0,
            1,
            127,
            128,
            300,
            16_383,
            16_384,
            u32::MAX as u64,
            u64::MAX - 1,
            u64::MAX,
        ];
        let mut buf = Vec::new();
        for &v in &values {
            put(&mut buf, v);
        }
        let mut pos = 0;
        for &v in &values {
            assert_eq!(get(&buf, &mut pos), Some(v));
        }
        assert_eq!(pos, buf.len());
        assert_eq!(
            get(&buf, &mut pos),
            None,
            "reading past the end is an error"
        );
    }

    #[test]
    fn skip_steps_over_values() {
        let mut buf = vec![0xaa];
        for v in [5u64, 300, 1 << 40, 0] {
            put(&mut buf, v);
        }
        assert_eq!(skip(&buf, 1, 0), Some(1));
        assert_eq!(skip(&buf, 1, 1), Some(2));
        assert_eq!(skip(&buf, 1, 2), Some(4));
        assert_eq!(skip(&buf, 1, 4), Some(buf.len()));
        assert_eq!(skip(&buf, 1, 5), None);
        assert_eq!(skip(&buf, 99, 1), None);
    }

    #[test]
    fn sizes_are_minimal() {
        for (v, len) in [(0u64, 1), (127, 1), (128, 2), (1 << 35, 6), (u64::MAX, 10)] {
            let mut buf = Vec::new();
            put(&mut buf, v);
            assert_eq!(buf.len(), len, "{v}");
        }
    }

    #[test]
    fn truncated_and_overlong_are_errors() {
        let mut pos = 0;
        assert_eq!(get(&[0x80, 0x80], &mut pos), None);
        let mut pos = 0;
        assert_eq!(get(&[0xff; 11], &mut pos), None);
        // 10th byte may only carry the top bit of a u64
        let mut pos = 0;
        let mut over = vec![0xff; 9];
        over.push(0x02);
        assert_eq!(get(&over, &mut pos), None);
    }
}
