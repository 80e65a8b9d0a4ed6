//! Every CSV loader, on arbitrary bytes: Ok or a typed error, never a panic; origin files account
//! for every row and name real lines.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use travel_impact::uk::{Lsoa, PostcodeDirectory};
use travel_impact::{Facilities, Locator, Network, origins_from_reader};

const DIRECTORY: &str = "postcode,easting,northing,district,status\n\
                         HP19 8FF,480984,214400,E06000060,live\n\
                         HP1 1AA,505728,206630,E07000096,terminated\n\
                         HP12 9AB,,,,terminated\n";

fuzz_target!(|data: &[u8]| {
    let Some((&which, input)) = data.split_first() else {
        return;
    };
    let p = Path::new("fuzz.csv");
    match which % 6 {
        0 => {
            let dir = PostcodeDirectory::from_reader(p, DIRECTORY.as_bytes()).unwrap();
            let _ = Facilities::from_reader(p, input, &Locator::default().with_geocoder(&dir));
        }
        1 => {
            let _ = PostcodeDirectory::from_reader(p, input);
        }
        2 => {
            let _ = Lsoa::from_reader(p, input);
        }
        3 => {
            let mid = input.len() / 2;
            let _ = Network::from_readers((p, &input[..mid]), (p, &input[mid..]));
        }
        k => {
            let dir = PostcodeDirectory::from_reader(p, DIRECTORY.as_bytes()).unwrap();
            let locator = if k == 4 {
                Locator::default().with_geocoder(&dir)
            } else {
                Locator::default()
            };
            if let Ok(o) = origins_from_reader(p, input, &locator) {
                assert_eq!(o.rows(), o.origins.len() + o.rejected.len());
                assert_eq!(o.origins.len(), o.lines.len());
                // Line breaks: \n, \r\n or a lone \r.
                let lines = 1 + input
                    .iter()
                    .enumerate()
                    .filter(|&(i, &b)| {
                        b == b'\n' || (b == b'\r' && input.get(i + 1) != Some(&b'\n'))
                    })
                    .count() as u64;
                for r in &o.rejected {
                    assert!(
                        r.line >= 2 && r.line <= lines,
                        "rejected line {} of {lines}",
                        r.line
                    );
                }
                for &l in &o.lines {
                    assert!(l >= 2 && l <= lines, "origin line {l} of {lines}");
                }
            }
        }
    }
});
