//! Contour lines by marching squares: where a function, known on a grid,
//! crosses a level.
//!
//! Each square of four neighbouring grid points is looked at alone. Where
//! one end of a side is above the level and the other is not, the line
//! crosses that side, at the point found by linear interpolation between
//! the two values. A square crossed on two sides holds one piece of line;
//! on all four (a saddle: two opposite corners above, two below) the mean
//! of the corners decides which pairs of crossings join.

/// A piece of contour line from one point to another, in grid coordinates:
/// `(column, row)`, where `(i, j)` is grid point `i` of row `j`.
pub(crate) type Segment = [(f64, f64); 2];

/// The pieces of line where `values` crosses `level`. `values` holds a grid
/// row by row, `columns` points a row. Squares with a value that is not a
/// finite number are skipped.
pub(crate) fn contour(values: &[f64], columns: usize, level: f64) -> Vec<Segment> {
    let mut segments = Vec::new();
    if columns < 2 {
        return segments;
    }
    let rows = values.len() / columns;
    let at = |i: usize, j: usize| values[j * columns + i];
    for j in 0..rows.saturating_sub(1) {
        for i in 0..columns - 1 {
            // Corners counter-clockwise from the bottom left.
            let corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)];
            let v = corners.map(|(i, j)| at(i, j));
            if v.iter().any(|v| !v.is_finite()) {
                continue;
            }
            let above = v.map(|v| v > level);
            // The crossing on side k, from corner k to corner k + 1.
            let crossing = |k: usize| {
                let (a, b) = (k, (k + 1) % 4);
                if above[a] == above[b] {
                    return None;
                }
                let t = (level - v[a]) / (v[b] - v[a]);
                let (pa, pb) = (corners[a], corners[b]);
                Some((
                    pa.0 as f64 + t * (pb.0 as f64 - pa.0 as f64),
                    pa.1 as f64 + t * (pb.1 as f64 - pa.1 as f64),
                ))
            };
            let sides: Vec<(usize, (f64, f64))> =
                (0..4).filter_map(|k| crossing(k).map(|p| (k, p))).collect();
            match sides.as_slice() {
                [(_, p), (_, q)] => segments.push([*p, *q]),
                [(_, p0), (_, p1), (_, p2), (_, p3)] => {
                    let centre_above = v.iter().sum::<f64>() / 4.0 > level;
                    if centre_above == above[0] {
                        // Corners 0 and 2 join through the middle: cut off 1 and 3.
                        segments.push([*p0, *p1]);
                        segments.push([*p2, *p3]);
                    } else {
                        // Corners 1 and 3 join: cut off 0 and 2.
                        segments.push([*p3, *p0]);
                        segments.push([*p1, *p2]);
                    }
                }
                _ => {}
            }
        }
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ramp_is_cut_along_a_straight_line() {
        // f(i, j) = i on a 3 × 2 grid: the level 0.5 runs up column 0.5.
        let values = [0.0, 1.0, 2.0, 0.0, 1.0, 2.0];
        assert_eq!(contour(&values, 3, 0.5), vec![[(0.5, 0.0), (0.5, 1.0)]]);
        assert_eq!(contour(&values, 3, 1.5), vec![[(1.5, 0.0), (1.5, 1.0)]]);
        assert!(contour(&values, 3, 5.0).is_empty());
    }

    #[test]
    fn a_saddle_gives_two_pieces() {
        // Corners 0 and 2 above, 1 and 3 below, centre above: 1 and 3 are cut off.
        let values = [1.0, 0.0, 0.0, 1.0];
        let pieces = contour(&values, 2, 0.4);
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[0], [(0.6, 0.0), (1.0, 0.4)]);
        assert!(contour(&[1.0, f64::NAN, 0.0, 1.0], 2, 0.5).is_empty());
    }
}
