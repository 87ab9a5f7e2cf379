/* saban-datagen-catalog.c — what the demo's keepers say of each layer
 *
 * The `saban_catalog` table the data catalogue reads (core/catalog): for each
 * layer the agency that keeps it, how often it promises to update it (ISO
 * 8601), when it last did, its lineage, and what its checks need (required
 * fields, identifier, code domains). Dates are fixed so the file stays
 * byte-identical; the catalogue judges freshness against the day it runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "saban-datagen-catalog.h"

#include <cpl_error.h>
#include <gio/gio.h>
#include <ogr_api.h>

#include "saban-datagen-planning.h"

static const struct
{
  const char *layer, *title, *owner, *frequency, *last_update, *lineage, *required, *ids, *domains;
} entries[] = {
  { "province", "Ranh giới tỉnh", "Sở Nông nghiệp và Môi trường", "P5Y", "2025-07-01",
    "Ranh giới hành chính sau sắp xếp ngày 01/07/2025 (vẽ minh họa)", "code,name", "code", NULL },
  { "communes", "Xã, phường", "Sở Nông nghiệp và Môi trường", "P1Y", "2025-07-01",
    "99 xã, phường theo Quyết định 19/2025/QĐ-TTg (ranh giới vẽ minh họa)", "code,name,population", "code", NULL },
  { "rivers", "Sông, suối", "Sở Nông nghiệp và Môi trường", "P1Y", "2024-12-15",
    "Số hóa từ bản đồ nền tỷ lệ 1/50.000 (minh họa)", "name", NULL, NULL },
  { "roads", "Đường giao thông", "Sở Xây dựng", "P6M", "2025-01-10", "Hồ sơ quản lý đường bộ (minh họa)",
    "name,class", NULL, NULL },
  { "zoning", "Quy hoạch sử dụng đất", "Sở Xây dựng", "P1Y", "2025-06-30",
    "Quy hoạch tỉnh và quy hoạch phân khu đã phê duyệt (minh họa)", "landuse,decision", NULL,
    "landuse=landuse" },
  { "zoning_2012", "Quy hoạch chung 2012 (hết hiệu lực)", "Sở Xây dựng", NULL, "2012-05-15",
    "Quy hoạch chung thành phố Lào Cai 2012, đã được thay thế (minh họa)", "landuse,decision", NULL,
    "landuse=landuse" },
  { "parcels", "Thửa đất", "Văn phòng Đăng ký đất đai", "P1M", "2025-06-30",
    "Cơ sở dữ liệu địa chính (minh họa)", "sheet,parcel,landuse,commune_code", "commune_code,sheet,parcel",
    "landuse=landuse;commune_code=commune" },
  { "health_facilities", "Cơ sở y tế", "Sở Y tế", "P3M", "2025-06-15", "Danh mục cơ sở khám chữa bệnh (minh họa)",
    "name,kind,commune_code", NULL, "commune_code=commune" },
  { "schools", "Trường học", "Sở Giáo dục và Đào tạo", "P1Y", "2024-09-05", "Thống kê đầu năm học (minh họa)",
    "name,level,commune_code", NULL, "commune_code=commune" },
  { "shelters", "Điểm sơ tán", "Ban Chỉ huy Phòng thủ dân sự tỉnh", "P6M", "2025-05-20",
    "Phương án ứng phó thiên tai (minh họa)", "name,capacity,commune_code", NULL, "commune_code=commune" },
  { "police_stations", "Công an xã, phường", "Công an tỉnh", "P1Y", "2025-07-01", "Danh bạ đơn vị (minh họa)",
    "name,commune_code", NULL, "commune_code=commune" },
  { "fire_stations", "Phòng cháy, chữa cháy", "Công an tỉnh", "P1Y", "2025-07-01", "Danh bạ đơn vị (minh họa)",
    "name,commune_code", NULL, "commune_code=commune" },
  { "sensor_sites", "Trạm quan trắc", "Trung tâm Giám sát, Điều hành thông minh", "P1M", "2025-07-01",
    "Danh mục trạm IoT (minh họa)", "code,name,kind", "code", "commune_code=commune" },
};

/**
 * saban_datagen_catalog:
 *
 * Writes the `saban_catalog` table: one row per layer of the demo.
 */
gboolean
saban_datagen_catalog (GDALDatasetH   ds,
                       GError       **error)
{
  static const char * const fields[] = { "layer", "title", "owner", "update_frequency", "last_update", "lineage",
                                         "required_fields", "id_fields", "domains" };
  char *options[] = { (char *) "DESCRIPTION=" SABAN_DATAGEN_SYNTHETIC_NOTE, NULL };
  OGRLayerH layer = GDALDatasetCreateLayer (ds, "saban_catalog", NULL, wkbNone, options);
  gboolean ok = layer != NULL;

  for (guint i = 0; ok && i < G_N_ELEMENTS (fields); i++)
    {
      OGRFieldDefnH fd = OGR_Fld_Create (fields[i], i == 4 ? OFTDate : OFTString);

      ok = OGR_L_CreateField (layer, fd, TRUE) == OGRERR_NONE;
      OGR_Fld_Destroy (fd);
    }
  for (guint i = 0; ok && i < G_N_ELEMENTS (entries); i++)
    {
      OGRFeatureH f = OGR_F_Create (OGR_L_GetLayerDefn (layer));
      const char *values[] = { entries[i].layer, entries[i].title, entries[i].owner, entries[i].frequency,
                               entries[i].last_update, entries[i].lineage, entries[i].required, entries[i].ids,
                               entries[i].domains };

      for (guint k = 0; k < G_N_ELEMENTS (values); k++)
        if (values[k] != NULL)
          OGR_F_SetFieldString (f, (int) k, values[k]);
      ok = OGR_L_CreateFeature (layer, f) == OGRERR_NONE;
      OGR_F_Destroy (f);
    }
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write saban_catalog: %s", CPLGetLastErrorMsg ());
  else
    g_print ("%-18s %9u %s\n", "saban_catalog", (guint) G_N_ELEMENTS (entries), "table");
  return ok;
}
