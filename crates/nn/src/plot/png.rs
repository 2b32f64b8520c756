//! A PNG file written by hand, small enough to read: the smooth maps are
//! little images that the browser stretches with smoothing, embedded in the
//! SVG as `data:image/png;base64,…`.
//!
//! A PNG is a signature and a list of chunks (length, 4-letter type, data,
//! CRC-32 of type and data): `IHDR` (size and colour type), `PLTE` (the
//! palette, if the pixels are palette indices), `IDAT` (the pixel rows,
//! each behind a filter byte, in a zlib stream) and `IEND`. The zlib stream
//! here uses *stored* deflate blocks — no compression at all — which every
//! decoder reads and which takes twenty lines instead of a thousand. A map
//! has at most a few hundred colours, so each pixel is one palette index:
//! a 60 × 60 map is about 4 KB.

use plotters::style::RGBColor;

/// The PNG file of an image `width` pixels wide, its `pixels` row by row
/// from the top. Palette-indexed when it has at most 256 colours, RGB
/// otherwise.
pub(crate) fn encode(width: usize, pixels: &[RGBColor]) -> Vec<u8> {
    let width = width.max(1);
    let height = pixels.len() / width;
    let (palette, indices) = palette_of(pixels);
    let mut rows = Vec::with_capacity(height * (1 + 3 * width));
    for row in 0..height {
        rows.push(0); // filter type 0: the bytes as they are
        let line = &pixels[row * width..(row + 1) * width];
        match &indices {
            Some(indices) => rows.extend_from_slice(&indices[row * width..(row + 1) * width]),
            None => line.iter().for_each(|c| rows.extend([c.0, c.1, c.2])),
        }
    }
    let mut file = vec![0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];
    let mut header = Vec::with_capacity(13);
    header.extend((width as u32).to_be_bytes());
    header.extend((height as u32).to_be_bytes());
    // 8 bits per sample; colour type 3 (palette) or 2 (RGB); deflate; the
    // standard filters; no interlacing.
    let colour_type = if indices.is_some() { 3 } else { 2 };
    header.extend([8, colour_type, 0, 0, 0]);
    chunk(&mut file, b"IHDR", &header);
    if indices.is_some() {
        let bytes: Vec<u8> = palette.iter().flat_map(|c| [c.0, c.1, c.2]).collect();
        chunk(&mut file, b"PLTE", &bytes);
    }
    chunk(&mut file, b"IDAT", &zlib_stored(&rows));
    chunk(&mut file, b"IEND", &[]);
    file
}

/// The distinct colours in order of first appearance, and each pixel's
/// index among them; no indices if there are more than 256.
fn palette_of(pixels: &[RGBColor]) -> (Vec<RGBColor>, Option<Vec<u8>>) {
    let mut palette: Vec<RGBColor> = Vec::new();
    // A map from colour to index: the 24 bits of a colour pick a slot.
    let mut slot = std::collections::HashMap::new();
    let mut indices = Vec::with_capacity(pixels.len());
    for &c in pixels {
        let key = (u32::from(c.0) << 16) | (u32::from(c.1) << 8) | u32::from(c.2);
        let index = *slot.entry(key).or_insert_with(|| {
            palette.push(c);
            palette.len() - 1
        });
        if index > 255 {
            return (palette, None);
        }
        indices.push(index as u8);
    }
    (palette, Some(indices))
}

/// Appends one chunk: length, type, data, CRC-32 of type and data.
fn chunk(file: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    file.extend((data.len() as u32).to_be_bytes());
    let start = file.len();
    file.extend_from_slice(kind);
    file.extend_from_slice(data);
    let crc = crc32(&file[start..]);
    file.extend(crc.to_be_bytes());
}

/// A zlib stream of `data` in stored (uncompressed) deflate blocks of at
/// most 65 535 bytes, each behind its length and the length's complement.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    // 0x78 0x01: deflate with a 32 KB window, no dictionary; the two bytes
    // as a big-endian number are a multiple of 31, as zlib requires.
    let mut out = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = if data.is_empty() {
        vec![&[][..]]
    } else {
        data.chunks(65_535).collect()
    };
    for (i, block) in blocks.iter().enumerate() {
        out.push(u8::from(i + 1 == blocks.len())); // BFINAL on the last, BTYPE 00
        let len = block.len() as u16;
        out.extend(len.to_le_bytes());
        out.extend((!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend(adler32(data).to_be_bytes());
    out
}

/// The CRC-32 of PNG (and zip, and Ethernet): polynomial 0xEDB88320,
/// bit by bit — a few kilobytes per map, so a table would save nothing.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// zlib's checksum: two running sums modulo 65 521.
fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in bytes {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

/// `bytes` in base64, as a `data:` URI needs them.
pub(crate) fn base64(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let n = (u32::from(group[0]) << 16)
            | (u32::from(*group.get(1).unwrap_or(&0)) << 8)
            | u32::from(*group.get(2).unwrap_or(&0));
        for k in 0..4 {
            if k <= group.len() {
                out.push(DIGITS[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_match_known_values() {
        // The check values of the CRC-32 and Adler-32 catalogues.
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
        assert_eq!(crc32(b"IEND"), 0xae42_6082); // every PNG ends in these bytes
    }

    #[test]
    fn base64_pads_the_last_group() {
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
        assert_eq!(base64(b""), "");
    }

    #[test]
    fn a_small_image_has_the_chunks_in_order() {
        let (red, blue) = (RGBColor(255, 0, 0), RGBColor(0, 0, 255));
        let png = encode(2, &[red, blue, blue, red]);
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&png[12..16], b"IHDR");
        assert_eq!(&png[16..24], &[0, 0, 0, 2, 0, 0, 0, 2]); // 2 × 2
        assert_eq!(png[25], 3); // palette
        assert_eq!(&png[33 + 4..33 + 8], b"PLTE");
        assert_eq!(&png[33 + 8..33 + 14], &[255, 0, 0, 0, 0, 255]);
        assert!(png.ends_with(&[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xae, 0x42, 0x60, 0x82]));
        // Rows: filter byte, then one index per pixel.
        let rows = [0, 0, 1, 0, 1, 0];
        let stored = zlib_stored(&rows);
        assert_eq!(&stored[..7], &[0x78, 0x01, 1, 6, 0, 0xf9, 0xff]);
        assert!(png.windows(stored.len()).any(|w| w == stored.as_slice()));
    }

    #[test]
    fn many_colours_are_written_as_rgb() {
        let pixels: Vec<RGBColor> = (0..300)
            .map(|i| RGBColor((i % 256) as u8, (i / 256) as u8, 0))
            .collect();
        let png = encode(30, &pixels);
        assert_eq!(png[25], 2); // RGB
        assert_eq!(&png[16..24], &[0, 0, 0, 30, 0, 0, 0, 10]);
    }

    #[test]
    fn long_data_is_split_into_blocks() {
        let data = vec![7u8; 70_000];
        let stored = zlib_stored(&data);
        assert_eq!(stored.len(), 2 + 2 * 5 + 70_000 + 4);
        assert_eq!(stored[2], 0); // not the last block
        assert_eq!(stored[2 + 5 + 65_535], 1); // the last one
    }
}
