/* The meeting report against the real saban-server --demo: a landslide
 * scenario with a finished and an overdue task and a situation report, a CAP
 * alert, the demo's citizens' reports and indicators; the report made through
 * core (fetch, build, PDF, XLSX) and through `saban --report`, its text read
 * back with pdftotext and compared with the server's own figures; its fonts
 * embedded (pdffonts); a bad template, a wrong password, a bad command line. */
#include "server-fixture.h"

#include <cpl_conv.h>
#include <gdal.h>
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <math.h>
#include <ogr_api.h>

#include "saban-error.h"
#include "saban-report-document.h"
#include "saban-report-fetch.h"

#define SCENARIO_TITLE "Sạt lở đất tại xã Bát Xát (thử nghiệm báo cáo)"
#define ALERT_HEADLINE "Nguy cơ sạt lở tại xã Bát Xát (thử nghiệm báo cáo)"

static TestServer *server;
static char *dir;
static GDate from, to;           /* the last 30 days, in Vietnam */

static Resp *
send_json (const char *method,
           const char *path,
           const char *token,
           const char *body,
           const char *if_match)
{
  const char *headers[] = { "If-Match", if_match, NULL };

  return test_request (server, method, path, token, "application/json", body, if_match ? headers : NULL);
}

/* pending → assigned → accepted → in_progress → completed, with an outcome. */
static void
complete_task (const char *token,
               gint64      task)
{
  static const char *const steps[] = {
    "{\"properties\":{\"status\":\"assigned\",\"assignee\":{\"type\":\"unit\",\"id\":\"DV-001\",\"name\":\"Đội 1\"}}}",
    "{\"properties\":{\"status\":\"accepted\"}}",
    "{\"properties\":{\"status\":\"in_progress\"}}",
    "{\"properties\":{\"status\":\"completed\",\"outcome\":\"Đã sơ tán 35 hộ dân đến điểm an toàn\"}}",
  };
  g_autofree char *path = g_strdup_printf ("/collections/tasks/items/%" G_GINT64_FORMAT, task);

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree char *etag = g_strdup_printf ("\"v%u\"", i + 1);
      g_autoptr(Resp) r = send_json ("PATCH", path, token, steps[i], etag);

      g_assert_cmpuint (r->status, ==, 200);
    }
}

static gint64
create_task (const char *token,
             gint64      scenario,
             const char *title,
             const char *due)
{
  g_autofree char *body = g_strdup_printf ("{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"scenarioId\":%"
                                           G_GINT64_FORMAT ",\"title\":\"%s\",\"dueAt\":\"%s\"}}", scenario, title, due);
  g_autoptr(Resp) r = send_json ("POST", "/collections/tasks/items", token, body, NULL);

  g_assert_cmpuint (r->status, ==, 201);
  return json_object_get_int_member (resp_object (r), "id");
}

/* What happened in the period: the scenario, its tasks and sitrep, an alert. */
static void
make_events (void)
{
  g_autofree char *coord = test_login (server, "dieuphoi");
  gint64 scenario = test_scenario_create (server, coord, SCENARIO_TITLE);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) past = g_date_time_add_hours (now, -2), future = g_date_time_add_hours (now, 6);
  g_autofree char *past_text = g_date_time_format_iso8601 (past), *future_text = g_date_time_format_iso8601 (future);
  g_autofree char *sitrep = g_strdup_printf ("{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"scenarioId\":%"
                                             G_GINT64_FORMAT ",\"summary\":\"Sạt lở vùi 2 nhà\","
                                             "\"casualties\":{\"affected\":120}}}", scenario);
  const char *alert = "{\"event\":\"Sạt lở đất\",\"category\":\"Geo\",\"urgency\":\"Expected\",\"severity\":\"Severe\","
                      "\"certainty\":\"Likely\",\"headline\":\"" ALERT_HEADLINE "\",\"areaDesc\":\"Xã Bát Xát\","
                      "\"expires\":\"2030-01-01T00:00:00Z\",\"polygon\":{\"type\":\"Polygon\",\"coordinates\":"
                      "[[[103.80,22.50],[103.90,22.50],[103.90,22.60],[103.80,22.50]]]}}";
  g_autoptr(Resp) s = NULL, a = NULL;

  complete_task (coord, create_task (coord, scenario, "Sơ tán dân khỏi vùng nguy cơ", future_text));
  create_task (coord, scenario, "Thông tuyến đường tỉnh", past_text);
  s = send_json ("POST", "/collections/sitreps/items", coord, sitrep, NULL);
  a = send_json ("POST", "/cap/alerts", coord, alert, NULL);
  g_assert_cmpuint (s->status, ==, 201);
  g_assert_cmpuint (a->status, ==, 201);
}

static char *
run_capture (const char *const *argv,
             const char *const *env,
             int               *status)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  char *out = NULL, *err = NULL;
  int wait = 0;

  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    envp = g_environ_setenv (envp, env[i], env[i + 1], TRUE);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &wait, &error));
  g_assert_no_error (error);
  *status = WIFEXITED (wait) ? WEXITSTATUS (wait) : -1;
  g_test_message ("%s: %s%s", argv[0], out, err);
  g_free (err);
  return out;
}

static char *
pdf_text (const char *pdf)
{
  const char *argv[] = { "pdftotext", "-layout", pdf, "-", NULL };
  int status;
  char *text = run_capture (argv, NULL, &status);

  g_assert_cmpint (status, ==, 0);
  return text;
}

static void
fetched (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GError *error = NULL;

  *(SabanReportData **) user_data = saban_report_fetch_finish (result, &error);
  g_assert_no_error (error);
}

/* The report through core, as the app's desk will make it. */
static char *
make_report (const char  *name,
             const char  *xlsx)
{
  g_autofree char *token = test_login (server, "lanhdao");
  g_autoptr(SabanApi) api = saban_api_new (server->base);
  g_autoptr(SabanReportData) data = NULL;
  g_autoptr(SabanReportTemplate) tpl = NULL;
  g_autoptr(SabanReportDocument) doc = NULL;
  g_autoptr(GError) error = NULL;
  char *pdf = g_build_filename (dir, name, NULL);
  gint64 start = g_get_monotonic_time ();

  saban_api_set_token (api, token);
  saban_report_fetch_async (api, &from, &to, NULL, fetched, &data);
  TEST_WAIT_UNTIL (data != NULL, 30);
  tpl = saban_report_template_new_default (&error);
  g_assert_no_error (error);
  doc = saban_report_document_build (data, tpl, &from, &to, g_get_real_time ());
  g_assert_true (saban_report_document_write_pdf (doc, data, tpl, pdf, &error));
  g_assert_no_error (error);
  if (xlsx != NULL)
    {
      g_assert_true (saban_report_document_write_xlsx (doc, xlsx, &error));
      g_assert_no_error (error);
    }
  g_test_message ("report made in %.2f s", (g_get_monotonic_time () - start) / 1e6);
  return pdf;
}

/* The text with its line breaks and runs of spaces as single spaces, for sentences that wrap. */
static char *
flatten (const char *text)
{
  g_autoptr(GRegex) space = g_regex_new ("\\s+", 0, 0, NULL);

  return g_regex_replace_literal (space, text, -1, 0, " ", 0, NULL);
}

/* The line of the layout text that starts a table row: its number (0: any),
 * then the first three words of @name. */
static const char *
row_line (char      **lines,
          guint       number,
          const char *name)
{
  g_auto(GStrv) words = g_strsplit (name, " ", 4);
  g_autofree char *start = g_strjoin (" ", words[0], words[1] ? words[1] : "", words[1] && words[2] ? words[2] : "",
                                      NULL);
  g_autofree char *pattern = NULL;
  g_autoptr(GRegex) regex = NULL;

  g_strchomp (start);
  pattern = number > 0 ? g_strdup_printf ("^\\s*%u\\s+.*\\Q%s\\E", number, start)
                       : g_strdup_printf ("\\Q%s\\E", start);
  regex = g_regex_new (pattern, 0, 0, NULL);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_regex_match (regex, lines[i], 0, NULL))
      return lines[i];
  return NULL;
}

static void
check_header (const char *text)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) vn = g_date_time_add_hours (now, 7);
  int month = g_date_time_get_month (vn);
  g_autofree char *date = g_strdup_printf (month <= 2 ? "Lào Cai, ngày %02d tháng %02d năm %d"
                                                      : "Lào Cai, ngày %02d tháng %d năm %d",
                                           g_date_time_get_day_of_month (vn), month, g_date_time_get_year (vn));

  g_assert_nonnull (strstr (text, "ỦY BAN NHÂN DÂN"));
  g_assert_nonnull (strstr (text, "TỈNH LÀO CAI"));
  g_assert_nonnull (strstr (text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
  g_assert_nonnull (strstr (text, "Độc lập – Tự do – Hạnh phúc"));
  g_assert_nonnull (strstr (text, "BÁO CÁO"));
  g_assert_nonnull (strstr (text, date));
}

/* Each monthly indicator's row shows the province's figure the server gives
 * for the month: its own (uploaded) one, else the aggregate by its rule. */
static void
check_indicators (const char *text)
{
  g_autofree char *token = test_login (server, "lanhdao");
  g_autoptr(SabanReportTemplate) tpl = saban_report_template_new_default (NULL);
  GDate first = to;
  g_autofree char *month = NULL, *path = NULL;
  g_autoptr(Resp) catalogue = test_request (server, "GET", "/indicators", token, NULL, NULL, NULL);
  g_autoptr(Resp) values = NULL;
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  JsonArray *series, *defs = json_object_get_array_member (resp_object (catalogue), "indicators");
  guint checked = 0;

  /* the last month ended by the report's last day */
  g_date_set_day (&first, 1);
  g_date_subtract_months (&first, 1);
  month = g_strdup_printf ("%04d-%02d", g_date_get_year (&first), g_date_get_month (&first));
  path = g_strdup_printf ("/indicators/values?from=%s&to=%s", month, month);
  values = test_request (server, "GET", path, token, NULL, NULL, NULL);
  series = json_object_get_array_member (resp_object (values), "series");
  for (guint i = 0; i < json_array_get_length (series); i++)
    {
      JsonObject *s = json_array_get_object_element (series, i);
      JsonNode *uploaded = json_array_get_element (json_object_get_array_member (s, "province"), 0);
      double v = JSON_NODE_HOLDS_NULL (uploaded)
                   ? json_array_get_double_element (json_object_get_array_member (s, "aggregate"), 0)
                   : json_node_get_double (uploaded);
      const char *code = json_object_get_string_member (s, "indicator");
      const char *line;

      for (guint k = 0; k < json_array_get_length (defs); k++)
        {
          JsonObject *d = json_array_get_object_element (defs, k);
          g_autofree char *expected = NULL;

          if (!g_str_equal (json_object_get_string_member (d, "code"), code))
            continue;
          expected = saban_report_format_value (tpl, v, json_object_get_string_member (d, "unit"));
          /* rows are numbered in the catalogue's order */
          line = row_line (lines, k + 1, json_object_get_string_member (d, "name"));
          if (line == NULL || strstr (line, expected) == NULL)
            g_error ("%s: “%s” not on its row: %s", code, expected, line);
          checked++;
        }
    }
  g_assert_cmpuint (checked, >=, 24);
  /* the late ones are named with their delay */
  g_assert_nonnull (strstr (text, "quá hạn cập nhật"));
}

/* Received = the requests Open311 lists for the period. */
static void
check_feedback (const char *text)
{
  g_autofree char *q = g_strdup_printf ("/open311/v2/requests.json?start_date=%04d-%02d-%02dT00:00:00%%2B07:00",
                                        g_date_get_year (&from), g_date_get_month (&from), g_date_get_day (&from));
  g_autoptr(Resp) r = test_request (server, "GET", q, NULL, NULL, NULL, NULL);
  g_autofree char *received = g_strdup_printf ("tiếp nhận %u phản ánh", json_array_get_length (json_node_get_array (r->json)));
  g_autofree char *flat = flatten (text);

  g_assert_cmpuint (json_array_get_length (json_node_get_array (r->json)), >, 0);
  if (strstr (flat, received) == NULL)
    g_error ("“%s” is not in the report", received);
}

static void
check_activity (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  const char *row = row_line (lines, 0, SCENARIO_TITLE);
  g_autofree char *flat = flatten (text);

  g_assert_nonnull (row);
  /* one of two tasks done, one late, 120 people affected */
  g_assert_nonnull (strstr (row, "1/2"));
  g_assert_nonnull (strstr (row, "120"));
  g_assert_nonnull (strstr (flat, "Đã sơ tán 35 hộ dân đến điểm an toàn"));
  g_assert_nonnull (strstr (flat, "Nguy cơ sạt lở tại xã Bát Xát"));
  g_assert_nonnull (strstr (flat, "1 bản tin mức Nghiêm trọng"));
  g_assert_nonnull (strstr (flat, "còn 1 nhiệm vụ chưa hoàn thành, 1 nhiệm vụ quá hạn"));
}

static void
check_fonts (const char *pdf)
{
  const char *argv[] = { "pdffonts", pdf, NULL };
  int status;
  g_autofree char *out = run_capture (argv, NULL, &status);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  guint fonts = 0;

  g_assert_cmpint (status, ==, 0);
  for (guint i = 2; lines[i] != NULL; i++)
    {
      if (*lines[i] == '\0')
        continue;
      fonts++;
      /* "name type encoding emb sub uni …": every font embedded */
      g_assert_nonnull (strstr (lines[i], " yes "));
      g_assert_true (strstr (lines[i], "+Noto") != NULL || strstr (lines[i], "+DejaVu") != NULL);
    }
  g_assert_cmpuint (fonts, >, 0);
}

static void
test_report_content (void)
{
  g_autofree char *xlsx = g_build_filename (dir, "bao-cao.xlsx", NULL);
  g_autofree char *pdf = make_report ("bao-cao.pdf", xlsx);
  g_autofree char *text = pdf_text (pdf);

  check_header (text);
  check_indicators (text);
  check_feedback (text);
  check_activity (text);
  check_fonts (pdf);
  /* every section says where its figures come from and when they were read */
  {
    g_autofree char *flat = flatten (text);
    g_auto(GStrv) parts = g_strsplit (flat, "số liệu lấy lúc", -1);

    g_assert_cmpuint (g_strv_length (parts) - 1, >=, 5);
  }
  {
    GDALDatasetH ds;
    OGRLayerH layer;

    /* its first row is the header even though the next (a sector's heading) is text too */
    CPLSetConfigOption ("OGR_XLSX_HEADERS", "FORCE");
    ds = GDALOpenEx (xlsx, GDAL_OF_VECTOR, NULL, NULL, NULL);

    g_assert_nonnull (ds);
    layer = GDALDatasetGetLayerByName (ds, "Chi tieu");
    g_assert_nonnull (layer);
    /* 30 indicators and a heading row for each of their 7 sectors */
    g_assert_cmpint (OGR_L_GetFeatureCount (layer, TRUE), ==, 37);
    g_assert_nonnull (GDALDatasetGetLayerByName (ds, "Su co"));
    g_assert_nonnull (GDALDatasetGetLayerByName (ds, "Phan anh theo linh vuc"));
    GDALClose (ds);
  }
}

/* The headless command: written and 0; a wrong password or a bad line, not. */
static void
test_command_line (void)
{
  g_autofree char *pdf = g_build_filename (dir, "cli.pdf", NULL);
  g_autofree char *report = g_strdup_printf ("--report=%s", pdf);
  g_autofree char *server_arg = g_strdup_printf ("--server=%s", server->base);
  g_autofree char *from_arg = g_strdup_printf ("--report-from=%04d-%02d-%02d", g_date_get_year (&from),
                                               g_date_get_month (&from), g_date_get_day (&from));
  g_autofree char *to_arg = g_strdup_printf ("--report-to=%04d-%02d-%02d", g_date_get_year (&to),
                                             g_date_get_month (&to), g_date_get_day (&to));
  const char *bin = test_program ("SABAN_BIN", "saban");
  const char *good[] = { bin, report, server_arg, "--user=lanhdao", from_arg, to_arg, NULL };
  const char *no_user[] = { bin, report, server_arg, NULL };
  const char *bad_period[] = { bin, report, server_arg, "--user=lanhdao", "--report-period=2026-13", NULL };
  const char *right[] = { "SABAN_PASSWORD", "saban-demo", NULL };
  const char *wrong[] = { "SABAN_PASSWORD", "not-the-password", NULL };
  int status;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *text = NULL;
  gint64 start = g_get_monotonic_time ();

  a = run_capture (good, right, &status);
  g_assert_cmpint (status, ==, 0);
  g_test_message ("saban --report: %.2f s", (g_get_monotonic_time () - start) / 1e6);
  text = pdf_text (pdf);
  g_assert_nonnull (strstr (text, SCENARIO_TITLE));
  g_assert_nonnull (strstr (a, "Đã lập báo cáo"));
  b = run_capture (good, wrong, &status);
  g_assert_cmpint (status, ==, 1);
  c = run_capture (no_user, right, &status);
  g_assert_cmpint (status, ==, 2);
  d = run_capture (bad_period, right, &status);
  g_assert_cmpint (status, ==, 2);
}

/* A template without its required keys is refused with its name and the key. */
static void
test_bad_template (void)
{
  g_autofree char *path = g_build_filename (dir, "bad.ini", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanReportTemplate) tpl = NULL;

  g_assert_true (g_file_set_contents (path, "[document]\ntitle=BÁO CÁO\n", -1, NULL));
  tpl = saban_report_template_new_from_file (path, &error);
  g_assert_null (tpl);
  g_assert_error (error, SABAN_ERROR, SABAN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“authority”"));
}

int
main (int argc, char *argv[])
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) vn = g_date_time_add_hours (now, 7);
  int status;

  g_setenv ("LANGUAGE", "vi", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SABAN_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_test_init (&argc, &argv, NULL);
  GDALAllRegister ();
  g_date_clear (&to, 1);
  g_date_set_dmy (&to, g_date_time_get_day_of_month (vn), g_date_time_get_month (vn), g_date_time_get_year (vn));
  from = to;
  g_date_subtract_days (&from, 29);
  dir = test_tmpdir ();
  g_test_add_func ("/report/content", test_report_content);
  g_test_add_func ("/report/command-line", test_command_line);
  g_test_add_func ("/report/bad-template", test_bad_template);
  {
    g_autofree char *db = g_build_filename (dir, "server.db", NULL);

    server = test_server_start (db, NULL);
  }
  make_events ();
  status = g_test_run ();
  test_server_stop (server);
  test_server_free (server);
  return status;
}
