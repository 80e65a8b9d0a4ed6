//! Postcode normalisation and lookup on the bundled directory.

use std::sync::OnceLock;

use travel_impact::PostcodeDirectory;
use travel_impact::postcode::{PostcodeError, PostcodeStatus, normalise};

fn dir() -> &'static PostcodeDirectory {
    static D: OnceLock<PostcodeDirectory> = OnceLock::new();
    D.get_or_init(|| {
        PostcodeDirectory::from_csv(&travel_impact::bucks::data_dir().join("postcodes.csv.gz"))
            .unwrap()
    })
}

#[test]
fn normalisation_accepts_any_spacing_and_case() {
    for raw in ["HP19 8FF", "hp198ff", "  Hp19   8fF ", "HP19\t8FF"] {
        assert_eq!(normalise(raw).unwrap(), "HP19 8FF", "{raw:?}");
    }
    assert_eq!(normalise("sl71jw").unwrap(), "SL7 1JW");
    assert_eq!(normalise("w1a1aa").unwrap(), "W1A 1AA");
    assert_eq!(normalise("ec1a 1bb").unwrap(), "EC1A 1BB");
    assert_eq!(normalise("M11AA").unwrap(), "M1 1AA");
}

#[test]
fn malformed_postcodes_are_told_apart() {
    for raw in [
        "HP19 8F",
        "123",
        "",
        "HP19 8FFF",
        "1P19 8FF",
        "HP19 FF8",
        "HPP 8FF",
        "HP19 8F£",
    ] {
        assert!(
            matches!(normalise(raw), Err(PostcodeError::Malformed(_))),
            "{raw:?}"
        );
        assert!(
            matches!(dir().lookup(raw), Err(PostcodeError::Malformed(_))),
            "{raw:?}"
        );
    }
}

#[test]
fn live_terminated_unknown_and_no_coordinates() {
    let d = dir();
    // Live (Code-Point Open 2025): the Aylesbury county offices' postcode.
    let live = d.locate("hp198ff").unwrap();
    assert_eq!(live.record.status, PostcodeStatus::Live);
    assert_eq!((live.point.x, live.point.y), (480_984.0, 214_400.0));
    assert_eq!(live.record.district, "E06000060");
    // Terminated in 2014 (ONS lookup doterm 201406), still geocoded from the NSPD.
    let t = d.locate("HP1 1AA").unwrap();
    assert_eq!(t.record.status, PostcodeStatus::Terminated);
    assert_eq!((t.point.x, t.point.y), (505_728.0, 206_630.0));
    // Well formed but not in the directory (the directory covers the area around Bucks only).
    assert_eq!(
        d.lookup("EC1A 1BB"),
        Err(PostcodeError::Unknown("EC1A 1BB".into()))
    );
    // In the NSPD without a grid reference.
    assert_eq!(
        d.locate("HP12 9AB"),
        Err(PostcodeError::NoCoordinates("HP12 9AB".into()))
    );
    assert!(d.lookup("HP12 9AB").unwrap().point.is_none());
}

#[test]
fn directory_counts() {
    let d = dir();
    let count = |s| d.records().iter().filter(|r| r.status == s).count();
    assert_eq!(count(PostcodeStatus::Live), 68_684);
    assert_eq!(count(PostcodeStatus::Terminated), 37_558);
    assert_eq!(count(PostcodeStatus::Unconfirmed), 7_810);
    assert_eq!(
        d.records().iter().filter(|r| r.point.is_none()).count(),
        238
    );
}

#[test]
fn facilities_given_by_postcode_alone_are_located_from_the_directory() {
    use travel_impact::{Facilities, Location};
    let csv = "id,name,postcode\nhq,County offices,hp198ff\ngone,Old site,HP1 1AA\nbad,Typo,HP19 8F\nnowhere,Lost,HP19 9ZZ\n";
    let mut f = Facilities::from_reader(std::path::Path::new("f.csv"), csv.as_bytes()).unwrap();
    assert!(matches!(f.sites()[0].location, Location::Postcode(_)));
    assert_eq!(f.resolve_postcodes(dir()), 2);
    let s = f.sites();
    assert_eq!(
        s[0].point(),
        Some(geo::coord! { x: 480_984.0, y: 214_400.0 })
    );
    assert_eq!(s[0].locate_method, "postcode_directory");
    assert_eq!(
        s[1].point(),
        Some(geo::coord! { x: 505_728.0, y: 206_630.0 })
    );
    assert_eq!(
        s[2].location,
        Location::NotLocated("postcode: `HP19 8F` is not a valid postcode".into())
    );
    assert_eq!(
        s[3].location,
        Location::NotLocated("postcode: HP19 9ZZ is not in the postcode directory".into())
    );
}
