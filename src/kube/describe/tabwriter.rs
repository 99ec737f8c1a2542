//! Go's `text/tabwriter` as kubectl describe configures it (min width 0, padding 2, spaces), so
//! columns line up exactly as in `kubectl describe`: a column is aligned over consecutive lines
//! that all have a tab-terminated cell in it, and widths count characters.

/// Aligns tab-separated cells of `text`.
pub fn align(text: &str) -> String {
    let lines: Vec<Vec<&str>> = text.split('\n').map(|l| l.split('\t').collect()).collect();
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut widths = Vec::new();
    format(&lines, 0, lines.len(), &mut widths, &mut out);
    // Every line was written with a newline; Go writes none after the last (which is the
    // empty line `split` yields after a final newline).
    out.pop();
    out
}

/// Go's `Writer.format`: finds the blocks of column `widths.len()` inside `line0..line1`, sizes
/// each and recurses into the next column for its lines.
fn format(
    lines: &[Vec<&str>],
    mut line0: usize,
    line1: usize,
    widths: &mut Vec<usize>,
    out: &mut String,
) {
    let column = widths.len();
    let mut this = line0;
    while this < line1 {
        // The last cell of a line is not tab-terminated and belongs to no column.
        if column + 1 >= cells(lines, this) {
            this += 1;
            continue;
        }
        write_lines(lines, line0, this, widths, out);
        line0 = this;
        let mut width = 0;
        while this < line1 && column + 1 < cells(lines, this) {
            let cell = lines
                .get(this)
                .and_then(|l| l.get(column))
                .map_or(0, |c| c.chars().count());
            width = width.max(cell + 2);
            this += 1;
        }
        widths.push(width);
        format(lines, line0, this, widths, out);
        widths.pop();
        line0 = this;
    }
    write_lines(lines, line0, line1, widths, out);
}

fn cells(lines: &[Vec<&str>], index: usize) -> usize {
    lines.get(index).map_or(0, Vec::len)
}

fn write_lines(lines: &[Vec<&str>], from: usize, to: usize, widths: &[usize], out: &mut String) {
    for line in lines.get(from..to).unwrap_or_default() {
        for (j, cell) in line.iter().enumerate() {
            out.push_str(cell);
            if let Some(width) = widths.get(j) {
                if j + 1 < line.len() {
                    let pad = width.saturating_sub(cell.chars().count());
                    out.extend(std::iter::repeat_n(' ', pad));
                }
            }
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::align;

    #[test]
    fn aligns_blocks_like_go() {
        // `X:` continues the block of the lines above it, as `Controlled By:` does after
        // `  IP:` in kubectl's output.
        let text = "Name:\tp\nNamespace:\tns\nLabels:\n  a:\t1\n  bbb:\t2\nX:\ty\n";
        assert_eq!(
            align(text),
            "Name:       p\nNamespace:  ns\nLabels:\n  a:    1\n  bbb:  2\nX:      y\n"
        );
    }

    #[test]
    fn nested_columns_and_no_trailing_newline() {
        let text = "  Type\tStatus\n  Ready \tTrue \n  PodScheduled \tTrue ";
        assert_eq!(
            align(text),
            "  Type           Status\n  Ready          True \n  PodScheduled   True "
        );
    }
}
