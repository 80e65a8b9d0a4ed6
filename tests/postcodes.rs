//! Postcode normalisation and lookup on the bundled directory.

use std::sync::OnceLock;

use travel_impact::Locator;
use travel_impact::uk::{PostcodeDirectory, PostcodeError, PostcodeStatus, normalise};

fn dir() -> &'static PostcodeDirectory {
    static D: OnceLock<PostcodeDirectory> = OnceLock::new();
    D.get_or_init(|| {
        PostcodeDirectory::from_csv(
            &travel_impact::study::data_dir()
                .unwrap()
                .join("postcodes.csv.gz"),
        )
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
            matches!(normalise(raw), Err(PostcodeError::Malformed { .. })),
            "{raw:?}"
        );
        assert!(
            matches!(dir().lookup(raw), Err(PostcodeError::Malformed { .. })),
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
    assert_eq!((live.point.x_m, live.point.y_m), (480_984.0, 214_400.0));
    let district = live.record.district.as_deref().unwrap();
    assert_eq!(
        (district.code.as_str(), district.name.as_str()),
        ("E06000060", "Buckinghamshire")
    );
    // Terminated in 2014 (ONS lookup doterm 201406), still geocoded from the NSPD.
    let t = d.locate("HP1 1AA").unwrap();
    assert_eq!(t.record.status, PostcodeStatus::Terminated);
    assert_eq!((t.point.x_m, t.point.y_m), (505_728.0, 206_630.0));
    // Well formed but not in the directory (the directory covers the area around Bucks only).
    assert_eq!(
        d.lookup("EC1A 1BB"),
        Err(PostcodeError::Unknown {
            postcode: "EC1A 1BB".into(),
            suggestion: None
        })
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
fn facilities_given_by_postcode_alone_are_located_in_the_same_call() {
    use travel_impact::{Facilities, Location};
    let csv = "id,name,postcode\nhq,County offices,hp198ff\ngone,Old site,HP1 1AA\nbad,Typo,HP19 8F\nnowhere,Lost,HP19 9ZZ\n";
    let locator = Locator::default().with_geocoder(dir());
    let f =
        Facilities::from_reader(std::path::Path::new("f.csv"), csv.as_bytes(), &locator).unwrap();
    let s = f.sites();
    assert_eq!(
        s[0].point(),
        Some(travel_impact::geom::Xy::new(480_984.0, 214_400.0))
    );
    assert_eq!(s[0].locate_method, "postcode_directory");
    assert_eq!(
        s[1].point(),
        Some(travel_impact::geom::Xy::new(505_728.0, 206_630.0))
    );
    assert_eq!(
        s[2].location,
        Location::NotLocated("postcode: `HP19 8F` is not a valid postcode".into())
    );
    assert_eq!(
        s[3].location,
        Location::NotLocated("postcode: HP19 9ZZ is not in the postcode directory".into())
    );
    let missing: Vec<&str> = f.not_located().iter().map(|(s, _)| s.id.as_str()).collect();
    assert_eq!(missing, ["bad", "nowhere"]);
}

/// Issue 7, defect 5: a letter O for a zero (and the like) gets a suggestion, not only "unknown".
#[test]
fn lookalike_characters_get_a_suggestion() {
    let d = dir();
    let e = d.lookup("HP2O 1UU").unwrap_err();
    assert_eq!(
        e,
        PostcodeError::Unknown {
            postcode: "HP2O 1UU".into(),
            suggestion: Some("HP20 1UU".into())
        }
    );
    assert_eq!(
        e.to_string(),
        "HP2O 1UU is not in the postcode directory (did you mean HP20 1UU?)"
    );
    // Malformed (I for 1 where a digit must be): still a suggestion.
    assert_eq!(
        d.lookup("HPI9 8FF").unwrap_err().to_string(),
        "`HPI9 8FF` is not a valid postcode (did you mean HP19 8FF?)"
    );
    // Nothing close: no suggestion.
    assert_eq!(
        d.lookup("HP19 9ZZ").unwrap_err().to_string(),
        "HP19 9ZZ is not in the postcode directory"
    );
}

/// Issue 7, defect 6: origins from postcodes keep the directory's district, as code and name.
#[test]
fn postcode_origins_carry_their_district() {
    let d = dir();
    let o = travel_impact::origins_from_reader(
        "homes.csv".as_ref(),
        "postcode\nHP19 8FF\nHP1 1AA\n".as_bytes(),
        &Locator::default().with_geocoder(d),
    )
    .unwrap();
    let names: Vec<String> = o
        .origins
        .iter()
        .map(|o| o.group("district").unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        ["Buckinghamshire (E06000060)", "Dacorum (E07000096)"]
    );
    // The whole directory as origins: same.
    let all = d.origins(Some("E06000060"));
    assert_eq!(all.origins.len(), 24_615);
    assert!(
        all.origins
            .iter()
            .all(|o| o.group("district") == Some("Buckinghamshire (E06000060)"))
    );
    // A district column wins, and a code there is named from the directory.
    let o = travel_impact::origins_from_reader(
        "homes.csv".as_ref(),
        "postcode,district\nHP19 8FF,E07000004\nHP19 8FF,E06000060\n".as_bytes(),
        &Locator::default().with_geocoder(d),
    )
    .unwrap();
    assert_eq!(o.origins[0].group("district").unwrap(), "E07000004");
    assert_eq!(
        o.origins[1].group("district").unwrap(),
        "Buckinghamshire (E06000060)"
    );
}
