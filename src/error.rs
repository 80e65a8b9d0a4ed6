//! The crate's error type: every failure names the file, line and field it came from.

use std::path::PathBuf;

/// Result alias for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while loading data or setting up an analysis.
///
/// Problems with a single origin (it cannot be geocoded, snapped or routed) are not errors:
/// they are carried per row as a reason (see [`crate::Unreachable`]) so nothing is dropped.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// File that failed.
        path: PathBuf,
        /// Underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid CSV (bad quoting, invalid UTF-8, a row with the wrong number of fields).
    #[error("{path}:{line}: malformed CSV: {message}")]
    Csv {
        /// File that failed.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What the CSV reader reported.
        message: String,
    },
    /// The header lacks a column this loader needs.
    #[error("{path}: missing column `{column}` (header has: {header})")]
    MissingColumn {
        /// File that failed.
        path: PathBuf,
        /// Column that is required.
        column: String,
        /// The header as read, comma-separated.
        header: String,
    },
    /// The file has no header or no data rows.
    #[error("{path}: {what}")]
    Empty {
        /// File that failed.
        path: PathBuf,
        /// "no header row" or "no data rows".
        what: &'static str,
    },
    /// One field of one row has a value this loader cannot accept.
    #[error("{path}:{line}: field `{field}`: {message}")]
    Field {
        /// File that failed.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// Column name.
        field: String,
        /// What is wrong, with the offending value quoted.
        message: String,
    },
    /// The same id appears twice where ids must be unique.
    #[error("{path}:{line}: duplicate {what} id `{id}` (first seen on line {first_line})")]
    DuplicateId {
        /// File that failed.
        path: PathBuf,
        /// Line of the repeat.
        line: u64,
        /// Line of the first occurrence.
        first_line: u64,
        /// "node", "edge", "site" …
        what: &'static str,
        /// The repeated id.
        id: String,
    },
    /// A road refers to a node that does not exist.
    #[error("{path}:{line}: edge `{edge}` refers to missing node `{node}`")]
    MissingNode {
        /// File (or `<builder>`) that failed.
        path: PathBuf,
        /// Line of the edge.
        line: u64,
        /// Edge id.
        edge: String,
        /// The node id that was not found.
        node: String,
    },
    /// An OpenStreetMap PBF file that cannot be read (corrupt, truncated, or with data this
    /// loader refuses, such as a history file or a negative id).
    #[error("{path}: not a usable OSM PBF file: {message}")]
    Pbf {
        /// File that failed.
        path: PathBuf,
        /// What is wrong, and where (blob number, way or node id).
        message: String,
    },
    /// A GeoJSON file that cannot be used (not GeoJSON, or a feature this loader cannot read).
    #[error("{path}: {message}")]
    GeoJson {
        /// File that failed.
        path: PathBuf,
        /// What is wrong, naming the feature (by position and id).
        message: String,
    },
    /// A network without a single usable road.
    #[error("network has no usable roads")]
    EmptyNetwork,
    /// A scenario lists a facility id that the facility table does not have.
    #[error("scenario `{scenario}`: unknown facility id `{id}`")]
    UnknownFacility {
        /// Scenario name.
        scenario: String,
        /// The id that was not found.
        id: String,
    },
    /// A scenario with no facilities at all.
    #[error("scenario `{scenario}` has no facilities")]
    EmptyScenario {
        /// Scenario name.
        scenario: String,
    },
    /// A profile the engine has not prepared.
    #[error("unknown profile `{name}` (prepared: {known})")]
    UnknownProfile {
        /// The name asked for.
        name: String,
        /// The prepared profiles' names.
        known: String,
    },
    /// A named scenario that is not defined.
    #[error("unknown scenario `{0}`")]
    UnknownScenario(String),
    /// A row is located by postcode but no postcode directory was given to look it up in.
    #[error(
        "{path}:{line}: located by postcode, but no postcode directory was given (pass one to the loader)"
    )]
    NoPostcodeDirectory {
        /// File that failed.
        path: PathBuf,
        /// First row that needs the directory.
        line: u64,
    },
    /// Writing an output failed.
    #[error("writing {path}: {message}")]
    Write {
        /// File (or stream name) being written.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// An I/O error from the caller's own code (e.g. `std::fs::write(..)?` in a function returning
    /// this crate's `Result`); the crate's own I/O errors are [`Error::Io`], which names the file.
    #[error("I/O error: {0}")]
    OtherIo(#[from] std::io::Error),
    /// An option out of its valid range.
    #[error("invalid option `{option}`: {message}")]
    InvalidOption {
        /// Option name.
        option: &'static str,
        /// What is wrong.
        message: String,
    },
}
