/* saban-demo.c: what `--demo` needs — the demo GeoPackage (found or made
 * with saban-datagen), one account per role, the Vietnamese playbooks and 24
 * months of socio-economic indicators per commune (made by saban-datagen as
 * CSV and imported through the importer the departments use). Every seed is
 * idempotent: a restart on the same database adds nothing twice.
 */
#include "saban-demo.h"
#include "saban-auth.h"
#include "saban-command-api.h"
#include "saban-indicator-import.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

/* saban-datagen beside @self_exe, in the build tree, or on PATH; NULL if none. */
static char *
find_datagen (const char *self_exe)
{
  g_autofree char *exe_dir = self_exe ? g_path_get_dirname (self_exe) : NULL;
  g_autofree char *sibling = exe_dir ? g_build_filename (exe_dir, "saban-datagen", NULL) : NULL;
  g_autofree char *tools = exe_dir ? g_build_filename (exe_dir, "..", "tools", "saban-datagen", NULL) : NULL;

  if (sibling != NULL && g_file_test (sibling, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&sibling);
  if (tools != NULL && g_file_test (tools, G_FILE_TEST_IS_EXECUTABLE))  /* the build tree */
    return g_steal_pointer (&tools);
  return g_find_program_in_path ("saban-datagen");
}

/**
 * saban_demo_find_data:
 * $SABAN_DEMO_DATA, the copy in $XDG_CACHE_HOME/saban, else runs the
 * saban-datagen beside @self_exe (or on PATH) to make that copy.
 */
char *
saban_demo_find_data (const char *self_exe, GError **error)
{
  const char *env = g_getenv ("SABAN_DEMO_DATA");
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "saban", NULL);
  g_autofree char *out = g_build_filename (dir, "lao-cai-demo.gpkg", NULL);
  g_autofree char *tmp = g_build_filename (dir, "lao-cai-demo.gpkg.part", NULL);
  g_autofree char *datagen = NULL;
  g_autoptr(GSubprocess) proc = NULL;

  if (env != NULL && g_file_test (env, G_FILE_TEST_IS_REGULAR))
    return g_strdup (env);
  if (g_file_test (out, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&out);
  if ((datagen = find_datagen (self_exe)) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "no demo data: give --data FILE.gpkg, or install saban-datagen");
      return NULL;
    }
  g_mkdir_with_parents (dir, 0700);
  g_unlink (tmp);
  g_printerr ("saban-server: making the demo province with %s\n", datagen);
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, error, datagen, "--out", tmp, NULL);
  if (proc == NULL || !g_subprocess_wait_check (proc, NULL, error))
    return NULL;
  if (g_rename (tmp, out) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot move the demo data to %s", out);
      return NULL;
    }
  return g_steal_pointer (&out);
}

/**
 * saban_demo_find_photos:
 * The folder of the demo reports' photos: $SABAN_DEMO_PHOTOS, the copy in
 * $XDG_CACHE_HOME/saban, else drawn there by the saban-datagen beside
 * @self_exe (--photos).
 *
 * Returns: (nullable): the folder, or %NULL with @error set
 */
char *
saban_demo_find_photos (const char *self_exe, GError **error)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "saban", "feedback-photos", NULL);
  g_autofree char *tmp = g_strconcat (dir, ".part", NULL);
  g_autofree char *last = g_build_filename (dir, SABAN_DEMO_LAST_PHOTO, NULL);
  g_autofree char *datagen = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  const char *env = g_getenv ("SABAN_DEMO_PHOTOS");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (g_file_test (last, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&dir);
  if ((datagen = find_datagen (self_exe)) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no saban-datagen to draw the demo photos");
      return NULL;
    }
  g_mkdir_with_parents (tmp, 0700);
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, error, datagen, "--photos", tmp, NULL);
  if (proc == NULL || !g_subprocess_wait_check (proc, NULL, error))
    return NULL;
  /* another server may have drawn them meanwhile: theirs serve as well */
  if (g_rename (tmp, dir) != 0 && !g_file_test (last, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot move the demo photos to %s", dir);
      return NULL;
    }
  return g_steal_pointer (&dir);
}

typedef struct
{
  const char *id, *kind, *title, *category;
  const char *layers;      /* comma-separated collection ids */
  const char *indicators;  /* comma-separated indicator names */
  struct { const char *title, *agency; int minutes; } tasks[6];
} Playbook;

static const Playbook playbooks[] = {
  { "lu-quet-sat-lo", "emergency", "Lũ quét và sạt lở đất", "Geo", "rivers,roads,communes,shelters,sensor_sites",
    "rain_24h_mm,water_level_m,households_at_risk",
    { { "Cảnh báo và sơ tán dân khỏi vùng nguy cơ sạt lở", "UBND xã", 30 },
      { "Cắm biển, chốt chặn các tuyến đường có nguy cơ", "Công an tỉnh", 60 },
      { "Mở điểm sơ tán tập trung, bảo đảm lương thực", "Sở Nông nghiệp và Môi trường", 120 },
      { "Tìm kiếm cứu nạn tại điểm sạt lở", "Bộ Chỉ huy Quân sự tỉnh", 60 },
      { "Khắc phục giao thông, thông tuyến", "Sở Xây dựng", 480 } } },
  { "ngap-lut", "emergency", "Ngập lụt", "Met", "rivers,communes,shelters,sensor_sites",
    "water_level_m,rain_24h_mm,households_at_risk",
    { { "Theo dõi mực nước, cảnh báo theo cấp báo động", "Đài Khí tượng Thủy văn tỉnh", 30 },
      { "Sơ tán hộ dân vùng trũng thấp", "UBND xã", 120 },
      { "Bảo đảm an toàn hồ đập", "Sở Nông nghiệp và Môi trường", 60 },
      { "Cấp nước sạch, phòng dịch sau lũ", "Sở Y tế", 1440 } } },
  { "bao", "emergency", "Bão", "Met", "communes,shelters,roads",
    "wind_speed_ms,rain_24h_mm,households_at_risk",
    { { "Thông báo tin bão đến từng thôn, bản", "UBND xã", 60 },
      { "Gia cố nhà cửa, chằng chống công trình", "UBND xã", 240 },
      { "Bảo đảm thông tin liên lạc", "Sở Khoa học và Công nghệ", 120 },
      { "Trực ban 24/24, báo cáo định kỳ", "Văn phòng Ban Chỉ huy PCTT", 60 } } },
  { "chay-rung", "emergency", "Cháy rừng", "Fire", "zoning,communes,fire_stations,roads",
    "fire_danger_level,burned_area_ha",
    { { "Xác minh điểm cháy", "Hạt Kiểm lâm", 30 },
      { "Huy động lực lượng chữa cháy tại chỗ", "UBND xã", 60 },
      { "Điều động xe chữa cháy", "Phòng Cảnh sát PCCC và CNCH", 45 },
      { "Cô lập đám cháy, làm đường băng cản lửa", "Bộ Chỉ huy Quân sự tỉnh", 120 } } },
  { "chay-no", "emergency", "Cháy nổ", "Fire", "communes,fire_stations,health_facilities,roads",
    "incidents_count,casualties",
    { { "Điều xe chữa cháy đến hiện trường", "Phòng Cảnh sát PCCC và CNCH", 15 },
      { "Cấp cứu người bị nạn", "Trung tâm Cấp cứu 115", 20 },
      { "Phong tỏa, bảo vệ hiện trường", "Công an tỉnh", 30 } } },
  { "dich-benh", "thematic", "Dịch bệnh", "Health", "communes,health_facilities",
    "cases_new,cases_active,vaccination_rate",
    { { "Khoanh vùng ổ dịch", "Trung tâm Kiểm soát bệnh tật", 240 },
      { "Điều tra dịch tễ, truy vết", "Trung tâm Kiểm soát bệnh tật", 1440 },
      { "Bảo đảm giường bệnh, thuốc, vật tư", "Sở Y tế", 1440 },
      { "Thông tin cho người dân", "Sở Văn hóa, Thể thao và Du lịch", 120 } } },
  { "trat-tu-do-thi", "sector", "Trật tự đô thị", "Safe", "communes,roads,zoning",
    "violations_reported,violations_resolved",
    { { "Tiếp nhận, xác minh phản ánh", "UBND phường", 120 },
      { "Xử lý vi phạm xây dựng", "Đội Quản lý trật tự đô thị", 2880 },
      { "Báo cáo kết quả xử lý", "UBND phường", 4320 } } },
  { "chieu-sang", "sector", "Chiếu sáng công cộng", "Infra", "roads,communes",
    "lights_faulty,lights_repaired",
    { { "Kiểm tra tuyến đèn hỏng", "Công ty Môi trường đô thị", 480 },
      { "Thay thế, sửa chữa", "Công ty Môi trường đô thị", 1440 } } },
  { "kinh-te-via-he", "socio-economic", "Kinh tế vỉa hè", "Other", "roads,communes",
    "permits_issued,revenue_million_vnd",
    { { "Rà soát vị trí được phép kinh doanh", "UBND phường", 4320 },
      { "Cấp phép sử dụng tạm thời vỉa hè", "UBND phường", 10080 },
      { "Kiểm tra, xử lý lấn chiếm", "Đội Quản lý trật tự đô thị", 1440 } } },
  { "moi-truong", "sector", "Môi trường", "Env", "rivers,communes,sensor_sites",
    "pm25_ugm3,aqi,waste_collected_t",
    { { "Theo dõi chỉ số chất lượng không khí", "Sở Nông nghiệp và Môi trường", 60 },
      { "Cảnh báo khi AQI vượt ngưỡng", "Sở Nông nghiệp và Môi trường", 30 },
      { "Kiểm tra nguồn gây ô nhiễm", "Công an tỉnh (Phòng CS Môi trường)", 1440 } } },
  { "khai-thac-thuy-san", "socio-economic", "Khai thác thủy sản", "Env", "rivers,zoning",
    "catch_t,licensed_boats",
    { { "Kiểm tra khai thác trên lòng hồ, sông", "Chi cục Thủy sản", 1440 },
      { "Xử lý khai thác tận diệt", "Chi cục Thủy sản", 2880 } } },
  { "ocop", "socio-economic", "Sản phẩm OCOP", "Other", "communes",
    "ocop_products,ocop_revenue_million_vnd",
    { { "Tổng hợp sản phẩm đề nghị đánh giá", "Văn phòng Điều phối nông thôn mới", 10080 },
      { "Hội đồng đánh giá, phân hạng", "Sở Nông nghiệp và Môi trường", 20160 },
      { "Xúc tiến thương mại", "Sở Công Thương", 20160 } } },
  { "le-hoi", "thematic", "Lễ hội", "Safe", "communes,roads,health_facilities,police_stations",
    "visitors,incidents_count",
    { { "Phương án an ninh trật tự", "Công an tỉnh", 4320 },
      { "Phân luồng giao thông", "Công an tỉnh (Phòng CSGT)", 1440 },
      { "Bố trí y tế thường trực", "Sở Y tế", 1440 },
      { "Kiểm tra an toàn thực phẩm", "Sở Y tế", 1440 } } },
};

static JsonArray *
split_array (const char *list)
{
  g_auto(GStrv) parts = g_strsplit (list, ",", -1);
  JsonArray *a = json_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    json_array_add_string_element (a, parts[i]);
  return a;
}

static gboolean
seed_playbooks (SabanStore *store, const char *now, GError **error)
{
  if (saban_command_api_has_items (store, "playbooks"))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (playbooks); i++)
    {
      const Playbook *p = &playbooks[i];
      g_autoptr(JsonObject) o = json_object_new ();
      JsonArray *tasks = json_array_new ();

      json_object_set_string_member (o, "code", p->id);
      json_object_set_string_member (o, "title", p->title);
      json_object_set_string_member (o, "kind", p->kind);
      json_object_set_string_member (o, "category", p->category);
      json_object_set_array_member (o, "layers", split_array (p->layers));
      json_object_set_array_member (o, "indicators", split_array (p->indicators));
      for (int t = 0; t < (int) G_N_ELEMENTS (p->tasks) && p->tasks[t].title != NULL; t++)
        {
          JsonObject *task = json_object_new ();

          json_object_set_string_member (task, "title", p->tasks[t].title);
          json_object_set_string_member (task, "agency", p->tasks[t].agency);
          json_object_set_int_member (task, "targetMinutes", p->tasks[t].minutes);
          json_array_add_object_element (tasks, task);
        }
      json_object_set_array_member (o, "tasks", tasks);
      if (!saban_command_api_insert_seed (store, "playbooks", o, now, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * saban_demo_seed:
 * The demo accounts (password "saban-demo") and playbooks.
 */
gboolean
saban_demo_seed (SabanStore *store, GError **error)
{
  static const char *const accounts[][2] = {
    { "lanhdao", "leader" }, { "quyhoach", "planner" }, { "dieuphoi", "coordinator" },
    { "trucban", "operator" }, { "dulieu", "data_steward" }, { "quantri", "admin" },
  };
  g_autofree char *now = saban_store_now ();

  if (!saban_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    if (!saban_auth_ensure_user (store, accounts[i][0], accounts[i][1], SABAN_DEMO_PASSWORD, error))
      goto fail;
  if (!seed_playbooks (store, now, error))
    goto fail;
  return saban_store_commit (store, error);
fail:
  saban_store_rollback (store);
  return FALSE;
}

static gboolean
has_indicators (SabanStore *store)
{
  g_autoptr(SabanStmt) s = saban_store_prepare (store, "SELECT 1 FROM indicators LIMIT 1", NULL);

  return s != NULL && saban_stmt_step (s, NULL);
}

static void
remove_dir (const char *dir)
{
  g_autofree char *defs = g_build_filename (dir, "indicator-definitions.csv", NULL);
  g_autofree char *values = g_build_filename (dir, "indicator-values.csv", NULL);

  g_unlink (defs);
  g_unlink (values);
  g_rmdir (dir);
}

/**
 * saban_demo_seed_indicators:
 * Once per database: saban-datagen writes 24 months of the demo indicators
 * up to this month as the CSV pair a department would send, and the
 * importer takes them in, as it would theirs. The communes must be known
 * (saban_indicators_sync_units) first; with another province's communes the
 * demo indicators are left out.
 */
gboolean
saban_demo_seed_indicators (SabanStore *store, const char *self_exe, GError **error)
{
  g_autofree char *datagen = NULL, *dir = NULL, *defs = NULL, *values = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  SabanImportReport report;
  gboolean ok;

  if (has_indicators (store))
    return TRUE;
  if ((datagen = find_datagen (self_exe)) == NULL)
    {
      g_printerr ("saban-server: no saban-datagen, so no demo indicators\n");
      return TRUE;
    }
  if ((dir = g_dir_make_tmp ("saban-demo-indicators-XXXXXX", error)) == NULL)
    return FALSE;
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, error, datagen, "--indicators", dir, NULL);
  if (proc == NULL || !g_subprocess_wait_check (proc, NULL, error))
    {
      remove_dir (dir);
      return FALSE;
    }
  defs = g_build_filename (dir, "indicator-definitions.csv", NULL);
  values = g_build_filename (dir, "indicator-values.csv", NULL);
  saban_import_report_init (&report);
  ok = saban_indicator_import (store, defs, values, "saban-demo", &report, error);
  if (!ok && report.n_problems > 0)
    {
      /* another province's GeoPackage (--data) has other communes: it runs without them */
      g_autofree char *text = saban_import_report_to_text (&report);

      g_printerr ("saban-server: the demo indicators do not fit these communes (%u problems), left out:\n%.2000s",
                  report.n_problems, text);
      g_clear_error (error);
      ok = TRUE;
    }
  saban_import_report_clear (&report);
  remove_dir (dir);
  return ok;
}
