//! Quantities for people: sizes as `ls -h` shows them, for the copy form, its progress line
//! and `kterm cp` alike.

/// Bytes for people: 5.0 MB.
pub fn bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_read_like_ls_h() {
        assert_eq!(super::bytes(512), "512 B");
        assert_eq!(super::bytes(5 * 1024 * 1024), "5.0 MB");
    }
}
