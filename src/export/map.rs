//! A map of an impact as SVG (and PNG with the `png` feature): areas shaded by the change,
//! sites that close and that stay, outlines, legend with units, scale bar, north arrow and
//! attribution. Drawn in the network's planar CRS, north up.

use std::fmt::Write as _;

use geo::{BoundingRect, Centroid};

use crate::analysis::Impact;
use crate::geom::Xy;
use crate::load::{Boundaries, Boundary};

/// What the shading shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MapMeasure {
    /// Increase in distance to the nearest facility (km).
    #[default]
    DistanceChange,
    /// Increase in time to the nearest facility (minutes).
    TimeChange,
}

impl MapMeasure {
    /// Class upper bounds (in the unit shown) of the increase; the last class is open.
    fn breaks(self) -> [f64; 5] {
        match self {
            MapMeasure::DistanceChange => [0.5, 1.0, 2.0, 5.0, 10.0],
            MapMeasure::TimeChange => [2.0, 5.0, 10.0, 20.0, 40.0],
        }
    }
    fn unit(self) -> &'static str {
        match self {
            MapMeasure::DistanceChange => "km",
            MapMeasure::TimeChange => "min",
        }
    }
    /// The value of an origin in the unit shown.
    fn value(self, impact: &Impact<'_>, i: usize) -> Option<f64> {
        let r = impact.row(i);
        match self {
            MapMeasure::DistanceChange => r.change_m().map(|m| m / 1000.0),
            MapMeasure::TimeChange => r.change_s().map(|s| s / 60.0),
        }
    }
}

/// Map text and layers besides the impact.
#[derive(Debug, Clone)]
pub struct MapOptions<'a> {
    /// Title at the top.
    pub title: String,
    /// Polygons to shade, matched to origins by id (e.g. LSOAs); origins without one are drawn
    /// as points.
    pub areas: Option<&'a Boundaries>,
    /// Outlines drawn on top with their names (e.g. districts).
    pub outlines: Option<&'a Boundaries>,
    /// What the shading shows.
    pub measure: MapMeasure,
    /// Data attribution printed at the foot.
    pub attribution: String,
}

impl Default for MapOptions<'_> {
    fn default() -> Self {
        Self {
            title: String::new(),
            areas: None,
            outlines: None,
            measure: MapMeasure::DistanceChange,
            attribution: "© OpenStreetMap contributors".into(),
        }
    }
}

/// The attribution for maps of Great Britain made from OpenStreetMap roads and OS/ONS data.
pub const UK_ATTRIBUTION: &str = "© OpenStreetMap contributors; contains OS and ONS data © Crown \
                                  copyright and database right";

/// Fill colours: no increase, then one per class (ColorBrewer YlOrRd), then no value.
const NO_INCREASE: &str = "#eeeeee";
const CLASS_FILL: [&str; 6] = [
    "#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026",
];
const NO_VALUE: &str = "#9e9e9e";
const FONT: &str = "font-family=\"DejaVu Sans, Verdana, sans-serif\"";

/// Canvas, in SVG pixels.
const WIDTH: f64 = 1000.0;
const MAP_X: f64 = 20.0;
const MAP_Y: f64 = 64.0;
const MAP_W: f64 = 700.0;
const MAP_H_MAX: f64 = 860.0;
const PANEL_X: f64 = 740.0;

/// A rendered map.
#[derive(Debug, Clone, PartialEq)]
pub struct Map {
    svg: String,
    width_px: f64,
    height_px: f64,
}

fn fill_for(value: Option<f64>, breaks: &[f64; 5]) -> &'static str {
    match value {
        None => NO_VALUE,
        Some(v) if v <= 0.0005 => NO_INCREASE,
        Some(v) => CLASS_FILL[breaks.iter().position(|&b| v <= b).unwrap_or(5)],
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Planar metres to SVG pixels.
struct View {
    min_x: f64,
    max_y: f64,
    scale: f64,
}

impl View {
    fn px(&self, p: Xy) -> (f64, f64) {
        (
            MAP_X + (p.x_m - self.min_x) * self.scale,
            MAP_Y + (self.max_y - p.y_m) * self.scale,
        )
    }
    fn path(&self, b: &Boundary) -> String {
        let mut d = String::new();
        for poly in &b.polygons {
            for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
                for (k, c) in ring.coords().enumerate() {
                    let (x, y) = self.px(Xy::new(c.x, c.y));
                    let _ = write!(d, "{}{x:.1} {y:.1}", if k == 0 { "M" } else { "L" });
                }
                d.push('Z');
            }
        }
        d
    }
}

impl Map {
    /// Draws `impact` (see [`MapOptions`]). Sites are every located site of the two scenarios:
    /// a filled blue circle stays open, a red ringed cross closes, a blue diamond opens.
    ///
    /// ```
    /// use travel_impact::{Engine, EngineOptions, Facilities, Map, MapOptions, NetworkBuilder,
    ///     Objective, Origin, RoadSpec, Scenario, geom::Xy};
    /// let mut b = NetworkBuilder::new();
    /// b.node(1, Xy::new(0.0, 0.0)).node(2, Xy::new(2000.0, 0.0)).road(RoadSpec::new(1, 1, 2));
    /// let engine = Engine::new(b.build()?, EngineOptions::default());
    /// let sites = Facilities::from_points([("w", Xy::new(0.0, 0.0)), ("e", Xy::new(2000.0, 0.0))])?;
    /// let (before, after) = (Scenario::new("both", &sites, ["w", "e"])?, Scenario::new("w", &sites, ["w"])?);
    /// let homes = [Origin::new("h", Xy::new(1900.0, 0.0)), Origin::new("?", Xy::new(f64::NAN, 0.0))];
    /// let impact = engine.impact(&homes, &before, &after, "walk", Objective::Distance)?;
    /// let map = Map::of(&impact, &MapOptions::default());
    /// assert_eq!(map.svg().matches("class=\"origin\"").count(), 1);
    /// assert!(map.svg().contains("1 origin without a location, not drawn"));
    /// assert!(map.svg().contains("closes"));
    /// # Ok::<(), travel_impact::Error>(())
    /// ```
    pub fn of(impact: &Impact<'_>, options: &MapOptions<'_>) -> Self {
        let measure = options.measure;
        let breaks = measure.breaks();
        // Which origins have an area; extent of everything drawn.
        let mut area_value: Vec<(&Boundary, Option<f64>)> = Vec::new();
        let mut points: Vec<(Xy, Option<f64>)> = Vec::new();
        // Origins with neither an area nor finite coordinates: counted in the legend.
        let mut unplaced = 0;
        for (i, o) in impact.origins.iter().enumerate() {
            let v = measure.value(impact, i);
            match options.areas.and_then(|a| a.get(&o.id)) {
                Some(b) => area_value.push((b, v)),
                None if o.point.x_m.is_finite() && o.point.y_m.is_finite() => {
                    points.push((o.point, v))
                }
                None => unplaced += 1,
            }
        }
        let sites = site_marks(impact);
        let (mut min, mut max) = (
            Xy::new(f64::INFINITY, f64::INFINITY),
            Xy::new(f64::NEG_INFINITY, f64::NEG_INFINITY),
        );
        let mut grow = |p: Xy| {
            min = Xy::new(min.x_m.min(p.x_m), min.y_m.min(p.y_m));
            max = Xy::new(max.x_m.max(p.x_m), max.y_m.max(p.y_m));
        };
        let layers = options.areas.into_iter().chain(options.outlines);
        for b in layers.flat_map(|l| l.iter()) {
            for poly in &b.polygons {
                if let Some(r) = poly.bounding_rect() {
                    grow(Xy::new(r.min().x, r.min().y));
                    grow(Xy::new(r.max().x, r.max().y));
                }
            }
        }
        points.iter().for_each(|(p, _)| grow(*p));
        sites.iter().for_each(|s| grow(s.at));
        if !min.x_m.is_finite() {
            min = Xy::new(0.0, 0.0);
            max = Xy::new(1000.0, 1000.0);
        }
        // A margin of 3% (at least 50 m) around everything.
        let pad = ((max.x_m - min.x_m).max(max.y_m - min.y_m) * 0.03).max(50.0);
        let (min, max) = (
            Xy::new(min.x_m - pad, min.y_m - pad),
            Xy::new(max.x_m + pad, max.y_m + pad),
        );
        let scale = (MAP_W / (max.x_m - min.x_m)).min(MAP_H_MAX / (max.y_m - min.y_m));
        let map_h = (max.y_m - min.y_m) * scale;
        let view = View {
            min_x: min.x_m,
            max_y: max.y_m,
            scale,
        };
        let height = (MAP_Y + map_h + 56.0).max(640.0);
        let mut s = String::new();
        let _ = write!(
            s,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height:.0}\" \
             viewBox=\"0 0 {WIDTH} {height:.0}\" {FONT}>\n\
             <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n\
             <text x=\"{MAP_X}\" y=\"30\" font-size=\"20\" font-weight=\"bold\">{}</text>\n\
             <text x=\"{MAP_X}\" y=\"52\" font-size=\"13\" fill=\"#444\">{}</text>\n",
            esc(&options.title),
            esc(&subtitle(impact, measure)),
        );
        let _ = writeln!(
            s,
            "<rect x=\"{MAP_X}\" y=\"{MAP_Y}\" width=\"{:.1}\" height=\"{map_h:.1}\" fill=\"#f7fbff\" stroke=\"#999\"/>",
            (max.x_m - min.x_m) * scale
        );
        // Every area of the layer, shaded if an origin stands for it.
        if let Some(areas) = options.areas {
            s.push_str(
                "<g id=\"areas\" stroke=\"#ffffff\" stroke-width=\"0.4\" fill-rule=\"evenodd\">\n",
            );
            let mut shaded: Vec<&str> = Vec::new();
            for (b, v) in &area_value {
                let _ = writeln!(
                    s,
                    "<path class=\"area\" data-id=\"{}\" fill=\"{}\" d=\"{}\"/>",
                    esc(&b.id),
                    fill_for(*v, &breaks),
                    view.path(b)
                );
                shaded.push(&b.id);
            }
            shaded.sort_unstable();
            for b in areas.iter() {
                if shaded.binary_search(&b.id.as_str()).is_err() {
                    let _ = writeln!(
                        s,
                        "<path class=\"area-empty\" data-id=\"{}\" fill=\"#fafafa\" stroke=\"#cccccc\" d=\"{}\"/>",
                        esc(&b.id),
                        view.path(b)
                    );
                }
            }
            s.push_str("</g>\n");
        }
        if !points.is_empty() {
            let r = match points.len() {
                0..1000 => 4.5,
                1000..5000 => 2.6,
                _ => 1.2,
            };
            s.push_str("<g id=\"origins\" stroke=\"#555\" stroke-width=\"0.3\">\n");
            for (p, v) in &points {
                let (x, y) = view.px(*p);
                let _ = writeln!(
                    s,
                    "<circle class=\"origin\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r}\" fill=\"{}\"/>",
                    fill_for(*v, &breaks)
                );
            }
            s.push_str("</g>\n");
        }
        if let Some(outlines) = options.outlines {
            s.push_str("<g id=\"outlines\" fill=\"none\" stroke=\"#222\" stroke-width=\"1.3\">\n");
            for b in outlines.iter() {
                let _ = writeln!(
                    s,
                    "<path class=\"outline\" data-id=\"{}\" d=\"{}\"/>",
                    esc(&b.id),
                    view.path(b)
                );
            }
            s.push_str("</g>\n<g id=\"outline-labels\" font-size=\"13\" fill=\"#222\" text-anchor=\"middle\" \
                        stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">\n");
            for b in outlines.iter() {
                let c = b
                    .polygons
                    .iter()
                    .max_by(|a, b| {
                        use geo::Area;
                        a.unsigned_area().total_cmp(&b.unsigned_area())
                    })
                    .and_then(|p| p.centroid());
                if let Some(c) = c {
                    let (x, y) = view.px(Xy::new(c.x(), c.y()));
                    let _ = writeln!(s, "<text x=\"{x:.1}\" y=\"{y:.1}\">{}</text>", esc(&b.name));
                }
            }
            s.push_str("</g>\n");
        }
        s.push_str("<g id=\"sites\">\n");
        for site in &sites {
            let (x, y) = view.px(site.at);
            s.push_str(&site_symbol(site.state, x, y, &site.label));
        }
        s.push_str("</g>\n");
        // Beside the map, not on it, so they never hide data.
        s.push_str(&north_arrow(PANEL_X + 210.0, MAP_Y + 4.0));
        s.push_str(&scale_bar(scale, PANEL_X + 4.0, MAP_Y + map_h - 4.0));
        s.push_str(&legend(measure, &breaks, &sites, impact, unplaced));
        let _ = writeln!(
            s,
            "<text x=\"{MAP_X}\" y=\"{:.1}\" font-size=\"11\" fill=\"#444\">{}</text>",
            MAP_Y + map_h + 22.0,
            esc(&options.attribution)
        );
        let _ = writeln!(
            s,
            "<text x=\"{MAP_X}\" y=\"{:.1}\" font-size=\"11\" fill=\"#444\">Map: {}; north up. Made with travel-impact.</text>",
            MAP_Y + map_h + 38.0,
            esc(&impact.crs.name())
        );
        s.push_str("</svg>\n");
        Self {
            svg: s,
            width_px: WIDTH,
            height_px: height.round(),
        }
    }

    /// The SVG document.
    pub fn svg(&self) -> &str {
        &self.svg
    }
    /// Width and height of the SVG canvas (pixels at 1:1).
    pub fn size_px(&self) -> (f64, f64) {
        (self.width_px, self.height_px)
    }

    /// Renders the map to PNG, `width_px` wide (height in proportion), in pure Rust with an
    /// embedded font, so it looks the same on every machine.
    #[cfg(feature = "png")]
    pub fn to_png(&self, width_px: u32) -> crate::Result<Vec<u8>> {
        use resvg::{tiny_skia, usvg};
        let fail = |message: String| crate::Error::Write {
            path: "map.png".into(),
            message,
        };
        let mut options = usvg::Options::default();
        let fonts = options.fontdb_mut();
        fonts.load_font_data(dejavu::sans::regular().to_vec());
        fonts.load_font_data(dejavu::sans::bold().to_vec());
        fonts.set_sans_serif_family("DejaVu Sans");
        let tree = usvg::Tree::from_str(&self.svg, &options)
            .map_err(|e| fail(format!("the map's SVG did not parse: {e}")))?;
        let k = width_px as f32 / self.width_px as f32;
        let height = (self.height_px as f32 * k).round() as u32;
        let mut pixmap = tiny_skia::Pixmap::new(width_px, height)
            .ok_or_else(|| fail(format!("cannot make a {width_px}×{height} image")))?;
        resvg::render(
            &tree,
            tiny_skia::Transform::from_scale(k, k),
            &mut pixmap.as_mut(),
        );
        pixmap
            .encode_png()
            .map_err(|e| fail(format!("PNG encoding failed: {e}")))
    }
}

/// A site's state between the two scenarios.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SiteState {
    Stays,
    Closes,
    Opens,
}

struct SiteMark {
    at: Xy,
    state: SiteState,
    label: String,
}

/// Every located site of either scenario, once, with its state.
fn site_marks(impact: &Impact<'_>) -> Vec<SiteMark> {
    let (before, after) = (
        &impact.before.placed().scenario,
        &impact.after.placed().scenario,
    );
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for f in before.facilities().iter().chain(after.facilities()) {
        if !seen.insert(f.id.as_str()) {
            continue;
        }
        let state = match (before.contains(&f.id), after.contains(&f.id)) {
            (true, true) => SiteState::Stays,
            (true, false) => SiteState::Closes,
            _ => SiteState::Opens,
        };
        for site in &f.sites {
            if let Some(at) = site.point() {
                out.push(SiteMark {
                    at,
                    state,
                    label: f.name.clone(),
                });
            }
        }
    }
    out
}

fn site_symbol(state: SiteState, x: f64, y: f64, label: &str) -> String {
    let title = format!("<title>{}</title>", esc(label));
    match state {
        SiteState::Stays => format!(
            "<circle class=\"site stays\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"6\" fill=\"#1f4e9e\" \
             stroke=\"#ffffff\" stroke-width=\"1.5\">{title}</circle>\n"
        ),
        SiteState::Closes => format!(
            "<g class=\"site closes\">{title}<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"6\" \
             fill=\"#ffffff\" stroke=\"#c00000\" stroke-width=\"2\"/><path d=\"M{:.1} {:.1}L{:.1} \
             {:.1}M{:.1} {:.1}L{:.1} {:.1}\" stroke=\"#c00000\" stroke-width=\"2\"/></g>\n",
            x - 3.5,
            y - 3.5,
            x + 3.5,
            y + 3.5,
            x - 3.5,
            y + 3.5,
            x + 3.5,
            y - 3.5
        ),
        SiteState::Opens => format!(
            "<path class=\"site opens\" d=\"M{x:.1} {:.1}L{:.1} {y:.1}L{x:.1} {:.1}L{:.1} {y:.1}Z\" \
             fill=\"#2e9e4f\" stroke=\"#ffffff\" stroke-width=\"1.5\">{title}</path>\n",
            y - 7.0,
            x + 7.0,
            y + 7.0,
            x - 7.0
        ),
    }
}

fn north_arrow(x: f64, y: f64) -> String {
    format!(
        "<g id=\"north-arrow\"><path d=\"M{x:.1} {y:.1}L{:.1} {:.1}L{x:.1} {:.1}L{:.1} {:.1}Z\" \
         fill=\"#222\"/><text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"13\" font-weight=\"bold\" \
         text-anchor=\"middle\">N</text></g>\n",
        x + 8.0,
        y + 24.0,
        y + 18.0,
        x - 8.0,
        y + 24.0,
        y + 38.0
    )
}

/// A bar of a round length up to 200 px long.
fn scale_bar(scale: f64, x: f64, y: f64) -> String {
    let target_m = 200.0 / scale;
    let nice = [
        100.0, 200.0, 500.0, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6,
    ];
    let len_m = nice
        .iter()
        .copied()
        .rfind(|&m| m <= target_m)
        .unwrap_or(100.0);
    let w = len_m * scale;
    let label = if len_m >= 1000.0 {
        format!("{} km", len_m / 1000.0)
    } else {
        format!("{len_m} m")
    };
    format!(
        "<g id=\"scale-bar\" font-size=\"11\"><rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" \
         height=\"5\" fill=\"#222\"/><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"5\" \
         fill=\"#ffffff\" stroke=\"#222\" stroke-width=\"0.8\"/><text x=\"{x:.1}\" y=\"{:.1}\">0</text>\
         <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{label}</text></g>\n",
        y - 5.0,
        w / 2.0,
        x + w / 2.0,
        y - 5.0,
        w / 2.0,
        y - 9.0,
        x + w,
        y - 9.0
    )
}

fn subtitle(impact: &Impact<'_>, measure: MapMeasure) -> String {
    format!(
        "{} → {}, {} ({} route): increase in {} to the nearest facility",
        impact.before.placed().scenario.name(),
        impact.after.placed().scenario.name(),
        impact.profile.name,
        impact.objective,
        match measure {
            MapMeasure::DistanceChange => "road distance",
            MapMeasure::TimeChange => "travel time",
        }
    )
}

fn legend(
    measure: MapMeasure,
    breaks: &[f64; 5],
    sites: &[SiteMark],
    impact: &Impact<'_>,
    unplaced_origins: usize,
) -> String {
    let unit = measure.unit();
    let mut s = format!(
        "<g id=\"legend\" font-size=\"12\"><text x=\"{PANEL_X}\" y=\"84\" font-size=\"14\" \
         font-weight=\"bold\">Increase ({unit})</text>\n"
    );
    let mut labels = vec![(NO_INCREASE, "no increase".to_string())];
    let mut lo = 0.0;
    for (k, b) in breaks.iter().enumerate() {
        labels.push((CLASS_FILL[k], format!("{lo} – {b}")));
        lo = *b;
    }
    labels.push((CLASS_FILL[5], format!("over {lo}")));
    labels.push((NO_VALUE, "not reached before or after".into()));
    let mut y = 96.0;
    for (fill, text) in &labels {
        let _ = writeln!(
            s,
            "<rect class=\"legend-swatch\" x=\"{PANEL_X}\" y=\"{y}\" width=\"22\" height=\"16\" \
             fill=\"{fill}\" stroke=\"#888\" stroke-width=\"0.5\"/><text x=\"{}\" y=\"{}\">{}</text>",
            PANEL_X + 30.0,
            y + 12.5,
            esc(text)
        );
        y += 22.0;
    }
    y += 16.0;
    let _ = writeln!(
        s,
        "<text x=\"{PANEL_X}\" y=\"{y}\" font-size=\"14\" font-weight=\"bold\">Sites</text>"
    );
    y += 18.0;
    let count = |st: SiteState| sites.iter().filter(|m| m.state == st).count();
    for (st, text) in [
        (SiteState::Stays, "stays open"),
        (SiteState::Closes, "closes"),
        (SiteState::Opens, "opens"),
    ] {
        let n = count(st);
        if n == 0 && st == SiteState::Opens {
            continue;
        }
        s.push_str(
            &site_symbol(st, PANEL_X + 11.0, y, text).replace("class=\"site ", "class=\"key "),
        );
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{}\">{text} ({n})</text>",
            PANEL_X + 30.0,
            y + 4.5
        );
        y += 22.0;
    }
    let missing: usize = [&impact.before, &impact.after]
        .iter()
        .map(|o| o.placed().scenario.not_located().len())
        .sum();
    if missing > 0 {
        let _ = writeln!(
            s,
            "<text x=\"{PANEL_X}\" y=\"{}\" fill=\"#444\">{missing} facilit{} without a location, not drawn</text>",
            y + 4.0,
            if missing == 1 { "y" } else { "ies" }
        );
        y += 22.0;
    }
    if unplaced_origins > 0 {
        let _ = writeln!(
            s,
            "<text x=\"{PANEL_X}\" y=\"{}\" fill=\"#444\">{unplaced_origins} origin{} without a location, not drawn</text>",
            y + 4.0,
            if unplaced_origins == 1 { "" } else { "s" }
        );
        y += 22.0;
    }
    let _ = writeln!(
        s,
        "<text x=\"{PANEL_X}\" y=\"{}\" fill=\"#444\">Each shape or dot is one origin;</text>\
         <text x=\"{PANEL_X}\" y=\"{}\" fill=\"#444\">change = after − before.</text>",
        y + 10.0,
        y + 26.0
    );
    s.push_str("</g>\n");
    s
}
