//! What comes out: text tables for a terminal, and CSV.

mod csv;
pub mod report;

pub use self::csv::{write_csv, write_csv_to};
