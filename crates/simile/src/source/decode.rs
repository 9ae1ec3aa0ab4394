//! Bytes to text without losing anything: UTF-8 as is, UTF-16 by its byte-order mark, and
//! anything else read as UTF-8 where it is valid and as Windows-1252 (a Latin-1 superset) where
//! it is not. Copyright lines such as `Müller` in Latin-1 survive instead of becoming `�`.
//! Binary content (a NUL byte near the start, as git and grep decide) is refused by the caller.

use serde::{Deserialize, Serialize};

/// How many leading bytes are inspected for a NUL byte to call a file binary (as git does).
pub const BINARY_SNIFF_BYTES: usize = 8000;

/// The encoding a file was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// Valid UTF-8 (a byte-order mark, if any, was dropped).
    Utf8,
    /// UTF-16, little-endian, from its byte-order mark.
    Utf16le,
    /// UTF-16, big-endian, from its byte-order mark.
    Utf16be,
    /// Mostly UTF-8 with some invalid bytes, which were read as Windows-1252 characters.
    Utf8WithLatin1,
}

/// The result of decoding a file's bytes.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// The encoding it was read with.
    pub encoding: Encoding,
    /// Number of bytes that were not valid UTF-8 (0 unless `encoding` is `Utf8WithLatin1`).
    pub invalid_bytes: usize,
}

/// Offset of the first NUL byte among the first [`BINARY_SNIFF_BYTES`], if any. UTF-16 text
/// with a byte-order mark is not binary even though it is full of NULs.
pub fn binary_offset(bytes: &[u8]) -> Option<usize> {
    if utf16_bom(bytes).is_some() {
        return None;
    }
    memchr::memchr(0, &bytes[..bytes.len().min(BINARY_SNIFF_BYTES)])
}

fn utf16_bom(bytes: &[u8]) -> Option<Encoding> {
    match bytes {
        [0xFF, 0xFE, ..] => Some(Encoding::Utf16le),
        [0xFE, 0xFF, ..] => Some(Encoding::Utf16be),
        _ => None,
    }
}

/// Decode bytes to text; never fails and never drops a byte's information.
pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some(encoding) = utf16_bom(bytes) {
        let codec = match encoding {
            Encoding::Utf16le => encoding_rs::UTF_16LE,
            _ => encoding_rs::UTF_16BE,
        };
        let (text, _) = codec.decode_with_bom_removal(bytes);
        return Decoded {
            text: text.into_owned(),
            encoding,
            invalid_bytes: 0,
        };
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Decoded {
            text: text.to_owned(),
            encoding: Encoding::Utf8,
            invalid_bytes: 0,
        },
        Err(_) => decode_mixed(bytes),
    }
}

/// [`decode`], taking the bytes: valid UTF-8 without a byte order mark (nearly every source
/// file) becomes the text as it is, without a copy (copying was a megabyte of fresh memory per
/// megabyte read, touched page by page, when `clones` reads a whole tree).
pub fn decode_owned(bytes: Vec<u8>) -> Decoded {
    if utf16_bom(&bytes).is_some() || bytes.starts_with(b"\xEF\xBB\xBF") {
        return decode(&bytes);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Decoded {
            text,
            encoding: Encoding::Utf8,
            invalid_bytes: 0,
        },
        Err(e) => decode_mixed(e.as_bytes()),
    }
}

/// Valid UTF-8 runs are kept; each invalid byte becomes its Windows-1252 character.
fn decode_mixed(mut bytes: &[u8]) -> Decoded {
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 8);
    let mut invalid = 0;
    while !bytes.is_empty() {
        match std::str::from_utf8(bytes) {
            Ok(rest) => {
                text.push_str(rest);
                break;
            }
            Err(e) => {
                let (valid, after) = bytes.split_at(e.valid_up_to());
                // SAFETY-free: `valid_up_to` guarantees this prefix is UTF-8.
                text.push_str(std::str::from_utf8(valid).unwrap_or_default());
                let bad = e.error_len().unwrap_or(after.len()).max(1);
                for &b in &after[..bad] {
                    text.push(windows_1252(b));
                }
                invalid += bad;
                bytes = &after[bad..];
            }
        }
    }
    Decoded {
        text,
        encoding: Encoding::Utf8WithLatin1,
        invalid_bytes: invalid,
    }
}

fn windows_1252(b: u8) -> char {
    let byte = [b];
    let (decoded, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
    decoded
        .chars()
        .next()
        .unwrap_or(char::REPLACEMENT_CHARACTER)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_owned_bytes_gives_what_decoding_borrowed_ones_gives() {
        let cases: [&[u8]; 6] = [
            b"int x = 1;\n",
            b"",
            "\u{feff}int x;".as_bytes(),
            b"/* (c) M\xfcller */ int \xe9t\xe9 = 1;",
            b"\xff\xfex\x00=\x001\x00",
            "caf\u{e9} \u{20ac}".as_bytes(),
        ];
        for bytes in cases {
            let (owned, borrowed) = (decode_owned(bytes.to_vec()), decode(bytes));
            assert_eq!(owned.text, borrowed.text, "{bytes:?}");
            assert_eq!(owned.encoding, borrowed.encoding, "{bytes:?}");
            assert_eq!(owned.invalid_bytes, borrowed.invalid_bytes, "{bytes:?}");
        }
    }

    #[test]
    fn utf8_passes_through_and_bom_is_dropped() {
        let d = decode("\u{feff}int x;".as_bytes());
        assert_eq!(d.text, "int x;");
        assert_eq!(d.encoding, Encoding::Utf8);
    }

    #[test]
    fn latin1_bytes_are_kept_as_characters() {
        let d = decode(b"/* (c) M\xfcller */ int \xe9t\xe9 = 1; /* \xe2\x82\xac ok */");
        assert_eq!(d.encoding, Encoding::Utf8WithLatin1);
        assert_eq!(d.invalid_bytes, 3);
        assert!(d.text.contains("Müller"));
        assert!(d.text.contains("été"));
        assert!(d.text.contains("€ ok"), "valid UTF-8 runs stay UTF-8");
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "int main() {}\n".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(binary_offset(&bytes), None);
        let d = decode(&bytes);
        assert_eq!(d.encoding, Encoding::Utf16le);
        assert_eq!(d.text, "int main() {}\n");
    }

    #[test]
    fn nul_bytes_mark_binary() {
        assert_eq!(binary_offset(b"ELF\0\x01"), Some(3));
        assert_eq!(binary_offset(b"plain text"), None);
        let late = [vec![b'a'; BINARY_SNIFF_BYTES], vec![0]].concat();
        assert_eq!(
            binary_offset(&late),
            None,
            "only the first 8000 bytes are sniffed"
        );
    }
}
