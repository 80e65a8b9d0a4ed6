# Reference values for the geom tests (src/geom). Run: pip install pyproj; python3 tests/reference/geom_reference_values.py
import pyproj
from pyproj import Transformer

print("pyproj", pyproj.__version__, "PROJ", pyproj.proj_version_str)

# 1. OS guide Annex C: pure TM on Airy 1830 (OSGB36 lat/lon -> E/N).
tm_airy = ("+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 "
           "+x_0=400000 +y_0=-100000 +ellps=airy +units=m +no_defs")
t = Transformer.from_pipeline(
    "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step " + tm_airy)
lat = 52 + 39/60 + 27.2531/3600
lon = 1 + 43/60 + 4.5177/3600
print("annex C TM:", "%.4f %.4f" % t.transform(lon, lat))

# 2. WGS84 -> BNG via the OS 7-parameter Helmert in the OS direction
#    (WGS84 -> OSGB36, position-vector rotations), then TM on Airy.
helmert_os = ("+proj=pipeline"
              " +step +proj=unitconvert +xy_in=deg +xy_out=rad"
              " +step +proj=cart +ellps=WGS84"
              " +step +proj=helmert +x=-446.448 +y=125.157 +z=-542.060"
              " +rx=-0.1502 +ry=-0.2470 +rz=-0.8421 +s=20.4894"
              " +convention=position_vector"
              " +step +inv +proj=cart +ellps=airy"
              " +step " + tm_airy)
t_os = Transformer.from_pipeline(helmert_os)
# Same parameters as a +towgs84 CRS (OSGB36 -> WGS84 = negated values);
# PROJ then applies the exact inverse of that Helmert, so it can differ
# from the OS direction by ~1 cm (translation x scale term).
t_towgs84 = Transformer.from_crs(
    "EPSG:4326",
    "+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000"
    " +ellps=airy +towgs84=446.448,-125.157,542.060,0.1502,0.2470,0.8421,-20.4894"
    " +units=m +no_defs",
    always_xy=True)
pts = [("Aylesbury", -0.8125, 51.8167), ("Edinburgh", -3.1883, 55.9533),
       ("St Kilda", -8.5700, 57.8100), ("Lerwick", -1.1450, 60.1550),
       ("Lowestoft", 1.7500, 52.4800), ("Lizard", -5.2000, 49.9600)]
for name, lo, la in pts:
    e1, n1 = t_os.transform(lo, la)
    e2, n2 = t_towgs84.transform(lo, la)
    print("%-10s lon %.4f lat %.4f  OS-direction E %.4f N %.4f   towgs84 E %.4f N %.4f"
          % (name, lo, la, e1, n1, e2, n2))

# 3. Helsinki through UTM 35N.
t_utm = Transformer.from_crs("EPSG:4326", "EPSG:32635", always_xy=True)
print("Helsinki UTM35N: %.4f %.4f" % t_utm.transform(24.94, 60.17))
print("Helsinki UTM35N inverse of (385000, 6672000): %.10f %.10f"
      % Transformer.from_crs("EPSG:32635", "EPSG:4326", always_xy=True).transform(385000, 6672000))

# 4. Local TM centred on Helsinki (k0 = 1, no false origin), and far-off points
#    to check the series away from the central meridian.
t_loc = Transformer.from_pipeline(
    "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step"
    " +proj=tmerc +lat_0=60.17 +lon_0=24.94 +k=1 +x_0=0 +y_0=0 +ellps=WGS84")
for lo, la in [(24.94, 60.17), (25.2, 60.3), (24.5, 60.0), (34.94, 60.17), (14.94, 50.0)]:
    print("local TM Helsinki lon %.2f lat %.2f: %.4f %.4f" % ((lo, la) + t_loc.transform(lo, la)))

# 5. WGS84 Krüger constants (Karney 2011 eqs. 14, 35, 36) evaluated independently.
from fractions import Fraction as Fr
f = 1 / 298.257223563
n = f / (2 - f)
print("A_rect", repr(6378137 / (1 + n) * (1 + n**2 / 4 + n**4 / 64 + n**6 / 256)))
print("alpha1", repr(n / 2 - Fr(2, 3) * n**2 + Fr(5, 16) * n**3 + Fr(41, 180) * n**4
                     - Fr(127, 288) * n**5 + Fr(7891, 37800) * n**6))
print("beta1", repr(n / 2 - Fr(2, 3) * n**2 + Fr(37, 96) * n**3 - Fr(1, 360) * n**4
                    - Fr(81, 512) * n**5 + Fr(96199, 604800) * n**6))
