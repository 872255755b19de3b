//! Byte offsets (what the parser counts) to UTF-16 offsets (what CodeMirror counts) and
//! 1-based lines and columns (what messages show; columns in UTF-16 code units too).

pub struct Positions<'a> {
    text: &'a str,
    /// Byte offset and UTF-16 offset of each line's start.
    lines: Vec<(usize, usize)>,
}

impl<'a> Positions<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut lines = vec![(0, 0)];
        let mut utf16 = 0;
        for (i, c) in text.char_indices() {
            utf16 += c.len_utf16();
            if c == '\n' {
                lines.push((i + 1, utf16));
            }
        }
        Positions { text, lines }
    }

    /// The UTF-16 offset, 1-based line and 1-based column of a byte offset (clamped to the
    /// text, and moved back to the start of a character if it falls inside one).
    pub fn at(&self, byte: usize) -> (usize, usize, usize) {
        let mut byte = byte.min(self.text.len());
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        let line = self.lines.partition_point(|&(start, _)| start <= byte).saturating_sub(1);
        let (start, start16) = self.lines.get(line).copied().unwrap_or((0, 0));
        let column: usize = self.text.get(start..byte).unwrap_or_default().chars().map(char::len_utf16).sum();
        (start16 + column, line + 1, column + 1)
    }

    pub fn utf16(&self, byte: usize) -> usize {
        self.at(byte).0
    }
}
