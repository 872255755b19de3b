//! Byte offsets (what the parser counts) to UTF-16 offsets (what CodeMirror counts) and
//! 1-based lines and columns (what messages show; columns in UTF-16 code units too).

pub struct Positions<'a> {
    text: &'a str,
    /// The UTF-16 offset of every byte offset (and of the end): a pasted policy can be one
    /// long line with hundreds of findings, so each lookup must not rescan the line.
    utf16: Vec<u32>,
    /// Byte offset of each line's start.
    lines: Vec<usize>,
}

impl<'a> Positions<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut utf16 = Vec::with_capacity(text.len() + 1);
        let mut lines = vec![0];
        let mut units: u32 = 0;
        for (i, c) in text.char_indices() {
            utf16.resize(i + 1, units);
            units = units.saturating_add(c.len_utf16() as u32);
            if c == '\n' {
                lines.push(i + 1);
            }
        }
        utf16.resize(text.len() + 1, units);
        Positions { text, utf16, lines }
    }

    /// The UTF-16 offset, 1-based line and 1-based column of a byte offset (clamped to the
    /// text, and moved back to the start of a character if it falls inside one).
    pub fn at(&self, byte: usize) -> (usize, usize, usize) {
        let mut byte = byte.min(self.text.len());
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        let line = self.lines.partition_point(|&start| start <= byte).saturating_sub(1);
        let start = self.lines.get(line).copied().unwrap_or(0);
        let unit = |b: usize| self.utf16.get(b).copied().unwrap_or(0) as usize;
        (unit(byte), line + 1, unit(byte) - unit(start) + 1)
    }

    pub fn utf16(&self, byte: usize) -> usize {
        self.at(byte).0
    }
}
