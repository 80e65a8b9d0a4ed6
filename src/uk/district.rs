//! Local authority districts, named one way everywhere: GSS code and name.

use std::fmt;

/// A local authority district: its GSS code (e.g. `E07000004`) and its name (e.g. "Aylesbury
/// Vale"). Either may be empty when a source gives only the other. Ordered by name, then code.
///
/// ```
/// use travel_impact::uk::District;
/// let d = District::new("E07000004", "Aylesbury Vale");
/// assert_eq!(d.to_string(), "Aylesbury Vale (E07000004)");
/// assert_eq!(District::parse("E06000060").code, "E06000060");
/// assert_eq!(District::parse("Wycombe").name, "Wycombe");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct District {
    /// Name, e.g. "Aylesbury Vale".
    pub name: String,
    /// GSS code, e.g. "E07000004".
    pub code: String,
}

impl District {
    /// A district from its code and name.
    pub fn new(code: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            name: name.into(),
        }
    }

    /// A district from one cell that holds either a GSS code (a letter and eight digits) or a name.
    pub fn parse(s: &str) -> Self {
        let s = s.trim();
        if is_gss_code(s) {
            Self::new(s, "")
        } else {
            Self::new("", s)
        }
    }
}

/// Whether `s` is shaped like a GSS code: one letter (E, W, S, N) and eight digits.
pub(crate) fn is_gss_code(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 9
        && matches!(b[0], b'E' | b'W' | b'S' | b'N')
        && b[1..].iter().all(u8::is_ascii_digit)
}

impl fmt::Display for District {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.name.is_empty(), self.code.is_empty()) {
            (false, false) => write!(f, "{} ({})", self.name, self.code),
            (false, true) => f.write_str(&self.name),
            _ => f.write_str(&self.code),
        }
    }
}
