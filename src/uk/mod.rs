//! Great Britain's data: postcodes (a [`Geocoder`](crate::Geocoder)), districts, LSOAs with
//! population and deprivation, and synthetic homes spread within LSOAs. Behind the `uk` feature
//! (on by default).

pub(crate) mod district;
mod lsoa;
mod postcode;
mod synthetic;

pub use district::District;
pub use lsoa::{Imd, Lsoa, Population};
pub use postcode::{
    PostcodeDirectory, PostcodeError, PostcodeLocated, PostcodeRecord, PostcodeStatus, normalise,
};
pub use synthetic::{LsoaPolygons, SplitMix64, Spread, synthetic_homes};
