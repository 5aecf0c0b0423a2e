//! The reader: strict JSON (RFC 8259, as serde_json accepts it) parsed in
//! one pass into a flat tape of nodes that borrow the text, then read into
//! typed values through [`Value`]. Numbers stay as written, so a decimal
//! reaches the engine exactly; strings are decoded only when read.

use std::borrow::Cow;

use super::path::{path_at, Segment};

/// Arrays and objects may nest fewer levels than this (as in serde_json).
const MAX_DEPTH: usize = 128;

/// Why a JSON document was refused, and where. (Boxed: reading returns it
/// through every level of a document, so it is kept to one pointer.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(Box<Failure>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Failure {
    /// The path of the offending value, innermost step first.
    steps: Vec<Segment>,
    offset: usize,
    line: usize,
    column: usize,
    message: String,
}

impl Error {
    #[cold]
    #[inline(never)]
    fn new(text: &str, offset: usize, message: String, steps: Vec<Segment>) -> Error {
        let offset = offset.min(text.len());
        let before = &text.as_bytes()[..offset];
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        Error(Box::new(Failure {
            steps,
            offset,
            line: 1 + before.iter().filter(|&&b| b == b'\n').count(),
            column: 1 + offset - line_start,
            message,
        }))
    }

    /// A syntax error at byte `offset`: located by scanning the text.
    #[cold]
    #[inline(never)]
    fn syntax(text: &str, offset: usize, message: &str) -> Error {
        let mut steps = path_at(text, offset);
        steps.reverse();
        Error::new(text, offset, message.to_owned(), steps)
    }

    /// The path of the offending value: `units[3].area`, or `.` for the document.
    pub fn path(&self) -> String {
        super::path::render(self.0.steps.iter().rev())
    }

    /// Byte offset in the text of the offending value (or of the byte the
    /// parser stopped at).
    pub fn offset(&self) -> usize {
        self.0.offset
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// What is wrong, with the line and column of the offending byte.
    pub fn message_with_position(&self) -> String {
        format!("{} at line {} column {}", self.0.message, self.0.line, self.0.column)
    }

    /// The same error, one level out: inside member `key`.
    #[cold]
    #[inline(never)]
    pub fn in_member(mut self, key: &str) -> Error {
        self.0.steps.push(Segment::Key(key.to_owned()));
        self
    }

    /// The same error, one level out: inside element `index`.
    #[cold]
    #[inline(never)]
    pub fn in_element(mut self, index: usize) -> Error {
        self.0.steps.push(Segment::Index(index));
        self
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path(), self.message_with_position())
    }
}

impl std::error::Error for Error {}

/// The kind of a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

/// One value of the tape. Strings and numbers: `a..b` is the text (a
/// string's without its quotes); `flag` marks a string with escapes, an
/// integer number, a `true`. Arrays and objects: `a` children (members for
/// an object, each a key node followed by its value), `b` the index of the
/// node after the last descendant.
#[derive(Debug, Clone, Copy)]
struct Node {
    kind: Kind,
    flag: bool,
    offset: u32,
    a: u32,
    b: u32,
}

/// A parsed JSON document.
#[derive(Debug)]
pub struct Document<'a> {
    text: &'a str,
    nodes: Vec<Node>,
}

impl<'a> Document<'a> {
    /// Parses `text`: exactly one JSON value, with whitespace around it.
    pub fn parse(text: &'a str) -> Result<Document<'a>, Error> {
        if u32::try_from(text.len()).is_err() {
            return Err(Error::new(
                text,
                0,
                "the text is longer than 4 GiB".to_owned(),
                Vec::new(),
            ));
        }
        let mut parser = Parser {
            text,
            b: text.as_bytes(),
            pos: 0,
            nodes: Vec::with_capacity(text.len() / 8 + 1),
            stack: Vec::new(),
        };
        parser.document()?;
        Ok(Document {
            text,
            nodes: parser.nodes,
        })
    }

    /// The document's value.
    pub fn root(&self) -> Value<'_> {
        Value { doc: self, at: 0 }
    }
}

/// An array or object being parsed: its node and the children so far.
struct Open {
    node: usize,
    count: u32,
    object: bool,
}

struct Parser<'a> {
    text: &'a str,
    b: &'a [u8],
    pos: usize,
    nodes: Vec<Node>,
    stack: Vec<Open>,
}

impl Parser<'_> {
    fn error(&self, message: &str) -> Error {
        Error::syntax(self.text, self.pos, message)
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.pos) {
            self.pos += 1;
        }
    }

    fn push(&mut self, kind: Kind, flag: bool, offset: usize, a: usize, b: usize) {
        // every offset fits: the text is shorter than 4 GiB, and there are
        // fewer nodes than bytes
        self.nodes.push(Node {
            kind,
            flag,
            offset: offset as u32,
            a: a as u32,
            b: b as u32,
        });
    }

    fn document(&mut self) -> Result<(), Error> {
        'value: loop {
            self.skip_whitespace();
            let start = self.pos;
            match self.b.get(start) {
                None => return Err(self.error("EOF while parsing a value")),
                Some(&open @ (b'{' | b'[')) => {
                    // as serde_json: the 128th level nested is refused
                    if self.stack.len() + 1 >= MAX_DEPTH {
                        return Err(self.error("recursion limit exceeded"));
                    }
                    let object = open == b'{';
                    self.pos += 1;
                    self.skip_whitespace();
                    let index = self.nodes.len();
                    let kind = if object { Kind::Object } else { Kind::Array };
                    self.push(kind, false, start, 0, index + 1);
                    if self.b.get(self.pos) == Some(if object { &b'}' } else { &b']' }) {
                        self.pos += 1;
                    } else {
                        self.stack.push(Open {
                            node: index,
                            count: 0,
                            object,
                        });
                        if object {
                            self.key()?;
                        }
                        continue 'value;
                    }
                }
                Some(b'"') => self.string()?,
                Some(b'-' | b'0'..=b'9') => self.number()?,
                Some(b't') => self.literal("true", Kind::Bool, true)?,
                Some(b'f') => self.literal("false", Kind::Bool, false)?,
                Some(b'n') => self.literal("null", Kind::Null, false)?,
                Some(_) => return Err(self.error("expected value")),
            }
            // a value is complete: close the containers it completes
            loop {
                let Some(open) = self.stack.last_mut() else {
                    self.skip_whitespace();
                    if self.pos < self.b.len() {
                        return Err(self.error("trailing characters"));
                    }
                    return Ok(());
                };
                open.count += 1;
                let object = open.object;
                self.skip_whitespace();
                match (self.b.get(self.pos), object) {
                    (Some(b','), _) => {
                        self.pos += 1;
                        self.skip_whitespace();
                        if matches!(self.b.get(self.pos), Some(b'}' | b']')) {
                            return Err(self.error("trailing comma"));
                        }
                        if object {
                            self.key()?;
                        }
                        continue 'value;
                    }
                    (Some(b'}'), true) | (Some(b']'), false) => {
                        self.pos += 1;
                        if let Some(done) = self.stack.pop() {
                            let end = self.nodes.len() as u32;
                            let node = &mut self.nodes[done.node];
                            node.a = done.count;
                            node.b = end;
                        }
                    }
                    (None, true) => return Err(self.error("EOF while parsing an object")),
                    (None, false) => return Err(self.error("EOF while parsing a list")),
                    (_, true) => return Err(self.error("expected `,` or `}`")),
                    (_, false) => return Err(self.error("expected `,` or `]`")),
                }
            }
        }
    }

    /// A member's key and its colon.
    fn key(&mut self) -> Result<(), Error> {
        match self.b.get(self.pos) {
            Some(b'"') => self.string()?,
            None => return Err(self.error("EOF while parsing an object")),
            Some(_) => return Err(self.error("key must be a string")),
        }
        self.skip_whitespace();
        match self.b.get(self.pos) {
            Some(b':') => {
                self.pos += 1;
                Ok(())
            }
            None => Err(self.error("EOF while parsing an object")),
            Some(_) => Err(self.error("expected `:`")),
        }
    }

    fn literal(&mut self, word: &str, kind: Kind, flag: bool) -> Result<(), Error> {
        let start = self.pos;
        let end = start + word.len();
        if self.b.get(start..end) != Some(word.as_bytes()) {
            // the first byte that differs
            let same = self.b[start..]
                .iter()
                .zip(word.as_bytes())
                .take_while(|(a, b)| a == b)
                .count();
            self.pos = start + same;
            return Err(self.error(if self.pos >= self.b.len() {
                "EOF while parsing a value"
            } else {
                "expected ident"
            }));
        }
        self.pos = end;
        self.push(kind, flag, start, start, end);
        Ok(())
    }

    fn string(&mut self) -> Result<(), Error> {
        let start = self.pos;
        self.pos += 1;
        let mut escaped = false;
        loop {
            self.skip_plain();
            let Some(&c) = self.b.get(self.pos) else {
                return Err(self.error("EOF while parsing a string"));
            };
            match c {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    self.escape()?;
                }
                0..=0x1f => return Err(self.error("control character (\\u0000-\\u001F) found while parsing a string")),
                _ => self.pos += 1,
            }
        }
        self.push(Kind::String, escaped, start, start + 1, self.pos);
        self.pos += 1;
        Ok(())
    }

    /// Skips the bytes of a string that need no attention (not a quote, a
    /// backslash or a control character), eight at a time: the first byte
    /// that does is found in its word, so a short string takes one step.
    fn skip_plain(&mut self) {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGHS: u64 = 0x8080_8080_8080_8080;
        /// The high bit of each byte of `w` that is zero. A byte above a zero
        /// one may be marked too (the borrow), never one below it: the
        /// lowest mark is exact.
        fn zeros(w: u64) -> u64 {
            w.wrapping_sub(ONES) & !w & HIGHS
        }
        while let Some(chunk) = self.b.get(self.pos..self.pos + 8) {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(chunk);
            let w = u64::from_le_bytes(bytes);
            // a byte below 0x20 (the same borrow rule), equal to '"' or '\\'
            let control = w.wrapping_sub(ONES * 0x20) & !w & HIGHS;
            let marks = control | zeros(w ^ (ONES * u64::from(b'"'))) | zeros(w ^ (ONES * u64::from(b'\\')));
            if marks != 0 {
                // little-endian: the lowest mark is the first such byte
                self.pos += marks.trailing_zeros() as usize / 8;
                return;
            }
            self.pos += 8;
        }
        while let Some(&c) = self.b.get(self.pos) {
            if c == b'"' || c == b'\\' || c < 0x20 {
                return;
            }
            self.pos += 1;
        }
    }

    /// An escape, `self.pos` at its backslash.
    fn escape(&mut self) -> Result<(), Error> {
        self.pos += 1;
        match self.b.get(self.pos) {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                self.pos += 1;
                Ok(())
            }
            Some(b'u') => {
                let unit = self.hex4()?;
                if (0xDC00..0xE000).contains(&unit) {
                    return Err(self.error("lone trailing surrogate in hex escape"));
                }
                if (0xD800..0xDC00).contains(&unit) {
                    if self.b.get(self.pos..self.pos + 2) != Some(b"\\u") {
                        return Err(self.error("lone leading surrogate in hex escape"));
                    }
                    self.pos += 1;
                    if !(0xDC00..0xE000).contains(&self.hex4()?) {
                        return Err(self.error("lone leading surrogate in hex escape"));
                    }
                }
                Ok(())
            }
            None => Err(self.error("EOF while parsing a string")),
            Some(_) => Err(self.error("invalid escape")),
        }
    }

    /// `u` and four hex digits, `self.pos` at the `u`.
    fn hex4(&mut self) -> Result<u32, Error> {
        let mut unit = 0;
        for _ in 0..4 {
            self.pos += 1;
            let digit = match self.b.get(self.pos) {
                Some(&c) => (c as char).to_digit(16),
                None => return Err(self.error("EOF while parsing a string")),
            };
            match digit {
                Some(d) => unit = unit * 16 + d,
                None => return Err(self.error("invalid escape")),
            }
        }
        self.pos += 1;
        Ok(unit)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.b.get(self.pos) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<(), Error> {
        let start = self.pos;
        if self.b[start] == b'-' {
            self.pos += 1;
        }
        match self.b.get(self.pos) {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.b.get(self.pos) {
                    return Err(self.error("invalid number"));
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            None => return Err(self.error("EOF while parsing a value")),
            Some(_) => return Err(self.error("invalid number")),
        }
        let integer_digits = self.pos - start;
        let mut integer = true;
        if self.b.get(self.pos) == Some(&b'.') {
            integer = false;
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.error(if self.pos >= self.b.len() {
                    "EOF while parsing a value"
                } else {
                    "invalid number"
                }));
            }
        }
        let mut exponent: i64 = 0;
        if let Some(b'e' | b'E') = self.b.get(self.pos) {
            integer = false;
            self.pos += 1;
            let negative = self.b.get(self.pos) == Some(&b'-');
            if let Some(b'+' | b'-') = self.b.get(self.pos) {
                self.pos += 1;
            }
            let digits_start = self.pos;
            if self.digits() == 0 {
                return Err(self.error(if self.pos >= self.b.len() {
                    "EOF while parsing a value"
                } else {
                    "invalid number"
                }));
            }
            exponent = self.text[digits_start..self.pos]
                .bytes()
                .fold(0i64, |e, d| e.saturating_mul(10).saturating_add(i64::from(d - b'0')));
            if negative {
                exponent = -exponent;
            }
        }
        // serde_json refuses what no f64 can hold (and so does this reader,
        // so that both read the same documents); only a number this long or
        // with this exponent can be out of range
        if (integer_digits as i64).saturating_add(exponent) >= 308
            && self.text[start..self.pos].parse::<f64>().is_ok_and(f64::is_infinite)
        {
            self.pos = start;
            return Err(self.error("number out of range"));
        }
        self.push(Kind::Number, integer, start, start, self.pos);
        Ok(())
    }
}

/// A value of a parsed document, to read typed values from.
#[derive(Debug, Clone, Copy)]
pub struct Value<'a> {
    doc: &'a Document<'a>,
    at: usize,
}

/// serde's wording of a list of names: `` `a` ``, `` `a` or `b` ``,
/// `` one of `a`, `b`, `c` ``.
fn one_of(names: &[&str]) -> String {
    match names {
        [] => "nothing".to_owned(),
        [one] => format!("`{one}`"),
        [a, b] => format!("`{a}` or `{b}`"),
        _ => format!(
            "one of {}",
            names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
        ),
    }
}

impl<'a> Value<'a> {
    fn node(self) -> Node {
        self.doc.nodes[self.at]
    }

    fn text(self) -> &'a str {
        let n = self.node();
        &self.doc.text[n.a as usize..n.b as usize]
    }

    /// Byte offset of the value in the document's text.
    pub fn offset(self) -> usize {
        self.node().offset as usize
    }

    /// An error located at this value.
    pub fn error(self, message: impl Into<String>) -> Error {
        self.error_with(message.into())
    }

    #[cold]
    #[inline(never)]
    fn error_with(self, message: String) -> Error {
        Error::new(self.doc.text, self.offset(), message, Vec::new())
    }

    /// `invalid type: string "x", expected <expected>`.
    #[cold]
    #[inline(never)]
    pub fn invalid_type(self, expected: &str) -> Error {
        let n = self.node();
        let unexpected = match n.kind {
            Kind::Null => "null".to_owned(),
            Kind::Bool => format!("boolean `{}`", n.flag),
            Kind::Number if n.flag => format!("integer `{}`", self.text()),
            Kind::Number => format!("floating point `{}`", self.text()),
            Kind::String => format!("string {:?}", self.decoded()),
            Kind::Array => "array".to_owned(),
            Kind::Object => "object".to_owned(),
        };
        self.error(format!("invalid type: {unexpected}, expected {expected}"))
    }

    /// Whether the value is `null`.
    pub fn is_null(self) -> bool {
        self.node().kind == Kind::Null
    }

    /// A boolean.
    pub fn bool(self) -> Result<bool, Error> {
        match self.node() {
            Node {
                kind: Kind::Bool, flag, ..
            } => Ok(flag),
            _ => Err(self.invalid_type("a boolean")),
        }
    }

    /// A string, decoded.
    pub fn str(self) -> Result<Cow<'a, str>, Error> {
        match self.node().kind {
            Kind::String => Ok(self.decoded()),
            _ => Err(self.invalid_type("a string")),
        }
    }

    /// A number as written, and whether it is an integer (no fraction or
    /// exponent); `None` for any other value.
    pub fn number(self) -> Option<(&'a str, bool)> {
        let n = self.node();
        (n.kind == Kind::Number).then(|| (self.text(), n.flag))
    }

    /// An integer in range of `T` (named `expected` in errors).
    pub fn integer<T: TryFrom<i128>>(self, expected: &str) -> Result<T, Error> {
        match self.number() {
            Some((text, true)) => text
                .parse::<i128>()
                .ok()
                .and_then(|n| T::try_from(n).ok())
                .ok_or_else(|| self.error(format!("invalid value: integer `{text}`, expected {expected}"))),
            _ => Err(self.invalid_type(expected)),
        }
    }

    /// The children of an array or object of `kind`; otherwise an error
    /// naming `expected`.
    fn children(self, kind: Kind, expected: &str) -> Result<Children<'a>, Error> {
        match self.node() {
            Node { kind: k, a, .. } if k == kind => Ok(Children {
                doc: self.doc,
                next: self.at + 1,
                left: a as usize,
            }),
            _ => Err(self.invalid_type(expected)),
        }
    }

    /// The elements of an array.
    pub fn elements(self) -> Result<Elements<'a>, Error> {
        self.children(Kind::Array, "an array").map(Elements)
    }

    /// The members of an object: each key, decoded, with its value.
    pub fn members(self) -> Result<Members<'a>, Error> {
        self.children(Kind::Object, "an object").map(Members)
    }

    /// The members of an object that are the fields `names`, put in `slots`
    /// (one per name). A repeated field is an error, and so is a member that
    /// is none of them when `deny_unknown` is set.
    pub fn fields<'s>(
        self,
        names: &'static [&'static str],
        deny_unknown: bool,
        slots: &'s mut [Option<Value<'a>>],
    ) -> Result<Fields<'a, 's>, Error> {
        let Node {
            kind: Kind::Object,
            a: count,
            ..
        } = self.node()
        else {
            return Err(self.invalid_type("an object"));
        };
        let mut at = self.at + 1;
        // members mostly come in the order of the names: the one after the
        // last found is tried first
        let mut next = 0;
        for _ in 0..count {
            let (key, value) = (
                Value { doc: self.doc, at },
                Value {
                    doc: self.doc,
                    at: at + 1,
                },
            );
            at = after(self.doc, at + 1);
            // keys without escapes (nearly all) are compared as they stand
            let found = match key.node().flag {
                false => {
                    let text = key.text().as_bytes();
                    let is = |name: &str| name.as_bytes() == text;
                    match names.get(next) {
                        Some(name) if is(name) => Some(next),
                        _ => names.iter().position(|n| is(n)),
                    }
                }
                true => {
                    let text = key.decoded();
                    names.iter().position(|n| *n == text)
                }
            };
            next = found.map_or(next, |i| i + 1);
            match found.map(|i| slots.get_mut(i)) {
                Some(Some(slot @ None)) => *slot = Some(value),
                Some(_) => return Err(value.field_error(&key.decoded(), "duplicate field", &[])),
                None if deny_unknown => return Err(value.field_error(&key.decoded(), "unknown field", names)),
                None => {}
            }
        }
        Ok(Fields {
            object: self,
            names,
            slots,
        })
    }

    /// `duplicate field `key``, or `unknown field `key`, expected ...`.
    #[cold]
    #[inline(never)]
    fn field_error(self, key: &str, what: &str, expected: &[&str]) -> Error {
        let message = match (what, expected) {
            ("unknown field", []) => format!("{what} `{key}`, there are no fields"),
            ("unknown field", names) => format!("{what} `{key}`, expected {}", one_of(names)),
            _ => format!("{what} `{key}`"),
        };
        self.error(message).in_member(key)
    }

    /// The variant of an externally tagged enum: its name as a string, or
    /// `{"name": content}`.
    pub fn variant(self, names: &'static [&'static str]) -> Result<Variant<'a>, Error> {
        let (name, content) = match self.node() {
            Node { kind: Kind::String, .. } => (self.decoded(), None),
            Node {
                kind: Kind::Object,
                a: 1,
                ..
            } => {
                let mut members = self.members()?;
                match members.next() {
                    Some((name, content)) => (name, Some(content)),
                    None => return Err(self.invalid_type("a variant name")),
                }
            }
            Node { kind: Kind::Object, .. } => {
                return Err(self.error(format!(
                    "expected an object with one key, the variant ({})",
                    one_of(names)
                )))
            }
            _ => return Err(self.invalid_type(&format!("a variant name ({})", one_of(names)))),
        };
        match names.iter().position(|n| *n == name) {
            Some(index) => Ok(Variant {
                index,
                name: names[index],
                content,
                whole: self,
            }),
            None => Err(self.error(format!("unknown variant `{name}`, expected {}", one_of(names)))),
        }
    }

    /// A string node's text, escapes decoded.
    fn decoded(self) -> Cow<'a, str> {
        let text = self.text();
        if !self.node().flag {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('b') => out.push('\u{8}'),
                Some('f') => out.push('\u{c}'),
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('t') => out.push('\t'),
                Some('u') => {
                    let unit = hex4(&mut chars);
                    let c = if (0xD800..0xDC00).contains(&unit) {
                        // validated by the parser: a low surrogate follows
                        chars.nth(1);
                        let low = hex4(&mut chars);
                        0x10000 + ((unit - 0xD800) << 10) + (low.wrapping_sub(0xDC00) & 0x3FF)
                    } else {
                        unit
                    };
                    out.push(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
                }
                Some(other) => out.push(other),
                None => {}
            }
        }
        Cow::Owned(out)
    }
}

/// Four hex digits (validated by the parser).
fn hex4(chars: &mut std::str::Chars<'_>) -> u32 {
    chars.take(4).fold(0, |n, c| n * 16 + c.to_digit(16).unwrap_or(0))
}

/// A walk over the children of an array or object: `left` more, the next
/// at node `next`.
#[derive(Debug, Clone)]
struct Children<'a> {
    doc: &'a Document<'a>,
    next: usize,
    left: usize,
}

impl<'a> Children<'a> {
    /// The node of the next child, whose value is `value_at` nodes further
    /// (1 past an object member's key).
    fn advance(&mut self, value_at: usize) -> Option<usize> {
        self.left = self.left.checked_sub(1)?;
        let at = self.next;
        self.next = after(self.doc, at + value_at);
        Some(at)
    }

    fn value(&self, at: usize) -> Value<'a> {
        Value { doc: self.doc, at }
    }
}

/// Index of the node after the value at `at` and its descendants.
fn after(doc: &Document<'_>, at: usize) -> usize {
    match doc.nodes[at] {
        Node {
            kind: Kind::Array | Kind::Object,
            b,
            ..
        } => b as usize,
        _ => at + 1,
    }
}

/// The elements of an array.
#[derive(Debug, Clone)]
pub struct Elements<'a>(Children<'a>);

impl<'a> Iterator for Elements<'a> {
    type Item = Value<'a>;

    fn next(&mut self) -> Option<Value<'a>> {
        let at = self.0.advance(0)?;
        Some(self.0.value(at))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.0.left, Some(self.0.left))
    }
}

impl ExactSizeIterator for Elements<'_> {}

/// The members of an object.
#[derive(Debug, Clone)]
pub struct Members<'a>(Children<'a>);

impl<'a> Iterator for Members<'a> {
    type Item = (Cow<'a, str>, Value<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let at = self.0.advance(1)?;
        Some((self.0.value(at).decoded(), self.0.value(at + 1)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.0.left, Some(self.0.left))
    }
}

/// The fields of an object, as [`Value::fields`] found them.
#[derive(Debug)]
pub struct Fields<'a, 's> {
    object: Value<'a>,
    names: &'static [&'static str],
    slots: &'s [Option<Value<'a>>],
}

impl<'a> Fields<'a, '_> {
    /// The value of field `i`, if given.
    #[inline(never)]
    fn value(&self, i: usize) -> Option<Value<'a>> {
        self.slots.get(i).copied().flatten()
    }

    /// `e`, inside field `i`.
    #[cold]
    #[inline(never)]
    fn inside(&self, i: usize, e: Error) -> Error {
        e.in_member(self.names.get(i).copied().unwrap_or_default())
    }

    #[cold]
    #[inline(never)]
    fn missing(&self, i: usize) -> Error {
        let name = self.names.get(i).copied().unwrap_or_default();
        self.object.error(format!("missing field `{name}`"))
    }

    /// Field `i`: an error when it is absent and its type has no absent value.
    #[inline(always)]
    pub fn get<T: super::FromJson>(&self, i: usize) -> Result<T, Error> {
        match self.value(i) {
            Some(v) => T::from_json(v).map_err(|e| self.inside(i, e)),
            None => T::absent().ok_or_else(|| self.missing(i)),
        }
    }

    /// Field `i`, or the type's default when absent.
    #[inline(always)]
    pub fn get_or_default<T: super::FromJson + Default>(&self, i: usize) -> Result<T, Error> {
        match self.value(i) {
            Some(v) => T::from_json(v).map_err(|e| self.inside(i, e)),
            None => Ok(T::default()),
        }
    }
}

/// The variant of an enum value, as [`Value::variant`] found it.
#[derive(Debug, Clone, Copy)]
pub struct Variant<'a> {
    index: usize,
    name: &'static str,
    content: Option<Value<'a>>,
    whole: Value<'a>,
}

impl<'a> Variant<'a> {
    /// Its position in the names given.
    pub fn index(&self) -> usize {
        self.index
    }

    /// A variant without content: written as its name alone.
    pub fn unit(&self) -> Result<(), Error> {
        match self.content {
            None => Ok(()),
            Some(_) => Err(self
                .whole
                .error(format!("`{0}` takes no value: write \"{0}\"", self.name))),
        }
    }

    /// The content of a variant with one value.
    pub fn newtype<T: super::FromJson>(&self) -> Result<T, Error> {
        self.content(T::from_json)
    }

    /// The content of a variant, read by `read`.
    pub fn content<T>(&self, read: impl FnOnce(Value<'a>) -> Result<T, Error>) -> Result<T, Error> {
        match self.content {
            Some(content) => read(content).map_err(|e| e.in_member(self.name)),
            None => Err(self
                .whole
                .error(format!("`{0}` needs a value: {{\"{0}\": ...}}", self.name))),
        }
    }
}
