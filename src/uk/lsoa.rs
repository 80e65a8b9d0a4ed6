//! England's 2011 Lower Layer Super Output Areas: population-weighted centroids, population and
//! deprivation (IMD) deciles, as origins.

use std::path::Path;

use crate::error::Result;
use crate::geom::Xy;
use crate::load::Origin;
use crate::load::table::{Table, open};
use crate::uk::district::District;

/// Which population weights an LSOA origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Population {
    /// Children aged 0-4, ONS mid-2017 estimate.
    Under5Mid2017,
    /// Children aged 0-4, ONS mid-2019 estimate.
    Under5Mid2019,
    /// All residents, mid-2017.
    TotalMid2017,
    /// All residents, mid-2019.
    TotalMid2019,
}

/// Which edition of the Index of Multiple Deprivation gives an LSOA's decile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Imd {
    /// IMD 2015 (before the 2017 proposal).
    Imd2015,
    /// IMD 2019 (the year of the closures).
    Imd2019,
}

/// One 2011 Lower Layer Super Output Area with its population-weighted centroid.
#[derive(Debug, Clone, PartialEq)]
pub struct Lsoa {
    /// GSS code, e.g. E01017627.
    pub code: String,
    /// Name, e.g. "Aylesbury Vale 021A".
    pub name: String,
    /// District (pre-2020) code.
    pub district_code: String,
    /// District name.
    pub district_name: String,
    /// Population-weighted centroid, BNG metres.
    pub centroid: Xy,
    /// IMD 2015 decile.
    pub imd2015_decile: u8,
    /// IMD 2019 decile.
    pub imd2019_decile: u8,
    /// Aged 0-4, mid-2017.
    pub under5_mid2017: f64,
    /// Aged 0-4, mid-2019.
    pub under5_mid2019: f64,
    /// All residents, mid-2017.
    pub total_mid2017: f64,
    /// All residents, mid-2019.
    pub total_mid2019: f64,
}

impl Lsoa {
    /// Loads the LSOA table (`lsoa11_code, lsoa11_name, lad19_code, lad19_name, imd2015_decile,
    /// imd2019_decile, pop_0_4_mid2017, pop_0_4_mid2019, pop_total_mid2017, pop_total_mid2019,
    /// pwc_easting, pwc_northing`).
    ///
    /// ```
    /// use travel_impact::uk::{Imd, Lsoa, Population};
    /// let lsoas = Lsoa::from_csv("data/lsoa11_bucks.csv".as_ref()).unwrap();
    /// assert_eq!(lsoas.len(), 319);
    /// let under5: f64 = lsoas.iter().map(|l| l.under5_mid2017).sum();
    /// assert_eq!(under5, 32_610.0);
    /// let o = lsoas[0].origin(Population::Under5Mid2017, Imd::Imd2019);
    /// assert_eq!(o.id, "E01017627");
    /// ```
    pub fn from_csv(path: &Path) -> Result<Vec<Lsoa>> {
        Self::from_reader(path, open(path)?)
    }

    /// Reads the LSOA table from any reader; `source` names it in errors.
    pub fn from_reader(source: &Path, reader: impl std::io::Read) -> Result<Vec<Lsoa>> {
        let mut t = Table::from_reader(source, reader)?;
        let c = |t: &Table, n: &str| t.column(n);
        let cols = [
            c(&t, "lsoa11_code")?,
            c(&t, "lsoa11_name")?,
            c(&t, "lad19_code")?,
            c(&t, "lad19_name")?,
            c(&t, "pwc_easting")?,
            c(&t, "pwc_northing")?,
            c(&t, "imd2015_decile")?,
            c(&t, "imd2019_decile")?,
            c(&t, "pop_0_4_mid2017")?,
            c(&t, "pop_0_4_mid2019")?,
            c(&t, "pop_total_mid2017")?,
            c(&t, "pop_total_mid2019")?,
        ];
        let mut out = Vec::new();
        while let Some(row) = t.next_row()? {
            let decile = |i: usize| -> Result<u8> {
                let d: u8 = row.parse(i, "a decile (1-10)")?;
                if (1..=10).contains(&d) {
                    Ok(d)
                } else {
                    Err(row.error(i, format!("{d} is not a decile (1-10)")))
                }
            };
            let count = |i: usize| -> Result<f64> {
                let v = row.finite(i)?;
                if v >= 0.0 {
                    Ok(v)
                } else {
                    Err(row.error(i, format!("{v} is negative")))
                }
            };
            out.push(Lsoa {
                code: row.str(cols[0]).to_string(),
                name: row.str(cols[1]).to_string(),
                district_code: row.str(cols[2]).to_string(),
                district_name: row.str(cols[3]).to_string(),
                centroid: Xy::new(row.finite(cols[4])?, row.finite(cols[5])?),
                imd2015_decile: decile(cols[6])?,
                imd2019_decile: decile(cols[7])?,
                under5_mid2017: count(cols[8])?,
                under5_mid2019: count(cols[9])?,
                total_mid2017: count(cols[10])?,
                total_mid2019: count(cols[11])?,
            });
        }
        if out.is_empty() {
            return Err(crate::error::Error::Empty {
                path: source.to_path_buf(),
                what: "no data rows",
            });
        }
        Ok(out)
    }

    /// The LSOA's district.
    pub fn district(&self) -> District {
        District::new(&self.district_code, &self.district_name)
    }

    /// This LSOA as an origin weighted by `population`, with groups `name`, `district` (name and
    /// code, e.g. "Aylesbury Vale (E07000004)") and `imd_decile` (of `imd`).
    pub fn origin(&self, population: Population, imd: Imd) -> Origin {
        let weight = match population {
            Population::Under5Mid2017 => self.under5_mid2017,
            Population::Under5Mid2019 => self.under5_mid2019,
            Population::TotalMid2017 => self.total_mid2017,
            Population::TotalMid2019 => self.total_mid2019,
        };
        let decile = match imd {
            Imd::Imd2015 => self.imd2015_decile,
            Imd::Imd2019 => self.imd2019_decile,
        };
        Origin::new(self.code.clone(), self.centroid)
            .with_weight(weight)
            .with_group("name", self.name.as_str())
            .with_group("district", self.district().to_string())
            .with_group("imd_decile", decile.to_string())
    }
}
