//! The on-disk encoding: segment files (postings), catalog files (file metadata) and the
//! manifest (the commit record). Every file starts with a header naming its kind and format
//! version and ends with a footer; both carry checksums, so a truncated, foreign or bit-flipped
//! file is recognised as such before a single posting is trusted.
//!
//! All integers are little-endian. Checksums are xxh3-64 (32-bit truncations of it inside
//! segment blocks).

pub mod catalog;
pub mod manifest;
pub mod segment;
pub mod varint;

use crate::error::{Corruption, corrupt};
use xxhash_rust::xxh3::xxh3_64;

/// The on-disk format version written by this build, shared by all three kinds of file. Any
/// incompatible change to an encoding below increments it.
pub const FORMAT_VERSION: u32 = 1;

/// Size of the common file header: magic (8), version (4), kind-specific (4), reserved (8),
/// checksum of the first 24 bytes (8).
pub const HEADER_LEN: usize = 32;

/// The header every segment and catalog file starts with.
pub fn header(magic: &[u8; 8], extra: u32) -> [u8; HEADER_LEN] {
    let mut h = [0u8; HEADER_LEN];
    h[..8].copy_from_slice(magic);
    h[8..12].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
    h[12..16].copy_from_slice(&extra.to_le_bytes());
    let sum = xxh3_64(&h[..24]);
    h[24..32].copy_from_slice(&sum.to_le_bytes());
    h
}

/// What a header check found wrong.
#[derive(Debug)]
pub enum HeaderError {
    /// Not our magic: a foreign file.
    Foreign,
    /// Our magic, another version.
    Version(u32),
    /// Our magic and version, damaged.
    Corrupt(Corruption),
}

/// Check a header; returns its kind-specific field.
pub fn check_header(bytes: &[u8], magic: &[u8; 8]) -> Result<u32, HeaderError> {
    if bytes.len() < HEADER_LEN || &bytes[..8] != magic {
        return Err(HeaderError::Foreign);
    }
    let version = read_u32(bytes, 8);
    if version != FORMAT_VERSION {
        return Err(HeaderError::Version(version));
    }
    if read_u64(bytes, 24) != xxh3_64(&bytes[..24]) {
        return Err(HeaderError::Corrupt(Corruption(
            "header checksum mismatch".into(),
        )));
    }
    Ok(read_u32(bytes, 12))
}

/// `u64` at `offset`; the caller has checked the bounds.
#[inline]
pub fn read_u64(bytes: &[u8], offset: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&bytes[offset..offset + 8]);
    u64::from_le_bytes(b)
}

/// `u32` at `offset`; the caller has checked the bounds.
#[inline]
pub fn read_u32(bytes: &[u8], offset: usize) -> u32 {
    let mut b = [0u8; 4];
    b.copy_from_slice(&bytes[offset..offset + 4]);
    u32::from_le_bytes(b)
}

/// The 32-bit block and list checksum.
#[inline]
pub fn checksum32(bytes: &[u8]) -> u32 {
    xxh3_64(bytes) as u32
}

/// A footer of `N` u64 fields, the last two being a checksum of the others and a magic.
pub fn footer<const N: usize>(fields: [u64; N], magic: &[u8; 8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(N * 8);
    for f in &fields[..N - 2] {
        out.extend_from_slice(&f.to_le_bytes());
    }
    let sum = xxh3_64(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    out.extend_from_slice(magic);
    out
}

/// Read and verify a footer of `N` fields at the end of `bytes`.
pub fn check_footer<const N: usize>(bytes: &[u8], magic: &[u8; 8]) -> Result<[u64; N], Corruption> {
    let len = N * 8;
    if bytes.len() < HEADER_LEN + len {
        return corrupt(format!("file too short ({} bytes)", bytes.len()));
    }
    let foot = &bytes[bytes.len() - len..];
    if &foot[len - 8..] != magic {
        return corrupt("footer magic missing (the file is truncated or overwritten)");
    }
    if read_u64(foot, len - 16) != xxh3_64(&foot[..len - 16]) {
        return corrupt("footer checksum mismatch");
    }
    let mut fields = [0u64; N];
    for (i, f) in fields.iter_mut().enumerate().take(N - 2) {
        *f = read_u64(foot, i * 8);
    }
    Ok(fields)
}
