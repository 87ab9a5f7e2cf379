/* saban-crs-catalog.c: the coordinate systems Vietnamese data comes in,
 * offered by name when a source does not say its own: every VN-2000 TM-3
 * zone, VN-2000 UTM, and WGS 84. Names are the EPSG registry's; a test
 * checks them against PROJ's database. */
#include "saban-crs-catalog.h"

#include "saban-transform.h"

static const SabanCrsEntry entries[] = {
  { SABAN_EPSG_VN2000_TM3_10445, "VN-2000 / TM-3 104-45" },   /* Lào Cai: first, the default */
  { 9205, "VN-2000 / TM-3 103-00" },
  { 9206, "VN-2000 / TM-3 104-00" },
  { 9207, "VN-2000 / TM-3 104-30" },
  { 9209, "VN-2000 / TM-3 105-30" },
  { 9210, "VN-2000 / TM-3 105-45" },
  { 9211, "VN-2000 / TM-3 106-00" },
  { 9212, "VN-2000 / TM-3 106-15" },
  { 9213, "VN-2000 / TM-3 106-30" },
  { 9214, "VN-2000 / TM-3 107-00" },
  { 9215, "VN-2000 / TM-3 107-15" },
  { 9216, "VN-2000 / TM-3 107-30" },
  { 5899, "VN-2000 / TM-3 107-45" },
  { 9217, "VN-2000 / TM-3 108-15" },
  { 9218, "VN-2000 / TM-3 108-30" },
  { 5896, "VN-2000 / TM-3 zone 481" },
  { 5897, "VN-2000 / TM-3 zone 482" },
  { 5898, "VN-2000 / TM-3 zone 491" },
  { 3405, "VN-2000 / UTM zone 48N" },
  { 3406, "VN-2000 / UTM zone 49N" },
  { SABAN_EPSG_VN2000, "VN-2000" },
  { SABAN_EPSG_WGS84, "WGS 84" },
};

/**
 * saban_crs_catalog_get:
 * @n_entries: (out)
 *
 * Returns: (array length=n_entries): the catalogue, the province's zone first
 */
const SabanCrsEntry *
saban_crs_catalog_get (guint *n_entries)
{
  *n_entries = G_N_ELEMENTS (entries);
  return entries;
}

/**
 * saban_crs_catalog_index:
 *
 * Returns: the position of @epsg in the catalogue, or -1
 */
int
saban_crs_catalog_index (int epsg)
{
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    if (entries[i].epsg == epsg)
      return (int) i;
  return -1;
}
