//! Scenarios: named sets of facilities that are open.

use crate::error::{Error, Result};
use crate::load::facility::{Facilities, Site};

/// Index of a facility in its [`Scenario`] (its rank: facilities are ordered by id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FacilityIdx(u32);

impl FacilityIdx {
    /// From a rank.
    pub const fn new(rank: usize) -> Self {
        Self(rank as u32)
    }
    /// The rank.
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

/// One facility of a scenario with all its sites.
#[derive(Debug, Clone, PartialEq)]
pub struct Facility {
    /// Facility id.
    pub id: String,
    /// Display name: the site's name, or for several sites the part their names share.
    pub name: String,
    /// Its sites, in file order.
    pub sites: Vec<Site>,
}

impl Facility {
    /// True if at least one site has a point.
    pub fn is_located(&self) -> bool {
        self.sites.iter().any(|s| s.point().is_some())
    }
}

/// A named set of open facilities, ordered by id. A facility's position in that order is its
/// *rank*, which breaks ties (equal cost goes to the lower rank).
///
/// ```
/// use travel_impact::{Facilities, Locator, Scenario};
/// let f = Facilities::from_csv("data/facilities.csv".as_ref(), &Locator::default()).unwrap();
/// let hubs = Scenario::from_column("hubs-2017", &f, "hub_2017", &["yes"]).unwrap();
/// assert_eq!(hubs.facilities().len(), 9);
/// assert!(hubs.not_located().is_empty());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    name: String,
    facilities: Vec<Facility>,
}

impl Scenario {
    /// A scenario of the given facility ids (duplicates are merged). Unknown ids and an empty list
    /// are errors.
    pub fn new<'a>(
        name: &str,
        all: &Facilities,
        ids: impl IntoIterator<Item = &'a str>,
    ) -> Result<Self> {
        let mut ids: Vec<&str> = ids.into_iter().collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Err(Error::EmptyScenario {
                scenario: name.to_string(),
            });
        }
        let mut facilities = Vec::with_capacity(ids.len());
        for id in ids {
            let sites: Vec<Site> = all.sites_of(id).cloned().collect();
            if sites.is_empty() {
                return Err(Error::UnknownFacility {
                    scenario: name.to_string(),
                    id: id.to_string(),
                });
            }
            facilities.push(Facility {
                id: id.to_string(),
                name: shared_name(&sites),
                sites,
            });
        }
        Ok(Self {
            name: name.to_string(),
            facilities,
        })
    }

    /// The facilities with a site whose `column` is one of `values` (see [`Facilities::select`]).
    pub fn from_column(
        name: &str,
        all: &Facilities,
        column: &str,
        values: &[&str],
    ) -> Result<Self> {
        Self::new(name, all, all.select(column, values))
    }

    /// Name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// One facility.
    pub fn facility(&self, idx: FacilityIdx) -> &Facility {
        &self.facilities[idx.index()]
    }
    /// Facilities, ordered by id (index = rank).
    pub fn facilities(&self) -> &[Facility] {
        &self.facilities
    }
    /// Whether the scenario includes facility `id`.
    pub fn contains(&self, id: &str) -> bool {
        self.facilities
            .binary_search_by(|f| f.id.as_str().cmp(id))
            .is_ok()
    }
    /// Facilities with no located site: they cannot be reached and are reported as such.
    pub fn not_located(&self) -> Vec<&Facility> {
        self.facilities.iter().filter(|f| !f.is_located()).collect()
    }
    /// Number of facilities with at least one located site.
    pub fn located_count(&self) -> usize {
        self.facilities.iter().filter(|f| f.is_located()).count()
    }
    /// True if every facility of `self` is also in `other`.
    pub fn is_subset_of(&self, other: &Scenario) -> bool {
        self.facilities.iter().all(|f| other.contains(&f.id))
    }
}

fn shared_name(sites: &[Site]) -> String {
    let first = sites[0].name.as_str();
    if sites.len() == 1 {
        return first.to_string();
    }
    let mut n = first.len();
    for s in &sites[1..] {
        n = first
            .char_indices()
            .zip(s.name.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(n);
    }
    let name = first[..n]
        .trim_end_matches([' ', '-', '/', '(', ','])
        .trim();
    if name.is_empty() {
        sites[0].facility.clone()
    } else {
        name.to_string()
    }
}
