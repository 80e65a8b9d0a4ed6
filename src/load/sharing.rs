//! What the rows of a file have in common, held once: equal strings as one `Arc<str>` and equal
//! group sets as one [`Groups`] (8 bytes an origin), so that a million homes in a few dozen
//! (district, decile) pairs hold a few dozen sets rather than a million copies, and reading them
//! makes no heap allocation a row.

use std::borrow::Borrow;
use std::hash::Hash;
use std::sync::Arc;

use foldhash::{HashMap, HashMapExt};

use crate::load::origin::{Groups, Pair};

/// Rows between checks of whether a table still shares anything.
const CHECK_EVERY: usize = 1 << 16;

/// From a key to its shared value, until the table turns out to hold mostly distinct keys (a
/// column of unique ids): then it is dropped, as it would cost an entry a row and share nothing.
/// Whether and when it is dropped depends on the file's content alone, and either way every
/// value is the same text.
struct Table<K, V> {
    map: Option<HashMap<K, V>>,
}

impl<K: Eq + Hash, V: Clone> Table<K, V> {
    fn new() -> Self {
        Self {
            map: Some(HashMap::new()),
        }
    }

    /// The value held for `key`, else the one `make` gives (then held under `own(key)`, while
    /// the table is: a dropped table makes no key).
    fn get_or<Q>(&mut self, key: &Q, own: impl FnOnce(&Q) -> K, make: impl FnOnce() -> V) -> V
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let Some(map) = &mut self.map else {
            return make();
        };
        if let Some(v) = map.get(key) {
            return v.clone();
        }
        let v = make();
        map.insert(own(key), v.clone());
        v
    }

    /// Drops the table if it holds more entries than half of `rows`.
    fn check(&mut self, rows: usize) {
        if self.map.as_ref().is_some_and(|m| m.len() * 2 > rows) {
            self.map = None;
        }
    }
}

/// The shared strings and group sets of one file's rows.
pub(crate) struct Sharing {
    /// Per group column: a cell's text to the value shown for it (which a geocoder may name,
    /// once per distinct text).
    columns: Vec<Table<Box<str>, Arc<str>>>,
    /// Other strings (a geocoder's group keys and values): each itself, shared.
    strings: Table<Box<str>, Arc<str>>,
    sets: Table<Vec<Pair>, Groups>,
    rows: usize,
}

impl Sharing {
    /// For a file with `columns` group columns.
    pub(crate) fn new(columns: usize) -> Self {
        Self {
            columns: (0..columns).map(|_| Table::new()).collect(),
            strings: Table::new(),
            sets: Table::new(),
            rows: 0,
        }
    }

    /// Group column `c`'s cell `text`, shown as `show(text)` (called once per distinct text
    /// while the column shares).
    pub(crate) fn value(
        &mut self,
        c: usize,
        text: &str,
        show: impl FnOnce(&str) -> String,
    ) -> Arc<str> {
        self.columns[c].get_or(text, |t| t.into(), || show(text).into())
    }

    /// `s`, shared.
    pub(crate) fn string(&mut self, s: &str) -> Arc<str> {
        self.strings.get_or(s, |t| t.into(), || s.into())
    }

    /// The set of `pairs` (sorted by key), shared with every earlier row that had the same.
    pub(crate) fn groups(&mut self, pairs: &[Pair]) -> Groups {
        if pairs.is_empty() {
            return Groups::new();
        }
        self.sets.get_or(pairs, <[Pair]>::to_vec, || {
            Groups::from_pairs(pairs.to_vec())
        })
    }

    /// Counts one row; every [`CHECK_EVERY`] rows, the tables that share little are dropped.
    pub(crate) fn row_done(&mut self) {
        self.rows += 1;
        if self.rows.is_multiple_of(CHECK_EVERY) {
            let rows = self.rows;
            for t in &mut self.columns {
                t.check(rows);
            }
            self.strings.check(rows);
            self.sets.check(rows);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_sets_are_one_and_unique_columns_stop_sharing() {
        let mut s = Sharing::new(2);
        let key: Arc<str> = "district".into();
        let mut sets = Vec::new();
        for i in 0..3 * CHECK_EVERY {
            let district = s.value(0, ["A", "B"][i % 2], |t| format!("{t} (named)"));
            let id = s.value(1, &i.to_string(), str::to_string);
            sets.push(s.groups(&[(key.clone(), district)]));
            // A set with a unique value: the sets' table fills, then is dropped.
            let _ = s.groups(&[(key.clone(), id)]);
            s.row_done();
        }
        assert_eq!(sets[0].get("district"), Some("A (named)"));
        assert_eq!(sets[1].get("district"), Some("B (named)"));
        assert!(
            s.columns[1].map.is_none(),
            "a column of unique values stops sharing"
        );
        assert!(s.columns[0].map.as_ref().is_some_and(|m| m.len() == 2));
        assert!(s.sets.map.is_none());
        // Shared up to the check that dropped the sets' table; equal text after it.
        assert_eq!(sets[0], sets[2 * CHECK_EVERY]);
        assert!(
            sets[..CHECK_EVERY]
                .iter()
                .step_by(2)
                .all(|g| g.ptr_eq(&sets[0]))
        );
    }
}
