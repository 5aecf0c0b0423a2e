//! The writer: compact JSON, byte for byte as serde_json writes it (the
//! same escapes, no spaces), so every surface gives the same text.

use super::ToJson;

/// JSON text being written.
#[derive(Debug, Default)]
pub struct Writer {
    out: String,
}

impl Writer {
    /// An empty writer.
    pub fn new() -> Writer {
        Writer::default()
    }

    /// The text written.
    pub fn into_string(self) -> String {
        self.out
    }

    /// Text that is JSON already (a literal, a number as written, a quoted name).
    pub fn raw(&mut self, json: &str) {
        self.out.push_str(json);
    }

    /// `null`.
    pub fn null(&mut self) {
        self.out.push_str("null");
    }

    /// A string, escaped.
    pub fn string(&mut self, text: &str) {
        self.out.reserve(text.len() + 2);
        self.out.push('"');
        let bytes = text.as_bytes();
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            // eight bytes at a time while none of them is to be escaped
            if let Some(&[a, b, c, d, e, f, g, h]) = bytes.get(i..i + 8) {
                if !needs_escape(u64::from_le_bytes([a, b, c, d, e, f, g, h])) {
                    i += 8;
                    continue;
                }
            }
            let b = bytes[i];
            i += 1;
            let escape = match b {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0x08 => "\\b",
                0x0c => "\\f",
                0..=0x1f => "",
                _ => continue,
            };
            self.out.push_str(&text[start..i - 1]);
            if escape.is_empty() {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                self.out.push_str("\\u00");
                self.out.push(char::from(HEX[usize::from(b >> 4)]));
                self.out.push(char::from(HEX[usize::from(b & 0xf)]));
            } else {
                self.out.push_str(escape);
            }
            start = i;
        }
        self.out.push_str(&text[start..]);
        self.out.push('"');
    }

    /// An unsigned integer.
    pub fn unsigned(&mut self, mut n: u64) {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        for &d in &digits[i..] {
            self.out.push(char::from(d));
        }
    }

    /// A signed integer.
    pub fn signed(&mut self, n: i64) {
        if n < 0 {
            self.out.push('-');
        }
        self.unsigned(n.unsigned_abs());
    }

    /// Starts an object; [`Object::end`] closes it.
    pub fn object(&mut self) -> Object<'_> {
        self.out.push('{');
        Object { out: self, first: true }
    }

    /// Starts an array; [`Array::end`] closes it.
    pub fn array(&mut self) -> Array<'_> {
        self.out.push('[');
        Array { out: self, first: true }
    }
}

/// An object being written.
#[derive(Debug)]
pub struct Object<'w> {
    out: &'w mut Writer,
    first: bool,
}

impl Object<'_> {
    fn separate(&mut self) {
        if !std::mem::replace(&mut self.first, false) {
            self.out.out.push(',');
        }
    }

    /// Writes the key of the next member, given quoted with its colon
    /// (`"name":`, as the derives write it), and returns the writer for its
    /// value.
    pub fn key(&mut self, quoted: &str) -> &mut Writer {
        self.separate();
        self.out.out.push_str(quoted);
        self.out
    }

    /// A member whose key is given quoted with its colon (`"name":`).
    pub fn field<T: ToJson + ?Sized>(&mut self, quoted: &str, value: &T) {
        value.to_json(self.key(quoted));
    }

    /// A member with any key (escaped here).
    pub fn entry<T: ToJson + ?Sized>(&mut self, key: &str, value: &T) {
        self.separate();
        self.out.string(key);
        self.out.out.push(':');
        value.to_json(self.out);
    }

    /// Closes the object.
    pub fn end(self) {
        self.out.out.push('}');
    }
}

/// An array being written.
#[derive(Debug)]
pub struct Array<'w> {
    out: &'w mut Writer,
    first: bool,
}

impl Array<'_> {
    /// The next element.
    pub fn element<T: ToJson + ?Sized>(&mut self, value: &T) {
        if !std::mem::replace(&mut self.first, false) {
            self.out.out.push(',');
        }
        value.to_json(self.out);
    }

    /// Closes the array.
    pub fn end(self) {
        self.out.out.push(']');
    }
}

/// Whether any of the eight bytes of `w` is a quote, a backslash or a
/// control character (below 0x20): the bytes a JSON string escapes. Exact
/// for the word as a whole (bytes of UTF-8 sequences, 0x80 and above, never match).
pub(super) fn needs_escape(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS != 0;
    let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGHS != 0;
    below_space || has_zero(w ^ (ONES * u64::from(b'"'))) || has_zero(w ^ (ONES * u64::from(b'\\')))
}
