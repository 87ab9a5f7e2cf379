/* The command palette's model (core/assistant) on the demo province: the
 * layers of the demo GeoPackage, live sensors with readings below, at and
 * above their levels, scenarios in every state, an overdue task, and a
 * small indicator catalogue whose figures are worked out by hand. The
 * questions of issue 15 — "dân số xã Bảo Yên", "bao nhiêu cảm biến đang
 * báo động", "kịch bản đang chạy" — and a few more are answered with the
 * right figure, a source and a time, and a place on the map; typed
 * without diacritics too; and things are found by name. */
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "saban-assistant.h"
#include "saban-json.h"
#include "saban-ogr-reader.h"

static GPtrArray *demo;   /* the demo GeoPackage's layers, read once */

static const char catalogue_json[] =
  "{\"generated\":\"2026-12-06T03:00:00.000Z\","
  " \"province\":{\"code\":\"10\",\"name\":\"Lào Cai\",\"population\":1800000},"
  " \"communes\":[{\"code\":\"02965\",\"name\":\"Xã Bảo Yên\",\"population\":21000},"
  "               {\"code\":\"02602\",\"name\":\"Phường Lào Cai\",\"population\":56000}],"
  " \"indicators\":["
  "  {\"code\":\"DAN_SO\",\"name\":\"Dân số trung bình\",\"unit\":\"người\",\"period\":\"month\",\"aggregate\":\"sum\","
  "   \"higherIsBetter\":true,\"agency\":\"Thống kê tỉnh Lào Cai\",\"source\":\"Dữ liệu minh họa tổng hợp\"},"
  "  {\"code\":\"BHYT\",\"name\":\"Tỷ lệ dân số tham gia bảo hiểm y tế\",\"unit\":\"%\",\"period\":\"month\","
  "   \"aggregate\":\"weighted\",\"higherIsBetter\":true,\"agency\":\"Bảo hiểm xã hội tỉnh\"},"
  "  {\"code\":\"HO_NGHEO\",\"name\":\"Tỷ lệ hộ nghèo\",\"unit\":\"%\",\"period\":\"month\",\"aggregate\":\"weighted\","
  "   \"higherIsBetter\":false,\"agency\":\"Sở Nông nghiệp và Môi trường\"}]}";

/* Bảo Yên's November population is late: its October figure answers */
static const char values_json[] =
  "{\"generated\":\"2026-12-06T03:00:00.000Z\",\"communes\":[\"02602\",\"02965\"],"
  " \"series\":["
  "  {\"indicator\":\"DAN_SO\",\"periods\":[\"2026-11\",\"2026-10\"],\"values\":[[56120,null],[56100,21034]],"
  "   \"uploadedAt\":[\"2026-12-01T02:00:00.000Z\",\"2026-11-03T02:00:00.000Z\"]},"
  "  {\"indicator\":\"BHYT\",\"periods\":[\"2026-11\"],\"values\":[[96.5,91.25]]},"
  "  {\"indicator\":\"HO_NGHEO\",\"periods\":[\"2026-11\"],\"values\":[[1.5,12.4]]}"
  " ]}";

typedef struct
{
  SabanAssistant    *assistant;
  SabanSensorStore  *sensors;
  SabanCommandStore *store;
  gint64             active_id;
} Fixture;

static SabanIndicatorSet *
indicators (void)
{
  g_autoptr(JsonNode) c = saban_json_parse (catalogue_json, -1, NULL);
  g_autoptr(JsonNode) v = saban_json_parse (values_json, -1, NULL);
  g_autoptr(GError) error = NULL;
  SabanIndicatorSet *set = saban_indicator_set_new_from_json (c, v, &error);

  g_assert_no_error (error);
  return set;
}

/* a gauge in @commune reading @value against alert 3 m, danger 5 m */
static void
add_gauge (SabanSensorStore *store, gint64 id, const char *name, const char *commune, double lon, double lat,
           double value)
{
  SabanSensor meta = { .datastream_id = id, .thing_id = id, .name = name, .commune = commune,
                       .kind = SABAN_SENSOR_KIND_WATER_LEVEL, .lon = lon, .lat = lat, .unit = "m",
                       .alert_level = 3, .danger_level = 5, .interval_s = 300 };
  g_autoptr(GError) error = NULL;

  saban_sensor_store_add (store, &meta);
  g_assert_true (saban_sensor_store_observe (store, id, id * 10, g_get_real_time () - 60 * G_USEC_PER_SEC, value,
                                             &error));
  g_assert_no_error (error);
}

static void
apply (SabanCommandStore *store, SabanCommandCollection collection, gint64 id, const char *geometry,
       const char *properties)
{
  g_autofree char *text = g_strdup_printf ("{\"type\":\"Feature\",\"id\":%" G_GINT64_FORMAT ",\"geometry\":%s,"
                                           "\"properties\":%s}", id, geometry, properties);
  g_autoptr(JsonNode) node = json_from_string (text, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (saban_command_store_apply_feature (store, collection, node, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SabanIndicatorSet) set = indicators ();

  f->assistant = saban_assistant_new ();
  for (guint i = 0; i < demo->len; i++)
    {
      const char *name = saban_vector_layer_get_name (g_ptr_array_index (demo, i));

      g_ptr_array_add (titles, g_strdup (g_str_equal (name, "schools") ? "Trường học"
                                         : g_str_equal (name, "communes") ? "Xã, phường" : name));
    }
  g_ptr_array_add (titles, NULL);
  saban_assistant_set_layers (f->assistant, demo, (const char *const *) titles->pdata);

  f->sensors = saban_sensor_store_new ();
  add_gauge (f->sensors, 1, "Trạm thủy văn Bảo Yên", "02965", 104.47, 22.24, 5.6);   /* danger */
  add_gauge (f->sensors, 2, "Trạm thủy văn Phố Ràng", "02965", 104.48, 22.23, 3.2);  /* alert */
  add_gauge (f->sensors, 3, "Trạm thủy văn Cốc Lếu", "02602", 103.97, 22.49, 4.1);   /* alert */
  add_gauge (f->sensors, 4, "Trạm thủy văn Bắc Hà", "02677", 104.29, 22.54, 1.0);    /* normal */
  saban_sensor_store_flush (f->sensors);
  saban_assistant_set_sensors (f->assistant, f->sensors);

  f->store = saban_command_store_new ();
  f->active_id = 7;
  apply (f->store, SABAN_COMMAND_SCENARIOS, 7,
         "{\"type\":\"Polygon\",\"coordinates\":[[[104.4,22.2],[104.5,22.2],[104.5,22.3],[104.4,22.2]]]}",
         "{\"title\":\"Lũ quét xã Bảo Yên\",\"status\":\"active\",\"updated\":\"2026-12-06T02:30:00Z\",\"version\":3}");
  apply (f->store, SABAN_COMMAND_SCENARIOS, 8, "null",
         "{\"title\":\"Diễn tập cháy rừng\",\"status\":\"draft\",\"updated\":\"2026-12-05T02:30:00Z\",\"version\":1}");
  apply (f->store, SABAN_COMMAND_SCENARIOS, 9, "null",
         "{\"title\":\"Bão số 3\",\"status\":\"closed\",\"updated\":\"2026-12-04T02:30:00Z\",\"version\":9}");
  apply (f->store, SABAN_COMMAND_TASKS, 70, "null",
         "{\"scenarioId\":7,\"title\":\"Sơ tán thôn Khe Bàn\",\"status\":\"in_progress\","
         "\"dueAt\":\"2020-01-01T00:00:00Z\",\"updated\":\"2026-12-06T02:00:00Z\",\"version\":2}");
  apply (f->store, SABAN_COMMAND_TASKS, 71, "null",
         "{\"scenarioId\":7,\"title\":\"Kiểm tra đê bao\",\"status\":\"assigned\",\"dueAt\":\"2099-01-01T00:00:00Z\","
         "\"updated\":\"2026-12-06T02:00:00Z\",\"version\":1}");
  saban_assistant_set_commands (f->assistant, f->store);

  saban_assistant_set_indicators (f->assistant, set);
  saban_assistant_set_server (f->assistant, "http://127.0.0.1:8080");
  saban_assistant_add_command (f->assistant, "Kích hoạt kịch bản", "win.launch-scenario", "tạo kịch bản mới");
  saban_assistant_add_command (f->assistant, "Xem toàn tỉnh", "win.zoom-home", "phóng về tỉnh");
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_object_unref (f->assistant);
  g_object_unref (f->sensors);
  g_object_unref (f->store);
}

/* the first row, which must answer */
static SabanAssistantResult *
answer (Fixture *f, const char *question)
{
  g_autoptr(GListModel) rows = saban_assistant_query (f->assistant, question, 20);
  SabanAssistantResult *r;

  g_assert_cmpuint (g_list_model_get_n_items (rows), >, 0);
  r = g_list_model_get_item (rows, 0);
  g_test_message ("%s → %s (%s) [%s]", question, saban_assistant_result_get_title (r),
                  saban_assistant_result_get_subtitle (r) ? saban_assistant_result_get_subtitle (r) : "",
                  saban_assistant_result_get_source (r) ? saban_assistant_result_get_source (r) : "");
  g_assert_cmpint (saban_assistant_result_get_kind (r), ==, SABAN_ASSISTANT_ANSWER);
  g_assert_nonnull (saban_assistant_result_get_source (r));
  g_assert_cmpint (saban_assistant_result_get_time (r), >, 0);
  return r;
}

static void
assert_near (SabanAssistantResult *r, double lon, double lat)
{
  double e[4];

  g_assert_true (saban_assistant_result_get_extent (r, e));
  g_assert_cmpfloat (e[0], <=, lon + 0.05);
  g_assert_cmpfloat (e[2], >=, lon - 0.05);
  g_assert_cmpfloat (e[1], <=, lat + 0.05);
  g_assert_cmpfloat (e[3], >=, lat - 0.05);
}

static void
test_population (Fixture *f, gconstpointer data)
{
  g_autoptr(SabanAssistantResult) r = answer (f, "dân số xã Bảo Yên");
  g_autoptr(SabanAssistantResult) bare = answer (f, "dan so bao yen");
  g_autoptr(SabanAssistantResult) ward = answer (f, "Dân số phường Lào Cai là bao nhiêu?");
  g_autoptr(SabanAssistantResult) province = answer (f, "dân số toàn tỉnh");

  /* November is late for Bảo Yên: October's figure, said as October's */
  g_assert_cmpfloat (saban_assistant_result_get_figure (r), ==, 21034);
  g_assert_nonnull (strstr (saban_assistant_result_get_title (r), "Xã Bảo Yên"));
  g_assert_nonnull (strstr (saban_assistant_result_get_title (r), "10/2026"));
  g_assert_nonnull (strstr (saban_assistant_result_get_title (r), "21.034"));
  g_assert_nonnull (strstr (saban_assistant_result_get_source (r), "Thống kê tỉnh Lào Cai"));
  assert_near (r, 104.47, 22.24);
  g_assert_nonnull (saban_assistant_result_get_layer (r));
  g_assert_cmpfloat (saban_assistant_result_get_figure (bare), ==, 21034);
  g_assert_cmpfloat (saban_assistant_result_get_figure (ward), ==, 56120);
  /* the province's: the communes' sum, there being no province figure */
  g_assert_cmpfloat (saban_assistant_result_get_figure (province), ==, 56120);
}

/* without the indicators, the communes layer's own population */
static void
test_population_from_layer (Fixture *f, gconstpointer data)
{
  g_autoptr(SabanAssistantResult) r = NULL;
  SabanVectorLayer *communes = NULL;
  const SabanAttributeTable *t;
  double want = NAN;

  saban_assistant_set_indicators (f->assistant, NULL);
  for (guint i = 0; i < demo->len; i++)
    if (g_str_equal (saban_vector_layer_get_name (g_ptr_array_index (demo, i)), "communes"))
      communes = g_ptr_array_index (demo, i);
  t = saban_vector_layer_get_attributes (communes);
  for (guint32 row = 0; row < saban_vector_layer_get_n_features (communes); row++)
    if (g_str_equal (saban_attribute_table_get_string (t, saban_attribute_table_find_field (t, "name"), row),
                     "Xã Bảo Yên"))
      want = saban_attribute_table_get_real (t, saban_attribute_table_find_field (t, "population"), row);
  g_assert_false (isnan (want));
  r = answer (f, "dân số xã Bảo Yên");
  g_assert_cmpfloat (saban_assistant_result_get_figure (r), ==, want);
  g_assert_nonnull (strstr (saban_assistant_result_get_source (r), "Xã, phường"));
}

static void
test_alarms (Fixture *f, gconstpointer data)
{
  g_autoptr(SabanAssistantResult) r = answer (f, "bao nhiêu cảm biến đang báo động");
  g_autoptr(SabanAssistantResult) plain = answer (f, "bao nhieu tram dang canh bao");
  g_autoptr(SabanAssistantResult) commune = answer (f, "trạm nào đang báo động ở xã Bảo Yên");

  g_assert_cmpfloat (saban_assistant_result_get_figure (r), ==, 3);
  g_assert_nonnull (strstr (saban_assistant_result_get_subtitle (r), "Trạm thủy văn Bảo Yên"));
  g_assert_null (strstr (saban_assistant_result_get_subtitle (r), "Bắc Hà"));
  g_assert_nonnull (strstr (saban_assistant_result_get_source (r), "SensorThings"));
  assert_near (r, 104.47, 22.24);
  assert_near (r, 103.97, 22.49);
  g_assert_cmpfloat (saban_assistant_result_get_figure (plain), ==, 3);
  g_assert_cmpfloat (saban_assistant_result_get_figure (commune), ==, 2);
}

static void
test_scenarios (Fixture *f, gconstpointer data)
{
  g_autoptr(SabanAssistantResult) r = answer (f, "kịch bản đang chạy");
  g_autoptr(SabanAssistantResult) overdue = answer (f, "nhiệm vụ nào quá hạn");

  g_assert_cmpfloat (saban_assistant_result_get_figure (r), ==, 1);
  g_assert_cmpstr (saban_assistant_result_get_subtitle (r), ==, "Lũ quét xã Bảo Yên");
  g_assert_cmpint (saban_assistant_result_get_item (r), ==, f->active_id);
  g_assert_cmpstr (saban_assistant_result_get_action (r), ==, "app.scenario(int64 7)");
  assert_near (r, 104.45, 22.25);
  g_assert_cmpfloat (saban_assistant_result_get_figure (overdue), ==, 1);
  g_assert_cmpstr (saban_assistant_result_get_subtitle (overdue), ==, "Sơ tán thôn Khe Bàn");
}

/* the demo's schools of a commune, counted as the layer holds them */
static void
test_facilities (Fixture *f, gconstpointer data)
{
  g_autoptr(SabanAssistantResult) r = answer (f, "bao nhiêu trường học ở xã Bảo Yên");
  g_autoptr(SabanAssistantResult) all = answer (f, "so truong hoc toan tinh");
  SabanVectorLayer *schools = NULL;
  const SabanAttributeTable *t;
  guint want = 0;

  for (guint i = 0; i < demo->len; i++)
    if (g_str_equal (saban_vector_layer_get_name (g_ptr_array_index (demo, i)), "schools"))
      schools = g_ptr_array_index (demo, i);
  t = saban_vector_layer_get_attributes (schools);
  for (guint32 row = 0; row < saban_vector_layer_get_n_features (schools); row++)
    want += g_strcmp0 (saban_attribute_table_get_string (t, saban_attribute_table_find_field (t, "commune_code"), row),
                       "02965") == 0;
  g_assert_cmpuint (want, >, 0);
  g_assert_cmpfloat (saban_assistant_result_get_figure (r), ==, want);
  g_assert_nonnull (strstr (saban_assistant_result_get_source (r), "Trường học"));
  g_assert_nonnull (strstr (saban_assistant_result_get_source (r), "lao-cai-demo.gpkg"));
  g_assert_null (strstr (saban_assistant_result_get_source (r), "/"));
  g_assert_cmpfloat (saban_assistant_result_get_figure (all), ==, saban_vector_layer_get_n_features (schools));
}

static void
test_indicator (Fixture *f, gconstpointer data)
{
  g_autoptr(SabanAssistantResult) poor = answer (f, "tỷ lệ hộ nghèo xã Bảo Yên");
  g_autoptr(SabanAssistantResult) insured = answer (f, "ty le bao hiem y te phuong lao cai");
  g_autoptr(SabanAssistantResult) area = answer (f, "diện tích xã Bảo Yên");

  g_assert_cmpfloat (saban_assistant_result_get_figure (poor), ==, 12.4);
  g_assert_nonnull (strstr (saban_assistant_result_get_title (poor), "12,4 %"));
  g_assert_cmpfloat (saban_assistant_result_get_figure (insured), ==, 96.5);
  g_assert_cmpfloat (saban_assistant_result_get_figure (area), >, 1);
}

/* found by name, without diacritics: a command, a place, a sensor, a
 * scenario, a task, an indicator, a layer */
static void
test_find (Fixture *f, gconstpointer data)
{
  static const struct { const char *query; SabanAssistantKind kind; const char *title; } cases[] = {
    { "kich hoat", SABAN_ASSISTANT_COMMAND, "Kích hoạt kịch bản" },
    { "toan tinh", SABAN_ASSISTANT_COMMAND, "Xem toàn tỉnh" },
    { "bao yen", SABAN_ASSISTANT_PLACE, "Xã Bảo Yên" },
    { "pho rang", SABAN_ASSISTANT_SENSOR, "Trạm thủy văn Phố Ràng" },
    { "lu quet", SABAN_ASSISTANT_SCENARIO, "Lũ quét xã Bảo Yên" },
    { "khe ban", SABAN_ASSISTANT_TASK, "Sơ tán thôn Khe Bàn" },
    { "ho ngheo", SABAN_ASSISTANT_INDICATOR, "Tỷ lệ hộ nghèo" },
    { "truong", SABAN_ASSISTANT_LAYER, "Trường học" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GListModel) rows = saban_assistant_query (f->assistant, cases[i].query, 100);
      gboolean found = FALSE;

      for (guint j = 0; j < g_list_model_get_n_items (rows) && !found; j++)
        {
          g_autoptr(SabanAssistantResult) r = g_list_model_get_item (rows, j);

          found = saban_assistant_result_get_kind (r) == cases[i].kind &&
                  g_strcmp0 (saban_assistant_result_get_title (r), cases[i].title) == 0;
          if (found && cases[i].kind == SABAN_ASSISTANT_TASK)
            g_assert_cmpstr (saban_assistant_result_get_action (r), ==, "app.scenario(int64 7)");
        }
      g_test_message ("%s: %u rows", cases[i].query, g_list_model_get_n_items (rows));
      g_assert_true (found);
    }
}

/* nothing asked, nothing typed, or something hostile: no answer, no crash */
static void
test_nothing (Fixture *f, gconstpointer data)
{
  g_autofree char *huge = g_strnfill (100000, 'a');
  const char *queries[] = { "", "   ", "?!", "\xff\xfe bao", huge, "dân số xã Không Có" };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr(GListModel) rows = saban_assistant_query (f->assistant, queries[i], 20);

      for (guint j = 0; j < g_list_model_get_n_items (rows); j++)
        {
          g_autoptr(SabanAssistantResult) r = g_list_model_get_item (rows, j);

          g_assert_cmpint (saban_assistant_result_get_kind (r), !=, SABAN_ASSISTANT_ANSWER);
        }
    }
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;

  /* the answers as a Vietnamese user reads them: "21.034 người" */
  g_setenv ("LANGUAGE", "vi", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SABAN_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_test_init (&argc, &argv, NULL);
  demo = saban_ogr_read (g_getenv ("SABAN_DEMO_DATA"), "EPSG:9208", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_test_add ("/assistant/population", Fixture, NULL, fixture_set_up, test_population, fixture_tear_down);
  g_test_add ("/assistant/population-from-layer", Fixture, NULL, fixture_set_up, test_population_from_layer,
              fixture_tear_down);
  g_test_add ("/assistant/alarms", Fixture, NULL, fixture_set_up, test_alarms, fixture_tear_down);
  g_test_add ("/assistant/scenarios", Fixture, NULL, fixture_set_up, test_scenarios, fixture_tear_down);
  g_test_add ("/assistant/facilities", Fixture, NULL, fixture_set_up, test_facilities, fixture_tear_down);
  g_test_add ("/assistant/indicator", Fixture, NULL, fixture_set_up, test_indicator, fixture_tear_down);
  g_test_add ("/assistant/find", Fixture, NULL, fixture_set_up, test_find, fixture_tear_down);
  g_test_add ("/assistant/nothing", Fixture, NULL, fixture_set_up, test_nothing, fixture_tear_down);
  return g_test_run ();
}
