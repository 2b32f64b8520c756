//! MNIST's IDX files: small ones made here (raw and gzipped), the loader
//! on them, and one test per kind of damage with the message a user sees.
//! Nothing is downloaded.

use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;
use nn::data;
use nn::Error;

/// The bytes of an IDX file of unsigned bytes with these dimensions.
fn idx(dims: &[u32], values: &[u8]) -> Vec<u8> {
    let mut bytes = vec![0, 0, 8, dims.len() as u8];
    for d in dims {
        bytes.extend_from_slice(&d.to_be_bytes());
    }
    bytes.extend_from_slice(values);
    bytes
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// A fresh, empty folder for one test.
fn folder(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nn-idx-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Three 2 × 2 images (pixel values 0, 51, …) and their labels.
fn images() -> Vec<u8> {
    idx(&[3, 2, 2], &[0, 51, 102, 255, 255, 0, 0, 0, 10, 20, 30, 40])
}
fn labels() -> Vec<u8> {
    idx(&[3], &[7, 0, 9])
}

/// Writes MNIST's four files (unpacked, so that no published checksum
/// applies) into `dir`: the training half three images, the test half two.
fn write_small_mnist(dir: &Path) {
    std::fs::write(dir.join("train-images-idx3-ubyte"), images()).unwrap();
    std::fs::write(dir.join("train-labels-idx1-ubyte"), labels()).unwrap();
    std::fs::write(
        dir.join("t10k-images-idx3-ubyte"),
        idx(&[2, 2, 2], &[1, 2, 3, 4, 5, 6, 7, 8]),
    )
    .unwrap();
    std::fs::write(dir.join("t10k-labels-idx1-ubyte"), idx(&[2], &[1, 2])).unwrap();
}

/// The message of a file error, checking that it names `path`.
fn message(err: Error, path: &Path) -> String {
    match err {
        Error::File {
            path: p, message, ..
        } => {
            assert_eq!(p, path);
            message
        }
        other => panic!("expected a file error, got {other:?}"),
    }
}

fn read_error(name: &str, bytes: &[u8]) -> String {
    let path = folder(name).join(name);
    std::fs::write(&path, bytes).unwrap();
    message(data::read_idx(&path).unwrap_err(), &path)
}

// ---- what works ----

#[test]
fn raw_and_gzipped_files_read_the_same() {
    let dir = folder("same");
    std::fs::write(dir.join("small-images"), images()).unwrap();
    std::fs::write(dir.join("small-images.gz"), gzip(&images())).unwrap();
    let raw = data::read_idx(dir.join("small-images")).unwrap();
    let packed = data::read_idx(dir.join("small-images.gz")).unwrap();
    assert_eq!(raw, packed);
    assert_eq!(raw.dims, vec![3, 2, 2]);
    assert_eq!(raw.values[3], 255);
    assert_eq!(
        data::parse_idx(&gzip(&labels())).unwrap().values,
        vec![7, 0, 9]
    );
}

#[test]
fn mnist_reads_a_folder_of_the_four_files() {
    let dir = folder("mnist");
    write_small_mnist(&dir);
    let m = data::mnist(&dir).unwrap();
    assert_eq!((m.train.x.dim(), m.train.y.dim()), ((3, 4), (3, 1)));
    assert_eq!(m.train.x.row(0).to_vec(), vec![0.0, 0.2, 0.4, 1.0]); // ÷ 255
    assert_eq!(m.train.y.column(0).to_vec(), vec![7.0, 0.0, 9.0]);
    assert_eq!((m.test.len(), m.test.features()), (2, 4));
    assert_eq!(m.test.x[[1, 3]], 8.0 / 255.0);
    assert_eq!(m.train.classes(), Some(10));
}

#[test]
fn a_gzipped_file_of_a_published_name_must_be_the_published_file() {
    // Small files cannot be the published ones: refused by their size...
    let dir = folder("published");
    write_small_mnist(&dir);
    let path = dir.join("train-labels-idx1-ubyte.gz");
    std::fs::write(&path, gzip(&labels())).unwrap();
    let msg = message(data::mnist(&dir).unwrap_err(), &path);
    assert!(
        msg.starts_with(&format!(
            "is {} bytes, but the published",
            gzip(&labels()).len()
        )),
        "{msg}"
    );
    assert!(
        msg.contains("28881 bytes (MNIST) or 29515 bytes (Fashion-MNIST)"),
        "{msg}"
    );

    // ...and one of the published size by its SHA-256 (gzip bytes, zeros after).
    let mut same_size = gzip(&labels());
    same_size.resize(28_881, 0);
    std::fs::write(&path, &same_size).unwrap();
    let msg = message(data::read_idx(&path).unwrap_err(), &path);
    assert!(
        msg.starts_with("has the published size but its SHA-256 is "),
        "{msg}"
    );
    assert!(msg.ends_with("it is damaged; download it again"), "{msg}");
}

#[test]
fn the_gzipped_file_is_preferred_when_both_are_there() {
    let dir = folder("both");
    write_small_mnist(&dir);
    // A broken .gz beside a good raw file: the .gz is the one read.
    let path = dir.join("t10k-images-idx3-ubyte.gz");
    std::fs::write(&path, b"\x1f\x8b not really").unwrap();
    let msg = message(data::mnist(&dir).unwrap_err(), &path);
    assert!(msg.contains("is 13 bytes, but the published"), "{msg}");
}

// ---- missing and mismatched files ----

#[test]
fn a_missing_file_is_named() {
    let dir = folder("missing");
    write_small_mnist(&dir);
    std::fs::remove_file(dir.join("t10k-labels-idx1-ubyte")).unwrap();
    let path = dir.join("t10k-labels-idx1-ubyte.gz");
    let msg = message(data::mnist(&dir).unwrap_err(), &path);
    assert_eq!(
        msg,
        format!(
            "is missing (and so is t10k-labels-idx1-ubyte); download MNIST's four files into \
             {}, gzipped or not",
            dir.display()
        )
    );
    let err = data::mnist(dir.join("nope")).unwrap_err().to_string();
    assert!(err.contains("nope: there is no such folder"), "{err}");
}

#[test]
fn images_and_labels_must_pair_up() {
    let dir = folder("pairs");
    write_small_mnist(&dir);
    let labels_path = dir.join("train-labels-idx1-ubyte");
    std::fs::write(&labels_path, idx(&[2], &[1, 2])).unwrap();
    let msg = message(data::mnist(&dir).unwrap_err(), &labels_path);
    assert!(msg.starts_with("holds 2 labels but "), "{msg}");
    assert!(msg.contains("holds 3 images"), "{msg}");

    std::fs::write(&labels_path, idx(&[3], &[1, 12, 2])).unwrap();
    let msg = message(data::mnist(&dir).unwrap_err(), &labels_path);
    assert_eq!(
        msg,
        "label 1 is 12, but digits are 0 to 9; is this MNIST's label file?"
    );

    // The two files swapped.
    std::fs::write(&labels_path, images()).unwrap();
    let images_path = dir.join("train-images-idx3-ubyte");
    std::fs::write(&images_path, labels()).unwrap();
    let msg = message(data::mnist(&dir).unwrap_err(), &images_path);
    assert!(
        msg.contains("not images (count × rows × columns); is it a label file?"),
        "{msg}"
    );
}

// ---- damaged files ----

#[test]
fn a_truncated_raw_file_says_how_much_is_missing() {
    let mut bytes = images();
    bytes.truncate(bytes.len() - 5);
    assert_eq!(
        read_error("short-images", &bytes),
        "is cut short: its header promises 3 × 2 × 2 = 12 bytes of values, but only 7 \
         follow; download it again"
    );
    assert_eq!(
        read_error("short-header", &images()[..9]),
        "is cut short: it ends before dimension 2 of 3; download it again"
    );
    assert_eq!(
        read_error("empty", b""),
        "is cut short: it ends before its 4-byte magic number; download it again"
    );
}

#[test]
fn a_truncated_or_flipped_gzip_file_is_damaged() {
    let packed = gzip(&images());
    // The end cut off: what the last 4 bytes say is no longer the length.
    let msg = read_error("cut.gz", &packed[..packed.len() - 6]);
    assert!(
        msg.starts_with("is damaged or not an IDX file: its header promises 3 × 2 × 2 = 12 values"),
        "{msg}"
    );

    // Cut in the middle of the compressed data, the trailer kept: the
    // stream ends before the values.
    let mut cut = packed[..12].to_vec();
    cut.extend_from_slice(&packed[packed.len() - 8..]);
    let msg = read_error("middle.gz", &cut);
    assert!(
        msg.starts_with("is cut short") || msg.starts_with("is damaged"),
        "{msg}"
    );

    // A flipped bit in the stored CRC-32: caught when the stream ends.
    let mut flipped = packed.clone();
    let crc = flipped.len() - 8;
    flipped[crc] ^= 1;
    let msg = read_error("crc.gz", &flipped);
    assert!(msg.starts_with("is damaged: unpacking it failed"), "{msg}");

    assert_eq!(
        read_error("tiny.gz", &[0x1f, 0x8b, 8, 0]),
        "is a gzip file of only 4 bytes, too short to hold anything; download it again"
    );
}

#[test]
fn foreign_files_are_not_idx_files() {
    assert_eq!(
        read_error("picture.png", b"\x89PNG\r\n\x1a\n...."),
        "is not an IDX file: it starts with 89 50 4e 47, not 00 00 08 n (n dimensions)"
    );
    let floats = [&[0u8, 0, 0x0d, 1, 0, 0, 0, 1][..], &[0, 0, 0, 0]].concat();
    assert_eq!(
        read_error("floats", &floats),
        "holds values of IDX type 0x0d (32-bit floats); this reader reads unsigned bytes \
         (0x08), the type of MNIST's files"
    );
    let mut extra = labels();
    extra.extend_from_slice(b"\n\n");
    assert_eq!(
        read_error("extra", &extra),
        "has 2 bytes after the 3 = 3 values its header promises; it is not one whole IDX file"
    );
    let mut two = gzip(&labels());
    two.extend_from_slice(&gzip(&labels()));
    let msg = read_error("two-members.gz", &two);
    assert_eq!(
        msg,
        format!(
            "has {} bytes after its gzip stream ends (a second gzip member?); it is not one \
             whole IDX file",
            gzip(&labels()).len()
        )
    );
}

#[test]
fn huge_claims_are_refused_before_allocating() {
    // 4 × 10⁹ images of 28 × 28 in a 16-byte file, raw and gzipped: the
    // product is checked before a single value is read.
    let claim = idx(&[4_000_000_000, 28, 28], &[]);
    let msg = read_error("claim", &claim);
    assert!(
        msg.starts_with("claims 4000000000 × 28 × 28 values, more than the"),
        "{msg}"
    );
    let msg = read_error("claim.gz", &gzip(&claim));
    assert!(
        msg.starts_with("claims 4000000000 × 28 × 28 values"),
        "{msg}"
    );
    // A trailer that agrees with a huge header, over a stream that holds
    // only the header: refused when the stream ends, with no buffer of
    // 2²⁹ bytes allocated in advance.
    let mut bomb = gzip(&idx(&[1 << 29], &[]));
    let n = bomb.len();
    bomb[n - 4..].copy_from_slice(&((1u32 << 29) + 8).to_le_bytes());
    let msg = read_error("bomb.gz", &bomb);
    assert!(
        msg.starts_with("is damaged: unpacking it failed") || msg.starts_with("is cut short"),
        "{msg}"
    );
    // A gzip trailer that promises less than the header does.
    let mut lying = gzip(&idx(&[1000, 28, 28], &[]));
    let n = lying.len();
    lying[n - 4..].copy_from_slice(&100u32.to_le_bytes());
    let msg = read_error("lying.gz", &lying);
    assert_eq!(
        msg,
        "is damaged or not an IDX file: its header promises 1000 × 28 × 28 = 784000 values, \
         784016 bytes unpacked, but the gzip trailer records 100 bytes"
    );
}

#[test]
fn a_missing_file_by_path() {
    let path = folder("nofile").join("gone-idx1-ubyte");
    assert_eq!(
        message(data::read_idx(&path).unwrap_err(), &path),
        "no such file; check the path"
    );
}
