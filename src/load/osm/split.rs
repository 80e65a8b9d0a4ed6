//! Ways into roads: a way is cut at every node it shares with another taken way (or with itself),
//! so roads meet only at junctions. Ways that cross without a shared node (a bridge over a road)
//! do not meet.

use super::way::RawWay;

/// Largest number of roads one way may give: road ids are `way id × 10,000 + k`. (OSM's API allows
/// 2,000 nodes in a way, so at most 1,999 roads.)
pub(crate) const MAX_ROADS_PER_WAY: usize = 10_000;

/// One road cut from a way: the way's index, its number within the way, and its nodes (indices
/// into the sorted list of referenced nodes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Piece {
    pub(crate) way: usize,
    pub(crate) k: usize,
    pub(crate) nodes: Vec<u32>,
}

/// The roads cut from `ways`, in way order, given which referenced nodes have coordinates.
#[derive(Debug, Default)]
pub(crate) struct Split {
    pub(crate) pieces: Vec<Piece>,
    /// Per referenced node: whether it ends a road (a junction of the network).
    pub(crate) junction: Vec<bool>,
    /// References to nodes the file does not hold (ways cut at the extract's edge).
    pub(crate) missing_refs: usize,
    /// Ways with no two consecutive distinct nodes in the file (nothing to travel along).
    pub(crate) degenerate_ways: usize,
}

/// The sorted, distinct node ids referenced by `ways`.
pub(crate) fn referenced_nodes(ways: &[RawWay]) -> Vec<u64> {
    let mut ids: Vec<u64> = ways.iter().flat_map(|w| w.refs.iter().copied()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Cuts `ways` into roads. `nodes` is [`referenced_nodes`]; `located[i]` says whether node `i`
/// has coordinates. Returns an error message naming the way if one gives too many roads.
pub(crate) fn split(ways: &[RawWay], nodes: &[u64], located: &[bool]) -> Result<Split, String> {
    let mut out = Split {
        junction: vec![false; nodes.len()],
        ..Split::default()
    };
    // Runs of located nodes without repeats in a row; a missing node cuts the way.
    let mut runs: Vec<(usize, Vec<u32>)> = Vec::new();
    let mut uses = vec![0u32; nodes.len()];
    for (w, way) in ways.iter().enumerate() {
        let before = runs.len();
        let mut run: Vec<u32> = Vec::new();
        for r in &way.refs {
            let i = nodes.binary_search(r).expect("every reference is listed") as u32;
            if !located[i as usize] {
                out.missing_refs += 1;
                if run.len() >= 2 {
                    runs.push((w, std::mem::take(&mut run)));
                }
                run.clear();
                continue;
            }
            if run.last() != Some(&i) {
                run.push(i);
            }
        }
        if run.len() >= 2 {
            runs.push((w, run));
        }
        if runs.len() == before {
            out.degenerate_ways += 1;
        }
    }
    for (_, run) in &runs {
        for &i in run {
            uses[i as usize] = uses[i as usize].saturating_add(1);
        }
        out.junction[run[0] as usize] = true;
        out.junction[*run.last().expect("runs have two nodes") as usize] = true;
    }
    for (i, &n) in uses.iter().enumerate() {
        if n >= 2 {
            out.junction[i] = true;
        }
    }
    let mut k = 0;
    let mut last_way = usize::MAX;
    for (w, run) in runs {
        if w != last_way {
            k = 0;
            last_way = w;
        }
        let mut start = 0;
        for j in 1..run.len() {
            if out.junction[run[j] as usize] {
                if k >= MAX_ROADS_PER_WAY {
                    return Err(format!(
                        "way {} has more than {} junctions along it",
                        ways[w].id,
                        MAX_ROADS_PER_WAY - 1
                    ));
                }
                out.pieces.push(Piece {
                    way: w,
                    k,
                    nodes: run[start..=j].to_vec(),
                });
                k += 1;
                start = j;
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn way(id: u64, refs: &[u64]) -> RawWay {
        RawWay {
            id,
            refs: refs.to_vec(),
            tags: Vec::new(),
        }
    }

    fn ids(s: &Split, nodes: &[u64]) -> Vec<(u64, usize, Vec<u64>)> {
        s.pieces
            .iter()
            .map(|p| {
                (
                    p.way as u64,
                    p.k,
                    p.nodes.iter().map(|&i| nodes[i as usize]).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn cut_at_shared_nodes_only() {
        // Way 0: 1-2-3-4-5. Way 1: 10-3-11 shares node 3. Way 2: 20-21 shares nothing.
        let ways = [
            way(7, &[1, 2, 3, 4, 5]),
            way(8, &[10, 3, 11]),
            way(9, &[20, 21]),
        ];
        let nodes = referenced_nodes(&ways);
        let s = split(&ways, &nodes, &vec![true; nodes.len()]).unwrap();
        assert_eq!(
            ids(&s, &nodes),
            vec![
                (0, 0, vec![1, 2, 3]),
                (0, 1, vec![3, 4, 5]),
                (1, 0, vec![10, 3]),
                (1, 1, vec![3, 11]),
                (2, 0, vec![20, 21]),
            ]
        );
        let junctions: Vec<u64> = nodes
            .iter()
            .zip(&s.junction)
            .filter(|(_, j)| **j)
            .map(|(n, _)| *n)
            .collect();
        assert_eq!(junctions, [1, 3, 5, 10, 11, 20, 21]);
    }

    #[test]
    fn missing_nodes_cut_the_way_and_repeats_collapse() {
        // Node 3 is not in the file; node 2 is repeated.
        let ways = [way(7, &[1, 2, 2, 3, 4, 5])];
        let nodes = referenced_nodes(&ways);
        let located: Vec<bool> = nodes.iter().map(|&n| n != 3).collect();
        let s = split(&ways, &nodes, &located).unwrap();
        assert_eq!(
            ids(&s, &nodes),
            vec![(0, 0, vec![1, 2]), (0, 1, vec![4, 5])]
        );
        assert_eq!(s.missing_refs, 1);
    }

    #[test]
    fn rings_and_self_touching_ways() {
        // A closed ring 1-2-3-1 is one loop road from node 1 back to node 1.
        let ways = [way(7, &[1, 2, 3, 1])];
        let nodes = referenced_nodes(&ways);
        let s = split(&ways, &nodes, &[true; 3]).unwrap();
        assert_eq!(ids(&s, &nodes), vec![(0, 0, vec![1, 2, 3, 1])]);
        // A way through node 2 twice is cut there.
        let ways = [way(7, &[1, 2, 3, 4, 2, 5])];
        let nodes = referenced_nodes(&ways);
        let s = split(&ways, &nodes, &[true; 5]).unwrap();
        assert_eq!(
            ids(&s, &nodes),
            vec![
                (0, 0, vec![1, 2]),
                (0, 1, vec![2, 3, 4, 2]),
                (0, 2, vec![2, 5])
            ]
        );
        // A way of one node, or of one node repeated, gives nothing.
        let ways = [way(7, &[1]), way(8, &[2, 2])];
        let nodes = referenced_nodes(&ways);
        let s = split(&ways, &nodes, &[true; 2]).unwrap();
        assert!(s.pieces.is_empty());
        assert_eq!(s.degenerate_ways, 2);
    }
}
