//! MNIST, for those who download it: the IDX files, read with every size
//! checked against the file before anything is allocated.
//!
//! MNIST (LeCun, Cortes and Burges) is 70 000 handwritten digits of
//! 28 × 28 grey pixels in four files, usually gzipped:
//!
//! | file | holds |
//! | --- | --- |
//! | `train-images-idx3-ubyte.gz` | 60 000 × 28 × 28 pixels, 0 (paper) to 255 (ink) |
//! | `train-labels-idx1-ubyte.gz` | 60 000 labels 0–9 |
//! | `t10k-images-idx3-ubyte.gz` | 10 000 × 28 × 28 pixels |
//! | `t10k-labels-idx1-ubyte.gz` | 10 000 labels |
//!
//! Nothing here downloads anything: fetch the four files yourself (for
//! instance from <https://storage.googleapis.com/cvdf-datasets/mnist/>,
//! the mirror TensorFlow Datasets uses) into one folder and call
//! [`mnist`]. Fashion-MNIST's files have the same names and format and load
//! the same way.
//!
//! An IDX file is a header and then the values, row-major:
//!
//! ```text
//! 0x00 0x00  type  n        magic: two zero bytes, the value type (0x08 = unsigned byte), n dimensions
//! d₁ … dₙ                  each dimension as a 32-bit big-endian number
//! d₁ · … · dₙ values        here one byte each
//! ```
//!
//! **Checks.** A gzipped file (one that starts with the gzip bytes 1f 8b)
//! named like one of the four published ones must be that file: its size
//! and SHA-256 are compared with those TensorFlow Datasets publishes for
//! MNIST and for Fashion-MNIST (`tensorflow_datasets/url_checksums/mnist.txt`
//! and `fashion_mnist.txt` in github.com/tensorflow/datasets). No checksums
//! are published for the unpacked files; those, and files of other names,
//! are checked by their structure: the magic number, the dimensions
//! against the file's real length (for a gzipped file, the unpacked length
//! its trailer records) before the values are read, no bytes after the
//! values, and for [`mnist`] matching counts and labels 0–9.

use std::io::Read;
use std::path::{Path, PathBuf};

use flate2::bufread::GzDecoder;
use ndarray::Array2;
use sha2::{Digest, Sha256};

use super::{Dataset, MAX_VALUES};
use crate::error::{Error, Result};

/// An array read from an IDX file: its dimensions and its values, one
/// unsigned byte each, in row-major order (the last dimension varies
/// fastest).
///
/// ```
/// let idx = nn::data::parse_idx(&[0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6])?;
/// assert_eq!(idx.dims, vec![2, 3]);
/// assert_eq!(idx.values, vec![1, 2, 3, 4, 5, 6]);
/// # Ok::<(), nn::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Idx {
    /// The size of each dimension, from the header.
    pub dims: Vec<usize>,
    /// `dims.iter().product()` values.
    pub values: Vec<u8>,
}

/// MNIST's two halves, inputs scaled to [0, 1].
#[derive(Debug, Clone, PartialEq)]
pub struct Mnist {
    /// 60 000 rows of 784 pixels (28 × 28, row by row) ÷ 255, labels 0–9.
    pub train: Dataset,
    /// 10 000 rows, the same way.
    pub test: Dataset,
}

/// The four files, without `.gz`: training images and labels, then test.
const NAMES: [&str; 4] = [
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
];

/// A published gzipped file: its name, size in bytes and SHA-256.
struct Published {
    set: &'static str,
    name: &'static str,
    bytes: u64,
    sha256: &'static str,
}

/// From TensorFlow Datasets' `url_checksums/mnist.txt` and
/// `url_checksums/fashion_mnist.txt`.
const PUBLISHED: [Published; 8] = [
    Published {
        set: "MNIST",
        name: "train-images-idx3-ubyte.gz",
        bytes: 9_912_422,
        sha256: "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    },
    Published {
        set: "MNIST",
        name: "train-labels-idx1-ubyte.gz",
        bytes: 28_881,
        sha256: "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    },
    Published {
        set: "MNIST",
        name: "t10k-images-idx3-ubyte.gz",
        bytes: 1_648_877,
        sha256: "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    },
    Published {
        set: "MNIST",
        name: "t10k-labels-idx1-ubyte.gz",
        bytes: 4_542,
        sha256: "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
    },
    Published {
        set: "Fashion-MNIST",
        name: "train-images-idx3-ubyte.gz",
        bytes: 26_421_880,
        sha256: "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
    },
    Published {
        set: "Fashion-MNIST",
        name: "train-labels-idx1-ubyte.gz",
        bytes: 29_515,
        sha256: "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
    },
    Published {
        set: "Fashion-MNIST",
        name: "t10k-images-idx3-ubyte.gz",
        bytes: 4_422_102,
        sha256: "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
    },
    Published {
        set: "Fashion-MNIST",
        name: "t10k-labels-idx1-ubyte.gz",
        bytes: 5_148,
        sha256: "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
    },
];

/// The largest file read: the values of the largest matrix this crate
/// makes, plus room for a header.
const MAX_FILE: u64 = MAX_VALUES as u64 + 1024;

/// Reads MNIST from the folder `dir` holding its four files, each gzipped
/// (`train-images-idx3-ubyte.gz`) or not (`train-images-idx3-ubyte`); when
/// both are there the gzipped one is read, since it can be checked against
/// its published SHA-256 (see the [module](crate::data) docs).
///
/// Each image becomes one row of `rows · columns` pixels, row by row,
/// divided by 255; each label a row of y. Any problem comes back as one
/// [`Error::File`] naming the file and what is wrong with it: missing,
/// cut short, not an IDX file, not the published file, or images and
/// labels that do not pair up.
///
/// ```
/// let err = nn::data::mnist("no-such-folder").unwrap_err();
/// assert!(err.to_string().contains("no-such-folder: there is no such folder"));
/// ```
///
/// ```no_run
/// let mnist = nn::data::mnist("data/mnist")?;
/// assert_eq!((mnist.train.len(), mnist.test.len()), (60_000, 10_000));
/// assert_eq!(mnist.train.features(), 784);
/// # Ok::<(), nn::Error>(())
/// ```
pub fn mnist(dir: impl AsRef<Path>) -> Result<Mnist> {
    let dir = dir.as_ref();
    if !dir.is_dir() {
        return Err(Error::file(
            dir,
            "there is no such folder; give the folder you downloaded MNIST's four files into \
             (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, \
             t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz)",
        ));
    }
    let [train_x, train_y, test_x, test_y] = NAMES.map(|name| find(dir, name));
    Ok(Mnist {
        train: images_and_labels(&train_x?, &train_y?)?,
        test: images_and_labels(&test_x?, &test_y?)?,
    })
}

/// `dir/name.gz` if it exists, else `dir/name` if that does.
fn find(dir: &Path, name: &str) -> Result<PathBuf> {
    let gzipped = dir.join(format!("{name}.gz"));
    let plain = dir.join(name);
    if gzipped.is_file() {
        Ok(gzipped)
    } else if plain.is_file() {
        Ok(plain)
    } else {
        Err(Error::file(
            &gzipped,
            format!(
                "is missing (and so is {name}); download MNIST's four files into {}, \
                 gzipped or not",
                dir.display()
            ),
        ))
    }
}

/// One half of MNIST: an image file and its label file, paired row by row.
fn images_and_labels(images: &Path, labels: &Path) -> Result<Dataset> {
    let fail = |path: &Path, message: String| Error::file(path, message);
    let x = read_idx(images)?;
    let y = read_idx(labels)?;
    let &[n, rows, columns] = x.dims.as_slice() else {
        return Err(fail(
            images,
            format!(
                "holds an array of {} dimension(s), not images (count × rows × columns); \
                 is it a label file?",
                x.dims.len()
            ),
        ));
    };
    let &[labelled] = y.dims.as_slice() else {
        return Err(fail(
            labels,
            format!(
                "holds an array of {} dimensions, not one label per image; is it an image file?",
                y.dims.len()
            ),
        ));
    };
    if n == 0 || rows == 0 || columns == 0 {
        return Err(fail(
            images,
            format!("holds {n} images of {rows} × {columns} pixels; there is nothing to learn"),
        ));
    }
    if labelled != n {
        return Err(fail(
            labels,
            format!(
                "holds {labelled} labels but {} holds {n} images; give the label file that \
                 belongs to those images",
                images.display()
            ),
        ));
    }
    if let Some((i, &label)) = y.values.iter().enumerate().find(|(_, &l)| l > 9) {
        return Err(fail(
            labels,
            format!("label {i} is {label}, but digits are 0 to 9; is this MNIST's label file?"),
        ));
    }
    let pixels = rows * columns;
    let x = Array2::from_shape_vec((n, pixels), x.values)
        .expect("read_idx checked the values' count")
        .mapv(|v| f64::from(v) / 255.0);
    let y = Array2::from_shape_vec((n, 1), y.values.into_iter().map(f64::from).collect())
        .expect("one label per image");
    Ok(Dataset { x, y })
}

/// Reads one IDX file of unsigned bytes, gzipped or not (told apart by its
/// first two bytes, not its name).
///
/// A gzipped file with one of MNIST's published names must have the
/// published size and SHA-256 (see the [module](crate::data) docs);
/// every file must be a whole IDX file, as [`parse_idx`] checks. Errors are
/// [`Error::File`], naming the file.
///
/// ```
/// let path = std::env::temp_dir().join("nn-doc-read-idx-labels-idx1-ubyte");
/// std::fs::write(&path, [0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1])?;
/// assert_eq!(nn::data::read_idx(&path)?.values, vec![7, 2, 1]);
///
/// std::fs::write(&path, [0, 0, 8, 1, 0, 0, 0, 3, 7, 2])?;    // a byte short
/// let err = nn::data::read_idx(&path).unwrap_err().to_string();
/// assert!(err.contains("is cut short"), "{err}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_idx(path: impl AsRef<Path>) -> Result<Idx> {
    let path = path.as_ref();
    let fail = |message: String| Error::file(path, message);
    let size = std::fs::metadata(path)
        .map_err(|e| Error::io(path, cannot_read(&e), e))?
        .len();
    if size > MAX_FILE {
        return Err(fail(format!(
            "is {size} bytes, more than the {MAX_FILE} of the largest IDX file this crate reads"
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, cannot_read(&e), e))?;
    if is_gzip(&bytes) {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        check_published(name.as_deref().unwrap_or(""), &bytes).map_err(fail)?;
    }
    parse(&bytes).map_err(fail)
}

/// Parses the bytes of an IDX file of unsigned bytes, gzipped or not.
///
/// Checks, before allocating anything for the values: the magic number
/// (`0x00 0x00 0x08 n`, n ≥ 1 dimensions), that the dimensions' product
/// fits in memory, and that the file holds exactly that many values. For a
/// gzip stream, that is the unpacked length its trailer records; the
/// values are then unpacked into a buffer that grows as they arrive, so a
/// lying trailer costs no more memory than the data that really follows,
/// and the stream's own checksum is checked at its end. Errors are
/// [`Error::Data`].
///
/// ```
/// use nn::data::parse_idx;
///
/// let err = parse_idx(b"P5\n28 28\n255\n").unwrap_err().to_string();
/// assert!(err.contains("not an IDX file"), "{err}");
/// let err = parse_idx(&[0, 0, 8, 1, 0, 0, 0, 2, 5, 6, 7]).unwrap_err().to_string();
/// assert!(err.contains("1 byte after"), "{err}");
/// ```
pub fn parse_idx(bytes: &[u8]) -> Result<Idx> {
    parse(bytes).map_err(Error::Data)
}

/// The gzip magic number.
fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

/// [`parse_idx`], with the message alone as the error.
fn parse(bytes: &[u8]) -> std::result::Result<Idx, String> {
    if !is_gzip(bytes) {
        let mut reader = bytes;
        let dims = read_header(&mut reader)?;
        let count = value_count(&dims)?;
        return match reader.len().cmp(&count) {
            std::cmp::Ordering::Less => Err(format!(
                "is cut short: its header promises {} = {count} bytes of values, but only {} \
                 follow; download it again",
                product_text(&dims),
                reader.len()
            )),
            std::cmp::Ordering::Greater => Err(format!(
                "has {} byte{} after the {} = {count} values its header promises; it is not \
                 one whole IDX file",
                reader.len() - count,
                if reader.len() - count == 1 { "" } else { "s" },
                product_text(&dims)
            )),
            std::cmp::Ordering::Equal => Ok(Idx {
                dims,
                values: reader.to_vec(),
            }),
        };
    }

    // The last 4 bytes of a gzip stream are its unpacked length mod 2³².
    let Some(trailer) = bytes.len().checked_sub(4).filter(|&at| at >= 14) else {
        return Err(format!(
            "is a gzip file of only {} bytes, too short to hold anything; download it again",
            bytes.len()
        ));
    };
    let unpacked = u32::from_le_bytes(bytes[trailer..].try_into().expect("4 bytes"));
    let mut reader = GzDecoder::new(bytes);
    let dims = read_header(&mut reader)?;
    let count = value_count(&dims)?;
    let header = 4 + 4 * dims.len();
    if (header + count) as u64 % (1 << 32) != u64::from(unpacked) {
        return Err(format!(
            "is damaged or not an IDX file: its header promises {} = {count} values, {} bytes \
             unpacked, but the gzip trailer records {unpacked} bytes",
            product_text(&dims),
            header + count
        ));
    }
    // Grown as the values arrive, not allocated up front: the trailer is
    // only a claim, and a few bytes of gzip could make it.
    let mut values = Vec::new();
    (&mut reader)
        .take(count as u64)
        .read_to_end(&mut values)
        .map_err(gzip_error)?;
    if values.len() < count {
        return Err(format!(
            "is cut short: the gzip stream ends after {} of the {} = {count} values its header \
             promises; download it again",
            values.len(),
            product_text(&dims)
        ));
    }
    // Reading on to the end makes the decoder check the stream's CRC-32.
    let mut rest = Vec::new();
    (&mut reader)
        .take(1)
        .read_to_end(&mut rest)
        .map_err(gzip_error)?;
    if !rest.is_empty() {
        return Err(format!(
            "unpacks to more than the {} = {count} values its header promises; it is not one \
             whole IDX file",
            product_text(&dims)
        ));
    }
    let after = reader.into_inner().len();
    if after > 0 {
        return Err(format!(
            "has {after} byte{} after its gzip stream ends (a second gzip member?); it is not \
             one whole IDX file",
            if after == 1 { "" } else { "s" }
        ));
    }
    Ok(Idx { dims, values })
}

/// Reads the magic number and the dimensions.
fn read_header(reader: &mut impl Read) -> std::result::Result<Vec<usize>, String> {
    let mut magic = [0u8; 4];
    read_fully(reader, &mut magic, "its 4-byte magic number")?;
    if magic[..2] != [0, 0] || magic[3] == 0 {
        return Err(format!(
            "is not an IDX file: it starts with {:02x} {:02x} {:02x} {:02x}, not 00 00 08 n \
             (n dimensions)",
            magic[0], magic[1], magic[2], magic[3]
        ));
    }
    if magic[2] != 0x08 {
        return Err(format!(
            "holds values of IDX type {:#04x} ({}); this reader reads unsigned bytes (0x08), \
             the type of MNIST's files",
            magic[2],
            match magic[2] {
                0x09 => "signed bytes",
                0x0b => "16-bit integers",
                0x0c => "32-bit integers",
                0x0d => "32-bit floats",
                0x0e => "64-bit floats",
                _ => "not a type IDX defines",
            }
        ));
    }
    let mut dims = Vec::with_capacity(usize::from(magic[3]));
    for d in 0..magic[3] {
        let mut size = [0u8; 4];
        read_fully(
            reader,
            &mut size,
            &format!("dimension {} of {}", d + 1, magic[3]),
        )?;
        dims.push(u32::from_be_bytes(size) as usize);
    }
    Ok(dims)
}

/// `read_exact`, with a message that says which part of the header is missing.
fn read_fully(
    reader: &mut impl Read,
    buffer: &mut [u8],
    part: &str,
) -> std::result::Result<(), String> {
    reader.read_exact(buffer).map_err(|e| {
        if e.kind() == std::io::ErrorKind::UnexpectedEof {
            format!("is cut short: it ends before {part}; download it again")
        } else {
            gzip_error(e)
        }
    })
}

/// The number of values the dimensions describe, if this crate can hold them.
fn value_count(dims: &[usize]) -> std::result::Result<usize, String> {
    dims.iter()
        .try_fold(1usize, |n, &d| n.checked_mul(d))
        .filter(|&n| n <= MAX_VALUES)
        .ok_or_else(|| {
            format!(
                "claims {} values, more than the {MAX_VALUES} this crate holds at once; \
                 it is damaged or not an IDX file",
                product_text(dims)
            )
        })
}

/// `60000 × 28 × 28`.
fn product_text(dims: &[usize]) -> String {
    let parts: Vec<String> = dims.iter().map(usize::to_string).collect();
    parts.join(" × ")
}

/// A failure while unpacking: a stream cut short, or damaged.
fn gzip_error(e: std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::UnexpectedEof {
        "is cut short: the gzip stream ends before the values do; download it again".into()
    } else {
        format!("is damaged: unpacking it failed ({e}); download it again")
    }
}

/// Checks a gzipped file that has one of the published names against the
/// published sizes and SHA-256s. Files of other names pass.
fn check_published(name: &str, bytes: &[u8]) -> std::result::Result<(), String> {
    let known: Vec<&Published> = PUBLISHED.iter().filter(|p| p.name == name).collect();
    if known.is_empty() {
        return Ok(());
    }
    let sizes: Vec<String> = known
        .iter()
        .map(|p| format!("{} bytes ({})", p.bytes, p.set))
        .collect();
    let size = bytes.len() as u64;
    if known.iter().all(|p| p.bytes != size) {
        return Err(format!(
            "is {size} bytes, but the published {name} is {}: it was cut short or is another \
             file; download it again (or rename a file of your own)",
            sizes.join(" or ")
        ));
    }
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    if known.iter().any(|p| p.bytes == size && p.sha256 == hex) {
        return Ok(());
    }
    Err(format!(
        "has the published size but its SHA-256 is {hex}, not the published one: it is \
         damaged; download it again"
    ))
}

/// Why a file could not be read, and what to check.
fn cannot_read(e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::NotFound {
        "no such file; check the path".into()
    } else {
        format!("cannot read the file: {e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_published_list_is_well_formed() {
        for p in &PUBLISHED {
            assert_eq!(p.sha256.len(), 64, "{}", p.name);
            assert!(p.sha256.bytes().all(|b| b.is_ascii_hexdigit()));
            assert!(NAMES.iter().any(|n| format!("{n}.gz") == p.name));
        }
    }

    #[test]
    fn sha256_of_abc_is_the_standard_one() {
        // FIPS 180-2, appendix B.1: makes sure the digest is printed right.
        let hex: String = Sha256::digest(b"abc")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            hex,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn dimensions_past_memory_are_refused_without_allocating() {
        let huge = [
            0, 0, 8, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 2,
        ];
        assert!(parse(&huge).unwrap_err().contains("more than"));
    }
}
