//! Origins: where people start from (a home, a postcode, an area's centroid), with a weight and
//! any groups (district, deprivation decile, …) for breakdowns.

use std::sync::Arc;

use crate::geom::Xy;

/// Group values of an origin by key (`district`, `imd_decile`, or any column of a user's file).
/// Keys and values are shared, so a million origins in a few districts hold a few strings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Groups(Vec<(Arc<str>, Arc<str>)>);

impl Groups {
    /// No groups.
    pub fn new() -> Self {
        Self::default()
    }
    /// The value of `key`, if any.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .binary_search_by(|(k, _)| k.as_ref().cmp(key))
            .ok()
            .map(|i| self.0[i].1.as_ref())
    }
    /// Sets `key` to `value` (replacing any value).
    pub fn insert(&mut self, key: impl Into<Arc<str>>, value: impl Into<Arc<str>>) {
        let (key, value) = (key.into(), value.into());
        match self.0.binary_search_by(|(k, _)| k.as_ref().cmp(&key)) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (key, value)),
        }
    }
    /// (key, value) pairs, by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), v.as_ref()))
    }
    /// Number of groups.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// True if there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A place people travel from.
///
/// ```
/// use travel_impact::{Origin, geom::Xy};
/// let home = Origin::new("home", Xy::new(480_000.0, 210_000.0))
///     .with_weight(2.0)
///     .with_group("district", "Aylesbury Vale");
/// assert_eq!(home.group("district"), Some("Aylesbury Vale"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    /// Unique id (e.g. an area code or a postcode).
    pub id: String,
    /// Position, in the network's CRS.
    pub point: Xy,
    /// Weight in summaries (e.g. children aged 0-4). Must be finite and >= 0.
    pub weight: f64,
    /// Groups for breakdowns (a display `name` is kept here too when it differs from the id).
    pub groups: Groups,
}

impl Origin {
    /// An origin with weight 1 and no groups.
    pub fn new(id: impl Into<String>, point: Xy) -> Self {
        Self {
            id: id.into(),
            point,
            weight: 1.0,
            groups: Groups::new(),
        }
    }
    /// With a weight.
    pub fn with_weight(mut self, weight: f64) -> Self {
        self.weight = weight;
        self
    }
    /// With one more group value.
    pub fn with_group(mut self, key: impl Into<Arc<str>>, value: impl Into<Arc<str>>) -> Self {
        self.groups.insert(key, value);
        self
    }
    /// The value of group `key`, if any.
    pub fn group(&self, key: &str) -> Option<&str> {
        self.groups.get(key)
    }
    /// The display name: the `name` group, else the id.
    pub fn name(&self) -> &str {
        self.group("name").unwrap_or(&self.id)
    }
}
