//! What comes out: text tables for a terminal; CSV and GeoJSON; maps (SVG, PNG); impact reports
//! (Markdown, HTML).

mod csv;
mod document;
mod fixed;
mod map;
mod record;
pub mod report;

pub use self::csv::{
    write_catchments_to, write_csv, write_csv_to, write_geojson_to, write_nearest_to,
    write_reassignment_to, write_summaries_to,
};
pub use self::document::{ImpactReport, REPORT_SECTIONS, ReportInputs};
pub use self::map::{Map, MapMeasure, MapOptions, UK_ATTRIBUTION};
