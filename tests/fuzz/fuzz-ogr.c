/* fuzz-ogr.c: a file a planner brings, read by Sa Bàn's OGR reader
 * (core/gis saban_ogr_read: GDAL's driver, then our Arrow batches, WKB
 * decoding, attribute columns, reprojection and index). The input is the
 * file's content, written to GDAL's in-memory file system under the name
 * FUZZ_OGR_NAME, whose extension picks the driver (and the CSV options). */
#include <cpl_conv.h>
#include <cpl_vsi.h>
#include <gdal.h>

#include "fuzz-support.h"
#include "saban-ogr-reader.h"

#ifndef FUZZ_OGR_NAME
#error FUZZ_OGR_NAME names the in-memory file, e.g. "/vsimem/fuzz.geojson"
#endif

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_quiet_logs ();
  GDALAllRegister ();
  /* no network: a file may name a remote resource */
  CPLSetConfigOption ("GDAL_HTTP_TIMEOUT", "1");
  CPLSetConfigOption ("GDAL_HTTP_CONNECTTIMEOUT", "1");
  CPLSetConfigOption ("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", "none");
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr(GPtrArray) layers = NULL;
  VSILFILE *f = VSIFileFromMemBuffer (FUZZ_OGR_NAME, (GByte *) data, size, FALSE);

  g_assert_nonnull (f);
  VSIFCloseL (f);
  /* a file without a CRS is taken as VN-2000 / TM-3 104°45′, the province's */
  layers = saban_ogr_read (FUZZ_OGR_NAME, "EPSG:9208", NULL, NULL, NULL, NULL);
  VSIUnlink (FUZZ_OGR_NAME);
  return 0;
}
