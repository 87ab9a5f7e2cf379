/* Map services as the requests they make (XYZ, TMS, WMS 1.1.1 and 1.3.0,
 * WMS-T KVP and REST), kept as one string and read back; bad addresses
 * refused; capabilities documents read, hostile ones refused. */
#include <string.h>

#include "saban-error.h"
#include "saban-map-service.h"
#include "saban-service-capabilities.h"

static SabanMapService *
service_ok (const char *source)
{
  g_autoptr(GError) error = NULL;
  SabanMapService *s = saban_map_service_new_from_source (source, &error);

  g_assert_no_error (error);
  g_assert_nonnull (s);
  /* what it writes is what it reads */
  g_assert_cmpstr (saban_map_service_get_source (s), ==, source);
  return s;
}

static void
test_xyz_tms (void)
{
  g_autoptr(SabanMapService) xyz = service_ok ("XYZ:https://tiles.example.vn/{z}/{x}/{y}.png");
  g_autoptr(SabanMapService) tms = service_ok ("TMS:https://tiles.example.vn/tms/{z}/{x}/{y}.png");
  g_autofree char *a = saban_map_service_tile_url (xyz, 10, 812, 451);
  g_autofree char *b = saban_map_service_tile_url (tms, 10, 812, 451);

  g_assert_cmpstr (a, ==, "https://tiles.example.vn/10/812/451.png");
  /* TMS rows count from the bottom */
  g_assert_cmpstr (b, ==, "https://tiles.example.vn/tms/10/812/572.png");
  g_assert_null (saban_map_service_feature_info_url (xyz, 0, 0, 1));
  g_assert_null (saban_map_service_capabilities_url (xyz));
}

static void
test_wms (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanMapService) v13 = saban_map_service_new (SABAN_SERVICE_WMS, "http://gis.example.vn/cgi-bin/mapserv?map=QH&",
                                                          "quy_hoach,ranh_gioi", "", NULL, NULL, NULL, &error);
  g_autoptr(SabanMapService) v11 = NULL;
  g_autofree char *tile = NULL, *info = NULL, *caps = NULL, *tile11 = NULL, *info11 = NULL;

  g_assert_no_error (error);
  tile = saban_map_service_tile_url (v13, 1, 1, 0);
  g_assert_true (g_str_has_prefix (tile, "http://gis.example.vn/cgi-bin/mapserv?map=QH&SERVICE=WMS&REQUEST=GetMap&VERSION=1.3.0&"));
  g_assert_nonnull (strstr (tile, "&LAYERS=quy_hoach%2Cranh_gioi&"));
  g_assert_nonnull (strstr (tile, "&CRS=EPSG%3A3857&"));
  /* tile (1, 0) at zoom 1: the north-east quarter of the world */
  g_assert_nonnull (strstr (tile, "&BBOX=0.000%2C0.000%2C20037508.343%2C20037508.343&"));
  g_assert_nonnull (strstr (tile, "&WIDTH=256&HEIGHT=256&FORMAT=image%2Fpng&TRANSPARENT=TRUE"));
  info = saban_map_service_feature_info_url (v13, 1000, 2000, 2);
  g_assert_nonnull (strstr (info, "REQUEST=GetFeatureInfo"));
  g_assert_nonnull (strstr (info, "&QUERY_LAYERS=quy_hoach%2Cranh_gioi&INFO_FORMAT=text%2Fplain&"));
  g_assert_nonnull (strstr (info, "&I=50&J=50"));
  g_assert_nonnull (strstr (info, "&BBOX=899.000%2C1899.000%2C1101.000%2C2101.000&"));
  caps = saban_map_service_capabilities_url (v13);
  g_assert_cmpstr (caps, ==, "http://gis.example.vn/cgi-bin/mapserv?map=QH&SERVICE=WMS&REQUEST=GetCapabilities&VERSION=1.3.0");

  /* 1.1.1 says SRS and X/Y; the string keeps the version */
  v11 = service_ok ("WMS:http://gis.example.vn/wms#layers=nen&styles=xam&format=image%2Fjpeg&version=1.1.1");
  tile11 = saban_map_service_tile_url (v11, 0, 0, 0);
  g_assert_nonnull (strstr (tile11, "?SERVICE=WMS&REQUEST=GetMap&VERSION=1.1.1&LAYERS=nen&STYLES=xam&SRS=EPSG%3A3857&"));
  info11 = saban_map_service_feature_info_url (v11, 0, 0, 1);
  g_assert_nonnull (strstr (info11, "&X=50&Y=50"));
}

static void
test_wmts (void)
{
  g_autoptr(SabanMapService) kvp = service_ok ("WMTS:http://gis.example.vn/mapcache/wmts?#layer=nen&style=&format=image%2Fpng&matrixset=GoogleMapsCompatible");
  g_autoptr(SabanMapService) rest = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = saban_map_service_tile_url (kvp, 7, 101, 56);
  g_autofree char *b = NULL;

  g_assert_cmpstr (a, ==, "http://gis.example.vn/mapcache/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=nen"
                          "&STYLE=default&FORMAT=image%2Fpng&TILEMATRIXSET=GoogleMapsCompatible&TILEMATRIX=7&TILEROW=56&TILECOL=101");
  rest = saban_map_service_new (SABAN_SERVICE_WMTS, "http://gis.example.vn/wmts/nen/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.png",
                                "nen", NULL, NULL, NULL, "g", &error);
  g_assert_no_error (error);
  b = saban_map_service_tile_url (rest, 7, 101, 56);
  g_assert_cmpstr (b, ==, "http://gis.example.vn/wmts/nen/g/7/56/101.png");
}

/* Matrix identifiers that are not zoom numbers (even with a comma) are
 * asked by zoom, kept in the string and read back; a zoom the set lacks
 * asks nothing. */
static void
test_wmts_matrices (void)
{
  const char *ids[] = { "EPSG:3857:0", "", "L,02", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanMapService) made = saban_map_service_new_wmts ("http://gis.example.vn/wmts?", "nen", NULL, NULL, "q", ids, &error);
  g_autoptr(SabanMapService) read = NULL;
  g_autofree char *z0 = NULL, *z2 = NULL;
  g_autofree char *too_many = NULL;
  g_autoptr(SabanMapService) refused = NULL;

  g_assert_no_error (error);
  read = service_ok (saban_map_service_get_source (made));
  z0 = saban_map_service_tile_url (read, 0, 0, 0);
  g_assert_nonnull (strstr (z0, "&TILEMATRIXSET=q&TILEMATRIX=EPSG%3A3857%3A0&TILEROW=0&TILECOL=0"));
  z2 = saban_map_service_tile_url (read, 2, 3, 1);
  g_assert_nonnull (strstr (z2, "&TILEMATRIX=L%2C02&TILEROW=1&TILECOL=3"));
  g_assert_null (saban_map_service_tile_url (read, 1, 0, 0));
  g_assert_null (saban_map_service_tile_url (read, 3, 0, 0));
  /* what is drawn instead: the deepest zoom the set has, at most the one asked */
  g_assert_cmpint (saban_map_service_offered_zoom (read, 0), ==, 0);
  g_assert_cmpint (saban_map_service_offered_zoom (read, 1), ==, 0);
  g_assert_cmpint (saban_map_service_offered_zoom (read, 2), ==, 2);
  g_assert_cmpint (saban_map_service_offered_zoom (read, 19), ==, 2);
  g_assert_cmpint (saban_map_service_offered_zoom (read, G_MAXUINT), ==, 2);
  {
    const char *from_two[] = { "", "", "a", NULL };
    g_autoptr(SabanMapService) deep = saban_map_service_new_wmts ("http://x/wmts?", "a", NULL, NULL, "q", from_two, &error);
    g_autoptr(SabanMapService) none = saban_map_service_new_from_source ("WMTS:http://x/wmts?#layer=a&matrixset=q&matrices=", &error);
    g_autoptr(SabanMapService) xyz = service_ok ("XYZ:https://t.vn/{z}/{x}/{y}.png");

    g_assert_no_error (error);
    g_assert_cmpint (saban_map_service_offered_zoom (deep, 1), ==, -1);
    g_assert_cmpint (saban_map_service_offered_zoom (none, 5), ==, -1);
    g_assert_cmpint (saban_map_service_offered_zoom (xyz, 7), ==, 7);
  }

  /* more matrices than zooms, or a control character: refused */
  too_many = g_strconcat ("WMTS:http://x/wmts?#layer=a&style=&format=image%2Fpng&matrixset=q&matrices=",
                          "0%2C1%2C2%2C3%2C4%2C5%2C6%2C7%2C8%2C9%2C10%2C11%2C12%2C13%2C14%2C15%2C16%2C17%2C18%2C19%2C20%2C21%2C22%2C23%2C24%2C25",
                          NULL);
  refused = saban_map_service_new_from_source (too_many, &error);
  g_assert_null (refused);
  g_assert_error (error, SABAN_ERROR, SABAN_ERROR_INVALID);
  g_clear_error (&error);
  refused = saban_map_service_new_from_source ("WMTS:http://x/wmts?#layer=a&matrixset=q&matrices=a%250Ab", &error);
  g_assert_null (refused);
  g_assert_error (error, SABAN_ERROR, SABAN_ERROR_INVALID);
}

/* Hostile or mistaken addresses: a clear message, no service. */
static void
test_refused (void)
{
  const char *bad[] = {
    "XYZ:file:///etc/passwd#{z}{x}{y}",
    "XYZ:https://tiles.example.vn/tile.png",
    "XYZ:ftp://tiles.example.vn/{z}/{x}/{y}.png",
    "WMS:http://gis.example.vn/wms#layers=&version=1.3.0",
    "WMS:http://gis.example.vn/wms#layers=a&version=2.0",
    "WMS:http://gis.example.vn/wms\n#layers=a",
    "GPKG:/tmp/x.gpkg",
    NULL,
  };

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SabanMapService) s = saban_map_service_new_from_source (bad[i], &error);

      g_assert_null (s);
      g_assert_error (error, SABAN_ERROR, SABAN_ERROR_INVALID);
    }
  {
    g_autofree char *huge = g_strnfill (5000, 'a');
    g_autofree char *source = g_strconcat ("XYZ:https://t.vn/{z}/{x}/{y}/", huge, NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(SabanMapService) s = saban_map_service_new_from_source (source, &error);

    g_assert_null (s);
    g_assert_nonnull (error);
  }
  g_assert_true (saban_map_service_is_source ("WMTS:http://x"));
  g_assert_false (saban_map_service_is_source ("/home/x/ortho.tif"));
}

static const char wms130[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<WMS_Capabilities version=\"1.3.0\" xmlns=\"http://www.opengis.net/wms\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n"
  "<Service><Name>WMS</Name><Title>Quy hoạch Lào Cai</Title></Service>\n"
  "<Capability><Request><GetMap><Format>image/png</Format><Format>image/jpeg</Format></GetMap></Request>\n"
  "<Layer><Title>Gốc</Title><CRS>EPSG:9208</CRS><CRS>EPSG:3857</CRS>\n"
  "  <Layer queryable=\"1\"><Name>quy_hoach</Name><Title>Quy hoạch sử dụng đất</Title>\n"
  "    <Style><Name>mac_dinh</Name><Title>Mặc định</Title></Style><Style><Name>xam</Name><Title>Xám</Title></Style></Layer>\n"
  "  <Layer><Name>ranh_gioi</Name><Title>Ranh giới</Title></Layer>\n"
  "</Layer></Capability></WMS_Capabilities>\n";

static const char wms111[] =
  "<?xml version='1.0' encoding=\"UTF-8\" standalone=\"no\" ?>\n"
  "<!DOCTYPE WMT_MS_Capabilities SYSTEM \"http://schemas.opengis.net/wms/1.1.1/WMS_MS_Capabilities.dtd\"\n"
  " [\n <!ELEMENT VendorSpecificCapabilities EMPTY>\n ]>  <!-- end of DOCTYPE declaration -->\n"
  "<WMT_MS_Capabilities version=\"1.1.1\"><Capability><Layer><Name>saban</Name><Title>Sa Ban</Title><SRS>EPSG:4326</SRS>\n"
  "<Layer><Name>communes</Name><Title>communes</Title></Layer></Layer></Capability></WMT_MS_Capabilities>\n";

/* A matrix of 256 px tiles at zoom @z of the map's grid, named @id; @shift
 * moves its corner (metres) off the map's. */
static void
add_matrix (GString    *doc,
            const char *id,
            guint       z,
            double      shift)
{
  char scale[G_ASCII_DTOSTR_BUF_SIZE], left[G_ASCII_DTOSTR_BUF_SIZE], top[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_dtostr (scale, sizeof scale, 559082264.0287178 / (double) (1u << z));
  g_ascii_dtostr (left, sizeof left, -20037508.3427892 + shift);
  g_ascii_dtostr (top, sizeof top, 20037508.3427892);
  g_string_append_printf (doc, "  <TileMatrix><ows:Identifier>%s</ows:Identifier><ScaleDenominator>%s</ScaleDenominator>"
                          "<TopLeftCorner>%s %s</TopLeftCorner><TileWidth>256</TileWidth><TileHeight>256</TileHeight>"
                          "<MatrixWidth>%u</MatrixWidth><MatrixHeight>%u</MatrixHeight></TileMatrix>\n",
                          id, scale, left, top, 1u << z, 1u << z);
}

/* Layers on sets whose matrices are not named by zoom numbers ("L00",
 * "EPSG:3857:2"), with a zoom missing; sets the map cannot draw from: one
 * in VN-2000, one in EPSG:4326, one in EPSG:3857 whose corner is off the
 * map's grid. */
static char *
wmts_document (void)
{
  GString *doc = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Capabilities xmlns=\"http://www.opengis.net/wmts/1.0\" xmlns:ows=\"http://www.opengis.net/ows/1.1\" version=\"1.0.0\">\n"
    "<Contents>\n"
    "<Layer><ows:Title>Nền</ows:Title><ows:Identifier>nen</ows:Identifier>\n"
    "  <Style isDefault=\"true\"><ows:Identifier>default</ows:Identifier></Style><Format>image/png</Format>\n"
    "  <TileMatrixSetLink><TileMatrixSet>vn2000</TileMatrixSet></TileMatrixSetLink>\n"
    "  <TileMatrixSetLink><TileMatrixSet>g</TileMatrixSet></TileMatrixSetLink>\n"
    "  <ResourceURL format=\"image/png\" resourceType=\"tile\" template=\"http://x/wmts/nen/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.png\"/>\n"
    "</Layer>\n"
    "<Layer><ows:Title>Chỉ VN-2000</ows:Title><ows:Identifier>vn</ows:Identifier>\n"
    "  <TileMatrixSetLink><TileMatrixSet>vn2000</TileMatrixSet></TileMatrixSetLink>\n"
    "  <TileMatrixSetLink><TileMatrixSet>wgs84</TileMatrixSet></TileMatrixSetLink></Layer>\n"
    "<Layer><ows:Title>Lệch</ows:Title><ows:Identifier>lech</ows:Identifier>\n"
    "  <TileMatrixSetLink><TileMatrixSet>shifted</TileMatrixSet></TileMatrixSetLink></Layer>\n"
    "<Layer><ows:Title>Số</ows:Title><ows:Identifier>so</ows:Identifier>\n"
    "  <TileMatrixSetLink><TileMatrixSet>EPSG:3857</TileMatrixSet></TileMatrixSetLink></Layer>\n"
    "<TileMatrixSet><ows:Identifier>vn2000</ows:Identifier><ows:SupportedCRS>urn:ogc:def:crs:EPSG::9208</ows:SupportedCRS>\n");

  add_matrix (doc, "0", 0, 0);
  g_string_append (doc, "</TileMatrixSet>\n<TileMatrixSet><ows:Identifier>wgs84</ows:Identifier>"
                        "<ows:SupportedCRS>urn:ogc:def:crs:EPSG::4326</ows:SupportedCRS>\n");
  add_matrix (doc, "0", 0, 0);
  g_string_append (doc, "</TileMatrixSet>\n<TileMatrixSet><ows:Identifier>shifted</ows:Identifier>"
                        "<ows:SupportedCRS>urn:ogc:def:crs:EPSG::3857</ows:SupportedCRS>\n");
  add_matrix (doc, "5", 5, 5000);
  add_matrix (doc, "6", 6, 5000);
  g_string_append (doc, "</TileMatrixSet>\n<TileMatrixSet><ows:Identifier>g</ows:Identifier>"
                        "<ows:SupportedCRS>urn:ogc:def:crs:EPSG:6.3:3857</ows:SupportedCRS>\n"
                        "  <WellKnownScaleSet>urn:ogc:def:wkss:OGC:1.0:GoogleMapsCompatible</WellKnownScaleSet>\n");
  add_matrix (doc, "L00", 0, 0);
  add_matrix (doc, "L01", 1, 0);
  add_matrix (doc, "L03", 3, 0);
  g_string_append (doc, "</TileMatrixSet>\n<TileMatrixSet><ows:Identifier>EPSG:3857</ows:Identifier>"
                        "<ows:SupportedCRS>EPSG:3857</ows:SupportedCRS>\n");
  add_matrix (doc, "EPSG:3857:2", 2, 0);
  add_matrix (doc, "EPSG:3857:1", 1, 0);
  g_string_append (doc, "</TileMatrixSet>\n</Contents></Capabilities>\n");
  return g_string_free (doc, FALSE);
}

static SabanServiceLayer *
layer_at (GPtrArray *layers, guint i)
{
  return g_ptr_array_index (layers, i);
}

static void
test_capabilities (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;
  g_autoptr(GPtrArray) a = saban_service_capabilities_parse (SABAN_SERVICE_WMS, wms130, strlen (wms130), &version, &error);
  g_autoptr(GPtrArray) b = NULL, c = NULL;
  g_autofree char *wmts = wmts_document ();
  g_autofree char *numbers = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (version, ==, "1.3.0");
  g_assert_cmpuint (a->len, ==, 2);   /* the unnamed root is a group */
  g_assert_cmpstr (layer_at (a, 0)->name, ==, "quy_hoach");
  g_assert_cmpstr (layer_at (a, 0)->title, ==, "Quy hoạch sử dụng đất");
  g_assert_cmpuint (g_strv_length (layer_at (a, 0)->styles), ==, 2);
  g_assert_cmpstr (layer_at (a, 0)->styles[1], ==, "xam");
  g_assert_null (layer_at (a, 0)->refusal);   /* EPSG:3857 inherited */
  g_assert_true (g_strv_contains ((const char * const *) layer_at (a, 1)->formats, "image/jpeg"));

  b = saban_service_capabilities_parse (SABAN_SERVICE_WMS, wms111, strlen (wms111), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (b->len, ==, 2);
  g_assert_cmpstr (layer_at (b, 1)->refusal, ==, "“Sa Ban” is not offered in Web Mercator (EPSG:3857), which the map needs");

  c = saban_service_capabilities_parse (SABAN_SERVICE_WMTS, wmts, strlen (wmts), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (c->len, ==, 4);
  g_assert_cmpstr (layer_at (c, 0)->name, ==, "nen");
  g_assert_cmpstr (layer_at (c, 0)->title, ==, "Nền");
  /* the VN-2000 set is passed over for the one on the map's grid */
  g_assert_cmpstr (layer_at (c, 0)->matrix_set, ==, "g");
  g_assert_null (layer_at (c, 0)->refusal);
  numbers = g_strjoinv ("|", layer_at (c, 0)->matrices);
  g_assert_cmpstr (numbers, ==, "L00|L01||L03");
  g_assert_nonnull (strstr (layer_at (c, 0)->tile_template, "{TileMatrix}"));
  g_assert_null (layer_at (c, 1)->matrix_set);
  g_assert_cmpstr (layer_at (c, 1)->refusal, ==, "“Chỉ VN-2000” is tiled only in vn2000 (urn:ogc:def:crs:EPSG::9208), "
                   "wgs84 (urn:ogc:def:crs:EPSG::4326): the map needs Web Mercator (EPSG:3857) tiles of 256 px at its own "
                   "scales, so it cannot draw this layer");
  /* right CRS and scales, but the corner is 5 km off the map's grid */
  g_assert_nonnull (layer_at (c, 2)->refusal);
  g_assert_cmpstr (layer_at (c, 3)->matrix_set, ==, "EPSG:3857");
  g_clear_pointer (&numbers, g_free);
  numbers = g_strjoinv ("|", layer_at (c, 3)->matrices);
  g_assert_cmpstr (numbers, ==, "|EPSG:3857:1|EPSG:3857:2");
}

static void
test_capabilities_hostile (void)
{
  const char *bad[] = {
    "<html><body>502 Bad Gateway</body></html>",
    "<WMS_Capabilities version=\"1.3.0\"><Capability><Layer><Name>a</Name>",
    "not xml at all",
    "",
    NULL,
  };
  GString *deep = g_string_new ("<WMS_Capabilities version=\"1.3.0\">");

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) layers = saban_service_capabilities_parse (SABAN_SERVICE_WMS, bad[i], strlen (bad[i]), NULL, &error);

      g_assert_null (layers);
      g_assert_error (error, SABAN_ERROR, SABAN_ERROR_PARSE);
    }
  for (guint i = 0; i < 200; i++)
    g_string_append (deep, "<Layer>");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) layers = saban_service_capabilities_parse (SABAN_SERVICE_WMS, deep->str, deep->len, NULL, &error);

    g_assert_null (layers);
    g_assert_error (error, SABAN_ERROR, SABAN_ERROR_PARSE);
  }
  g_string_free (deep, TRUE);
}

/* Matrices a hostile (or broken) server describes: not a number, infinite,
 * negative, a corner of three numbers or of none, tiles of absurd size.
 * None is taken for a zoom; the layer is refused, saying why. */
static void
test_capabilities_hostile_matrices (void)
{
  const char *matrices[] = {
    "<ScaleDenominator>nan</ScaleDenominator><TopLeftCorner>-20037508.3427892 20037508.3427892</TopLeftCorner>",
    "<ScaleDenominator>inf</ScaleDenominator><TopLeftCorner>-20037508.3427892 20037508.3427892</TopLeftCorner>",
    "<ScaleDenominator>-559082264</ScaleDenominator><TopLeftCorner>-20037508.3427892 20037508.3427892</TopLeftCorner>",
    "<ScaleDenominator>559082264.0287178</ScaleDenominator><TopLeftCorner>nan nan</TopLeftCorner>",
    "<ScaleDenominator>559082264.0287178</ScaleDenominator><TopLeftCorner>1 2 3</TopLeftCorner>",
    "<ScaleDenominator>559082264.0287178</ScaleDenominator>",
    "<ScaleDenominator>559082264.0287178</ScaleDenominator><TopLeftCorner>-20037508.3427892 20037508.3427892</TopLeftCorner>"
    "<TileWidth>99999999999999999999</TileWidth>",
    "<ScaleDenominator>1e-300</ScaleDenominator><TopLeftCorner>-20037508.3427892 20037508.3427892</TopLeftCorner>",
    NULL,
  };

  for (guint i = 0; matrices[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *doc = g_strdup_printf (
        "<Capabilities version=\"1.0.0\"><Contents>"
        "<Layer><Identifier>a</Identifier><TileMatrixSetLink><TileMatrixSet>s</TileMatrixSet></TileMatrixSetLink></Layer>"
        "<TileMatrixSet><Identifier>s</Identifier><SupportedCRS>EPSG:3857</SupportedCRS>"
        "<TileMatrix><Identifier>0</Identifier>%s</TileMatrix></TileMatrixSet></Contents></Capabilities>", matrices[i]);
      g_autoptr(GPtrArray) layers = saban_service_capabilities_parse (SABAN_SERVICE_WMTS, doc, strlen (doc), NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (layers->len, ==, 1);
      g_assert_null (layer_at (layers, 0)->matrix_set);
      g_assert_nonnull (layer_at (layers, 0)->refusal);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/map-service/xyz-tms", test_xyz_tms);
  g_test_add_func ("/map-service/wms", test_wms);
  g_test_add_func ("/map-service/wmts", test_wmts);
  g_test_add_func ("/map-service/wmts-matrices", test_wmts_matrices);
  g_test_add_func ("/map-service/refused", test_refused);
  g_test_add_func ("/map-service/capabilities", test_capabilities);
  g_test_add_func ("/map-service/capabilities-hostile", test_capabilities_hostile);
  g_test_add_func ("/map-service/capabilities-hostile-matrices", test_capabilities_hostile_matrices);
  return g_test_run ();
}
