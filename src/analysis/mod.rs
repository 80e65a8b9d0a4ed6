//! What the results mean: per-origin impact of a change, weighted summaries, catchments and
//! reassignment, circuity flags.

mod catchment;
mod circuity;
pub mod equity;
mod impact;
mod outcomes;
mod quantile;
pub mod select;
mod summary;
pub mod uncertainty;

pub use catchment::{Catchment, Reassignment};
pub use circuity::{Circuity, CircuityRule};
pub use equity::{Equity, Measure};
pub use impact::{Impact, OriginImpact};
pub use outcomes::Outcomes;
pub use select::{CostMatrix, Goal, NODE_BUDGET, Selection};
pub use summary::{Distribution, Side, Summary, WITHIN_M, WITHIN_S};
