//! Origins: where people start from (a home, a postcode, an area's centroid), with a weight and
//! any groups (district, deprivation decile, …) for breakdowns.

use std::sync::Arc;

use compact_str::CompactString;

use crate::geom::Xy;
use crate::random::mix;

/// Group values of an origin by key (`district`, `imd_decile`, or any column of a user's file).
/// The whole set is shared: origins with the same groups (every home of an area) hold one pointer
/// to it, 8 bytes an origin, and changing one origin's groups copies its set first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Groups(Option<Arc<Vec<Pair>>>);

/// One group: key and value.
pub(crate) type Pair = (Arc<str>, Arc<str>);

/// Sets `key` to `value` in `pairs` (kept sorted by key), replacing any value.
pub(crate) fn put(pairs: &mut Vec<Pair>, key: Arc<str>, value: Arc<str>) {
    match pairs.binary_search_by(|(k, _)| k.as_ref().cmp(&key)) {
        Ok(i) => pairs[i].1 = value,
        Err(i) => pairs.insert(i, (key, value)),
    }
}

impl Groups {
    /// No groups.
    pub fn new() -> Self {
        Self::default()
    }
    /// The set of `pairs` (sorted by key, as [`put`] keeps them); none if empty.
    pub(crate) fn from_pairs(pairs: Vec<Pair>) -> Self {
        Self((!pairs.is_empty()).then(|| Arc::new(pairs)))
    }
    /// Whether both are the very same shared set (tests of the sharing).
    #[cfg(test)]
    pub(crate) fn ptr_eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }
    fn pairs(&self) -> &[Pair] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }
    /// The value of `key`, if any.
    pub fn get(&self, key: &str) -> Option<&str> {
        let pairs = self.pairs();
        pairs
            .binary_search_by(|(k, _)| k.as_ref().cmp(key))
            .ok()
            .map(|i| pairs[i].1.as_ref())
    }
    /// Sets `key` to `value` (replacing any value).
    pub fn insert(&mut self, key: impl Into<Arc<str>>, value: impl Into<Arc<str>>) {
        put(
            Arc::make_mut(self.0.get_or_insert_with(Default::default)),
            key.into(),
            value.into(),
        );
    }
    /// (key, value) pairs, by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs().iter().map(|(k, v)| (k.as_ref(), v.as_ref()))
    }
    /// Number of groups.
    pub fn len(&self) -> usize {
        self.pairs().len()
    }
    /// True if there are none.
    pub fn is_empty(&self) -> bool {
        self.pairs().is_empty()
    }
}

/// A place people travel from. 56 bytes, with no heap allocation of its own for ids of up to
/// 24 bytes (postcodes, area codes, `line N`): a million origins fit in 56 MB.
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
    pub id: CompactString,
    /// Position, in the network's CRS.
    pub point: Xy,
    /// Weight in summaries (e.g. children aged 0-4). Must be finite and >= 0.
    pub weight: f64,
    /// Groups for breakdowns (a display `name` is kept here too when it differs from the id).
    pub groups: Groups,
}

impl Origin {
    /// An origin with weight 1 and no groups.
    pub fn new(id: impl Into<CompactString>, point: Xy) -> Self {
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

    /// What results made for this origin at position `i` depend on (its point and weight),
    /// mixed into 64 bits: see [`fingerprint`].
    #[inline]
    pub(crate) fn fingerprint(&self, i: usize) -> u64 {
        // Each value turned and laid over the others: a bijection of any one, given the rest.
        let (x, y, w) = (
            self.point.x_m.to_bits(),
            self.point.y_m.to_bits(),
            self.weight.to_bits(),
        );
        mix((i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
            ^ x
            ^ y.rotate_left(21)
            ^ w.rotate_left(42))
    }

    /// What a snap made for this origin at position `i` depends on (its point alone), mixed
    /// into 64 bits: see [`point_fingerprint`].
    #[inline]
    pub(crate) fn point_fingerprint(&self, i: usize) -> u64 {
        let (x, y) = (self.point.x_m.to_bits(), self.point.y_m.to_bits());
        mix((i as u64).wrapping_mul(0xD1B5_4A32_D192_ED03) ^ x ^ y.rotate_left(29))
    }
}

/// A fingerprint of `origins`' points alone, by position: the wrapping sum of
/// [`Origin::point_fingerprint`]. Snaps record it (see [`Prints`]), so that using them with
/// origins moved or reordered since is an error rather than each origin reading another's snap.
pub(crate) fn point_fingerprint(origins: &[Origin]) -> u64 {
    summed(origins, Origin::point_fingerprint)
}

/// Both fingerprints of some origins, as their snaps record them: of points and weights
/// ([`fingerprint`]: outcomes made from these snaps sum the same in their own pass, so that the
/// usual case costs them one comparison) and of points alone ([`point_fingerprint`]: read only
/// when the first differs, as it does for origins reweighted since, which the snaps still
/// serve).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Prints {
    pub(crate) origins: u64,
    pub(crate) points: u64,
}

impl Prints {
    /// Origin `o`'s terms at position `i`.
    #[inline]
    pub(crate) fn of(o: &Origin, i: usize) -> Self {
        Self {
            origins: o.fingerprint(i),
            points: o.point_fingerprint(i),
        }
    }
    /// The two sums with `other`'s added.
    pub(crate) fn add(self, other: Self) -> Self {
        Self {
            origins: self.origins.wrapping_add(other.origins),
            points: self.points.wrapping_add(other.points),
        }
    }
}

impl rayon::iter::ParallelExtend<Prints> for Prints {
    fn par_extend<I: rayon::iter::IntoParallelIterator<Item = Prints>>(&mut self, terms: I) {
        use rayon::prelude::*;
        *self = self.add(terms.into_par_iter().reduce(Prints::default, Prints::add));
    }
}

/// A fingerprint of `origins`' points and weights, by position: the wrapping sum of
/// [`Origin::fingerprint`], the same whatever the thread count. Results made for some origins
/// (outcomes, and the summaries they keep) record it, so that using them with origins moved or
/// reweighted since is an error rather than a silent mix. Changing any one value (a coordinate
/// or a weight) always changes it, as each term is a bijection of that value given the rest;
/// other changes leave it equal only by coincidence (a 64-bit one). Bits are compared, so a
/// weight of -0.0 for 0.0 counts as a change.
pub(crate) fn fingerprint(origins: &[Origin]) -> u64 {
    summed(origins, Origin::fingerprint)
}

/// The wrapping sum of `term(origin, position)` over `origins`, in parallel: the same whatever
/// the thread count, as wrapping addition is associative and commutative.
fn summed(origins: &[Origin], term: impl Fn(&Origin, usize) -> u64 + Sync + Send) -> u64 {
    use rayon::prelude::*;
    origins
        .par_iter()
        .enumerate()
        .map(|(i, o)| term(o, i))
        .reduce(|| 0, u64::wrapping_add)
}
