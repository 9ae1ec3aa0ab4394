//! Line numbers for byte offsets. `\n`, `\r\n` and a lone `\r` (classic Mac) each end a line,
//! so CRLF files and LF files of the same code have the same line numbers.

/// Byte offsets where each line starts; line 1 starts at 0.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    /// Index the lines of `text`.
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 32 + 1);
        starts.push(0);
        let mut pos = 0;
        while let Some(off) = memchr::memchr2(b'\n', b'\r', &bytes[pos..]) {
            let at = pos + off;
            let next = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                at + 2
            } else {
                at + 1
            };
            starts.push(next as u32);
            pos = next;
        }
        LineIndex { starts }
    }

    /// The 1-based line containing byte `offset` (offsets past the end map to the last line).
    pub fn line_of(&self, offset: u32) -> u32 {
        self.starts.partition_point(|&s| s <= offset) as u32
    }

    /// Byte offset where 1-based `line` starts.
    pub fn line_start(&self, line: u32) -> u32 {
        self.starts[(line.max(1) as usize - 1).min(self.starts.len() - 1)]
    }

    /// Number of lines in a text of `text_len` bytes: a trailing terminator does not start a new
    /// line, and an empty text has none.
    pub fn line_count(&self, text_len: usize) -> u32 {
        let n = self.starts.len() as u32;
        if text_len == 0 {
            0
        } else if *self.starts.last().unwrap_or(&0) as usize == text_len {
            n - 1
        } else {
            n
        }
    }

    /// Byte range of `line` (1-based) in `text` (the text that was indexed), without its
    /// terminator. Lines past the end give an empty range at the end of the text.
    pub fn line_range(&self, line: u32, text: &str) -> std::ops::Range<usize> {
        let idx = line.max(1) as usize - 1;
        let Some(&start) = self.starts.get(idx) else {
            return text.len()..text.len();
        };
        let start = start as usize;
        let next = self.starts.get(idx + 1).map_or(text.len(), |&s| s as usize);
        let body = &text.as_bytes()[start..next];
        let trimmed = match body {
            [.., b'\r', b'\n'] => 2,
            [.., b'\n'] | [.., b'\r'] => 1,
            _ => 0,
        };
        start..next - trimmed
    }

    /// The raw line starts.
    pub fn starts(&self) -> &[u32] {
        &self.starts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_all_count() {
        let text = "a\nb\r\nc\rd";
        let idx = LineIndex::new(text);
        assert_eq!(idx.starts(), &[0, 2, 5, 7]);
        assert_eq!(idx.line_count(text.len()), 4);
        assert_eq!(idx.line_of(0), 1);
        assert_eq!(idx.line_of(3), 2);
        assert_eq!(idx.line_of(7), 4);
        let lines: Vec<&str> = (1..=4).map(|l| &text[idx.line_range(l, text)]).collect();
        assert_eq!(lines, ["a", "b", "c", "d"]);
    }

    #[test]
    fn trailing_newline_and_empty() {
        assert_eq!(LineIndex::new("").line_count(0), 0);
        assert_eq!(LineIndex::new("x\n").line_count(2), 1);
        assert_eq!(LineIndex::new("\n\n").line_count(2), 2);
    }
}
