//! A road's other facts as `key=value` tags, compact: one small sorted slice a road, with keys and
//! values shared across the network (a county has a few dozen distinct tags, not one per road).

use std::collections::BTreeMap;
use std::sync::Arc;

/// Tags of one road, sorted by key.
///
/// ```
/// use travel_impact::{NetworkBuilder, RoadSpec, geom::Xy};
/// let mut b = NetworkBuilder::new();
/// b.node(1, Xy::new(0.0, 0.0)).node(2, Xy::new(100.0, 0.0));
/// b.road(RoadSpec::new(7, 1, 2).tag("foot", "yes"));
/// let network = b.build()?;
/// let road = &network.roads()[0];
/// assert_eq!(road.tags.get("foot"), Some("yes"));
/// assert_eq!(road.tags.iter().collect::<Vec<_>>(), [("foot", "yes")]);
/// # Ok::<(), travel_impact::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags(Box<[(Arc<str>, Arc<str>)]>);

impl Tags {
    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .binary_search_by(|(k, _)| k.as_ref().cmp(key))
            .ok()
            .map(|i| self.0[i].1.as_ref())
    }
    /// (key, value) pairs, by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), v.as_ref()))
    }
    /// Number of tags.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// True if there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Shares equal strings while a network is built.
#[derive(Debug, Default)]
pub(crate) struct Interner(foldhash::HashMap<String, Arc<str>>);

impl Interner {
    pub(crate) fn get(&mut self, s: String) -> Arc<str> {
        if let Some(a) = self.0.get(&s) {
            return a.clone();
        }
        let a: Arc<str> = s.as_str().into();
        self.0.insert(s, a.clone());
        a
    }
    pub(crate) fn tags(&mut self, tags: BTreeMap<String, String>) -> Tags {
        Tags(
            tags.into_iter()
                .map(|(k, v)| (self.get(k), self.get(v)))
                .collect(),
        )
    }
}
