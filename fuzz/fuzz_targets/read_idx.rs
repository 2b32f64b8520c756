//! Arbitrary bytes as an IDX file, raw or gzipped: parsing must return Ok
//! or Err, never panic, and never allocate more than the bytes justify.
//! What parses holds exactly the values its dimensions promise, and the
//! same array written out again parses back unchanged.

#![no_main]

use libfuzzer_sys::fuzz_target;
use nn::data::parse_idx;

fuzz_target!(|bytes: &[u8]| {
    let Ok(idx) = parse_idx(bytes) else {
        return;
    };
    let count: usize = idx.dims.iter().product();
    assert_eq!(idx.values.len(), count);
    // A raw file's values are its bytes; a gzipped one's fit its trailer.
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        assert_eq!(bytes.len(), 4 + 4 * idx.dims.len() + count);
    }
    let mut again = vec![0, 0, 8, idx.dims.len() as u8];
    for &d in &idx.dims {
        again.extend_from_slice(&(d as u32).to_be_bytes());
    }
    again.extend_from_slice(&idx.values);
    assert_eq!(parse_idx(&again).expect("a written IDX file parses"), idx);
});
