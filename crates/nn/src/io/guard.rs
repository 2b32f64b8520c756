//! The first look at a model file: believe nothing the header says until it
//! has been checked against what is really there.
//!
//! A safetensors file is laid out as
//!
//! ```text
//! [ N: u64, little-endian ][ N bytes of JSON header ][ D bytes of tensor data ]
//! ```
//!
//! and the header says, for every tensor, which byte range `[begin, end)` of
//! the data it occupies. A damaged or hostile file can claim anything: a
//! header of 2⁶⁴ − 1 bytes, a tensor ending at byte 2⁶³. A reader that
//! allocated or added what the header claims would run out of memory or
//! overflow. So before anything else, [`check`] makes sure that
//!
//! * the 8-byte size field is there and N fits in what follows it,
//! * the header is a JSON object,
//! * every tensor's byte range lies inside the D bytes that exist, and its
//!   shape and dtype fill exactly that range.
//!
//! Everything after this works on numbers bounded by the file's real size.

use std::collections::BTreeMap;

use safetensors::Dtype;
use serde::Deserialize;
use serde_json::Value;

use super::info::shown;

/// The largest header read: 16 MiB describes some 200 000 tensors, far more
/// than a network of this crate has. Parsing JSON costs a few times its
/// size in memory, so this bounds what a hostile header can cost.
pub(crate) const MAX_HEADER_BYTES: u64 = 16 << 20;

/// A tensor's header entry: what its elements are, how many, and where
/// its bytes lie in the data.
#[derive(Deserialize)]
struct Entry {
    dtype: Dtype,
    shape: Vec<u64>,
    data_offsets: (u64, u64),
}

/// Checks the framing of a safetensors file (see the module docs).
/// The error is a sentence saying what is wrong and what to do.
pub(crate) fn check(bytes: &[u8]) -> Result<(), String> {
    let len = bytes.len() as u64;
    if len == 0 {
        return Err(
            "the file is empty (0 bytes), so it holds no model; save the network again with \
             net.save(path, &info)"
                .into(),
        );
    }
    let Some(size_field) = bytes.get(..8) else {
        return Err(format!(
            "the file has only {}, fewer than the 8 that give a safetensors header's size: it \
             is truncated or not a model file; save the network again",
            byte_count(len)
        ));
    };
    let n = u64::from_le_bytes(size_field.try_into().expect("8 bytes"));
    if n > len - 8 {
        return Err(format!(
            "the header claims to be {n} bytes long but only {} follow its size field: the \
             file is truncated, or it is not a safetensors file; save the network again",
            byte_count(len - 8)
        ));
    }
    if n > MAX_HEADER_BYTES {
        return Err(format!(
            "the header claims {n} bytes, more than the {MAX_HEADER_BYTES} any model of this \
             crate needs; this is not a model file of nn, or it is damaged"
        ));
    }
    // n ≤ len − 8 now, so these conversions and the slice are in bounds.
    let header = &bytes[8..8 + n as usize];
    let data_len = len - 8 - n;
    if header.first() != Some(&b'{') {
        return Err(
            "this is not a safetensors file: its header does not start with '{'; give the path \
             of a file written by net.save or by safetensors' save_file"
                .into(),
        );
    }
    let header = std::str::from_utf8(header).map_err(|e| {
        format!(
            "the header is not UTF-8 text ({e}): the file is damaged or not a safetensors file; \
             save the network again"
        )
    })?;
    let entries: BTreeMap<String, Value> = serde_json::from_str(header).map_err(|e| {
        format!(
            "the header is not a JSON object of tensors ({e}): the file is damaged or not a \
             safetensors file; save the network again"
        )
    })?;
    for (name, entry) in entries {
        if name == "__metadata__" {
            continue;
        }
        // A hostile name can be megabytes long: messages show its start.
        let name = if name.len() > 60 { shown(&name) } else { name };
        let Entry {
            dtype,
            shape,
            data_offsets: (begin, end),
        } = Entry::deserialize(entry).map_err(|e| {
            format!(
                "tensor {name}'s header entry is not {{\"dtype\", \"shape\", \"data_offsets\"}} \
                 ({e}); the file is damaged, save the network again"
            )
        })?;
        if begin > end || end > data_len {
            return Err(format!(
                "tensor {name} claims bytes {begin}..{end} of the data, but the file has only \
                 {} of data: the file is truncated or damaged; save the network again",
                byte_count(data_len)
            ));
        }
        // Elements × bits per element, in u128 so that no shape can overflow.
        let bits = shape.iter().try_fold(dtype.bitsize() as u128, |n, &d| {
            n.checked_mul(u128::from(d))
        });
        if bits != Some(8 * u128::from(end - begin)) {
            let shape = if shape.len() > 8 {
                format!("a {}-dimensional shape", shape.len())
            } else {
                format!("shape {shape:?}")
            };
            return Err(format!(
                "tensor {name} has {shape} of {dtype}, which does not fill its {} bytes: the \
                 file is damaged; save the network again",
                end - begin
            ));
        }
    }
    Ok(())
}

/// "1 byte", "8 bytes".
fn byte_count(n: u64) -> String {
    if n == 1 {
        "1 byte".into()
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file with this header and `data` bytes of tensor data.
    fn file(header: &str, data: usize) -> Vec<u8> {
        let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
        bytes.extend(header.as_bytes());
        bytes.resize(bytes.len() + data, 0);
        bytes
    }

    #[test]
    fn a_header_larger_than_the_file_is_refused_without_allocating() {
        let mut bytes = u64::MAX.to_le_bytes().to_vec();
        bytes.extend(b"{}");
        let err = check(&bytes).unwrap_err();
        assert!(
            err.contains(&format!("claims to be {} bytes", u64::MAX)),
            "{err}"
        );
    }

    #[test]
    fn offsets_past_the_data_are_refused() {
        let h = r#"{"w":{"dtype":"U8","shape":[18446744073709551615],"data_offsets":[0,18446744073709551615]}}"#;
        let err = check(&file(h, 4)).unwrap_err();
        assert!(
            err.contains("tensor w claims bytes 0..18446744073709551615"),
            "{err}"
        );
        assert!(err.contains("only 4 bytes of data"), "{err}");
    }

    #[test]
    fn a_sound_frame_passes() {
        let h =
            r#"{"__metadata__":{"a":"b"},"w":{"dtype":"F64","shape":[1,1],"data_offsets":[0,8]}}"#;
        assert_eq!(check(&file(h, 8)), Ok(()));
    }
}
