/* Indicators against the real saban-server: a three-commune GeoPackage made
 * here from the demo's (A, B, C of 100, 300 and 600 people, the population in a
 * field named dan_so), the importer on the command line and through the upload (good
 * files, CSV and XLSX; each kind of bad row refusing the whole file with its
 * row report in Vietnamese and nothing written; a period imported again
 * replaced and audited), who may upload, the province's aggregates (sum,
 * mean, population-weighted) and freshness against figures worked out by
 * hand, and the client's reader and model on the same server. */
#include "server-fixture.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "saban-indicator-reader.h"

static TestServer *server;
static char *dir;
static char *gpkg;

static const char definitions_csv[] =
  "code,name,unit,sector,agency,period,aggregate,higher_is_better,target,source,warning,due_days\n"
  "RICE,Sản lượng lúa,tấn,Nông nghiệp,Sở Nông nghiệp và Môi trường,month,sum,true,55,Thử nghiệm,,\n"
  "RATE,Tỷ lệ đúng hạn,%,Hành chính,Văn phòng UBND tỉnh,month,mean,true,20,Thử nghiệm,15,\n"
  "POOR,Tỷ lệ hộ nghèo,%,Xã hội,Sở Nông nghiệp và Môi trường,month,weighted,false,20,Thử nghiệm,24,\n"
  "LATE,Chỉ tiêu chậm,vụ,An ninh,Công an tỉnh,month,sum,false,,Thử nghiệm,,12\n"
  "QTR,Thu ngân sách quý,tỷ đồng,Kinh tế,Sở Tài chính,quarter,sum,true,,Thử nghiệm,,\n";

static const char values_csv[] =
  "code,commune_code,period,value\n"
  "RICE,A,2026-11,10\nRICE,B,2026-11,20\nRICE,C,2026-11,30\nRICE,P,2026-11,61\n"
  "RICE,A,2026-10,9\nRICE,B,2026-10,18\nRICE,C,2026-10,33\n"
  "RATE,A,2026-11,10\nRATE,B,2026-11,20\nRATE,C,2026-11,30\n"
  "POOR,A,2026-11,10\nPOOR,B,2026-11,20\nPOOR,C,2026-11,30\n"
  "QTR,A,2026-Q3,1.5\nQTR,B,2026-Q3,\"2,5\"\n";

/* ---- helpers ---------------------------------------------------------------- */

static char *
write_file (const char *name,
            const char *text,
            gssize      len)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, len, NULL));
  return path;
}

static int
run (const char *const *argv,
     char              **out,
     char              **err)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, err, &status,
                               &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* The demo province with three communes and a province of its own instead of
 * its 99 (made with ogr2ogr): the rest of --demo still finds its layers. */
static void
make_gpkg (void)
{
  g_autofree char *communes = write_file ("communes.csv",
    "code,name,dan_so,WKT\n"
    "A,Xã A,100,\"POLYGON((103.90 22.40,104.00 22.40,104.00 22.50,103.90 22.50,103.90 22.40))\"\n"
    "B,Xã B,300,\"POLYGON((104.00 22.40,104.10 22.40,104.10 22.50,104.00 22.50,104.00 22.40))\"\n"
    "C,Phường C,600,\"POLYGON((104.10 22.40,104.20 22.40,104.20 22.50,104.10 22.50,104.10 22.40))\"\n", -1);
  g_autofree char *province = write_file ("province.csv",
    "code,name,WKT\nP,Tỉnh Thử,\"POLYGON((103.90 22.40,104.20 22.40,104.20 22.50,103.90 22.50,103.90 22.40))\"\n", -1);
  g_autofree char *demo = NULL;
  gsize len;
  const char *a[] = { "ogr2ogr", "-update", "-overwrite", "-f", "GPKG", gpkg, communes, "-nln", "communes",
                      "-a_srs", "EPSG:4326", "-nlt", "MULTIPOLYGON", "-oo", "GEOM_POSSIBLE_NAMES=WKT",
                      "-oo", "KEEP_GEOM_COLUMNS=NO", "-oo", "AUTODETECT_TYPE=YES", NULL };
  const char *b[] = { "ogr2ogr", "-update", "-overwrite", "-f", "GPKG", gpkg, province, "-nln", "province",
                      "-a_srs", "EPSG:4326", "-nlt", "MULTIPOLYGON", "-oo", "GEOM_POSSIBLE_NAMES=WKT",
                      "-oo", "KEEP_GEOM_COLUMNS=NO", NULL };

  g_assert_true (g_file_get_contents (g_getenv ("SABAN_DEMO_DATA"), &demo, &len, NULL));
  g_assert_true (g_file_set_contents (gpkg, demo, (gssize) len, NULL));
  g_assert_cmpint (run (a, NULL, NULL), ==, 0);
  g_assert_cmpint (run (b, NULL, NULL), ==, 0);
}

static gint64
count (const char *db,
       const char *sql)
{
  g_autofree char *location = test_db_location (db);

  return test_db_query_int (location, sql, NULL);
}

/* saban-server import-indicators on a fresh database of the three communes. */
static int
cli_import (const char *db,
            const char *defs,
            const char *values,
            char      **err)
{
  g_autofree char *data = g_strdup_printf ("--data=%s", gpkg);
  g_autofree char *location = test_db_location (db);
  g_autofree char *dbarg = g_strdup_printf ("--db=%s", location);
  const char *argv[] = { test_program ("SABAN_SERVER", "saban-server"), "import-indicators", dbarg, data,
                         "--user=thu-nghiem", defs, values, NULL };

  return run (argv, NULL, err);
}

/* POST /indicators/import with the given parts (name, file name, bytes). */
static Resp *
upload (const char *token,
        const char *name,
        const char *filename,
        GBytes     *bytes)
{
  g_autoptr(SoupMultipart) mp = soup_multipart_new ("multipart/form-data");
  g_autofree char *url = g_strconcat (server->base, "/indicators/import", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  Resp *r = g_new0 (Resp, 1);

  soup_multipart_append_form_file (mp, name, filename, "application/octet-stream", bytes);
  soup_multipart_to_message (mp, soup_message_get_request_headers (msg), &body);
  soup_message_set_request_body_from_bytes (msg, NULL, body);
  if (token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
    }
  answer = soup_session_send_and_read (test_session (), msg, NULL, &error);
  g_assert_no_error (error);
  r->status = soup_message_get_status (msg);
  r->body = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  r->json = json_from_string (r->body, NULL);
  return r;
}

static Resp *
upload_text (const char *token,
             const char *name,
             const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return upload (token, name, "file.csv", bytes);
}

/* ---- the command line --------------------------------------------------------- */

static void
test_cli_good (void)
{
  g_autofree char *db = g_build_filename (dir, "cli-good.db", NULL);
  g_autofree char *defs = write_file ("defs.csv", definitions_csv, -1);
  g_autofree char *values = write_file ("values-good.csv",
    "code,commune_code,period,value,unit\nRICE,A,2026-11,10,tấn\nRICE,B,2026-11,20,TẤN\nRICE,C,2026-11,30,\n", -1);
  g_autofree char *err = NULL;

  g_assert_cmpint (cli_import (db, defs, values, &err), ==, 0);
  g_assert_cmpint (count (db, "SELECT COUNT(*) FROM indicators"), ==, 5);
  g_assert_cmpint (count (db, "SELECT COUNT(*) FROM indicator_values"), ==, 3);
  g_assert_cmpint (count (db, "SELECT COUNT(*) FROM admin_units WHERE kind = 'commune' AND population > 0"), ==, 3);
  /* the province's population is its communes' */
  g_assert_cmpint (count (db, "SELECT population FROM admin_units WHERE kind = 'province'"), ==, 1000);
  g_assert_cmpint (count (db, "SELECT COUNT(*) FROM indicator_values WHERE uploaded_by = "
                              "'thu-nghiem (import-indicators)'"), ==, 3);
  g_assert_cmpint (count (db, "SELECT COUNT(*) FROM audit WHERE action = 'import-indicators'"), ==, 1);
}

/* Each kind of bad row refuses the file whole: the report names the row and
 * column in Vietnamese, and the database is as it was. */
static void
test_cli_bad_rows (void)
{
  static const struct { const char *row, *expect; } cases[] = {
    { "RICE,X9,2026-11,1", "dòng 3, cột commune_code: “X9” không phải mã của một xã, phường trong tỉnh" },
    { "NOPE,A,2026-11,1", "dòng 3, cột code: Chỉ tiêu “NOPE” không có trong danh mục" },
    { "RICE,A,2026-11,1,ha", "dòng 3, cột unit: Đơn vị “ha” không phải đơn vị của chỉ tiêu “tấn”" },
    { "RICE,B,2026-11,2", "dòng 3: Dòng 2 đã có chỉ tiêu, xã và kỳ này" },
    { "RICE,A,2026-10,mười", "dòng 3, cột value: “mười” không phải là số" },
    { "RICE,A,2026-10,\"1.234,5\"", "dòng 3, cột value: “1.234,5” không phải là số" },
    { "RICE,A,2026-Q3,1", "dòng 3, cột period: “2026-Q3” là quý, nhưng RICE được báo cáo theo tháng" },
    { "RICE,A,2026-13,1", "dòng 3, cột period: “2026-13” không phải là một kỳ báo cáo" },
    { "RICE,A,2026-10,", "dòng 3, cột value: Thiếu giá trị" },
    { "RICE,A,2026-10,\xff\xfe", "dòng 3, cột value: Văn bản không phải UTF-8" },
  };
  g_autofree char *db = g_build_filename (dir, "cli-bad.db", NULL);
  g_autofree char *defs = write_file ("defs-bad.csv", definitions_csv, -1);

  g_assert_cmpint (cli_import (db, defs, "-", NULL), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("code,commune_code,period,value%s\nRICE,B,2026-11,2%s\n%s\n",
                                               strstr (cases[i].row, ",ha") ? ",unit" : "",
                                               strstr (cases[i].row, ",ha") ? "," : "", cases[i].row);
      g_autofree char *values = write_file ("values-bad.csv", text, -1);
      g_autofree char *err = NULL;

      g_assert_cmpint (cli_import (db, "-", values, &err), ==, 1);
      if (strstr (err, cases[i].expect) == NULL)
        g_error ("case %u: expected “%s” in:\n%s", i, cases[i].expect, err);
      g_assert_nonnull (strstr (err, "Không nhập gì"));
      g_assert_cmpint (count (db, "SELECT COUNT(*) FROM indicator_values"), ==, 0);
    }
}

static void
test_cli_bad_files (void)
{
  g_autofree char *db = g_build_filename (dir, "cli-files.db", NULL);
  g_autofree char *defs = write_file ("defs-files.csv", definitions_csv, -1);
  g_autofree char *header = write_file ("values-header.csv", "code,commune,period,value,colour\nRICE,A,2026-11,1\n", -1);
  g_autofree char *junk = write_file ("junk.xlsx", "PK\3\4 not really a spreadsheet", -1);
  g_autofree char *bad_defs = write_file ("defs-bad-kinds.csv",
    "code,name,unit,sector,agency,period,aggregate,higher_is_better,target,source,warning\n"
    "X Y,Tên,t,S,A,fortnight,median,maybe,ten,Nguồn,\n"
    "RICE,Tên,t,S,A,month,sum,true,10,Nguồn,12\n"
    "RICE,Tên,t,S,A,month,sum,true,10,Nguồn,\n", -1);
  g_autoptr(GString) many = g_string_new ("code,commune_code,period,value\n");
  g_autofree char *err = NULL, *err2 = NULL, *err3 = NULL, *err4 = NULL;
  g_autofree char *many_path = NULL;

  g_assert_cmpint (cli_import (db, defs, "-", NULL), ==, 0);
  g_assert_cmpint (cli_import (db, "-", header, &err), ==, 1);
  g_assert_nonnull (strstr (err, "dòng 1, cột commune: Cột “commune” không có trong mẫu"));
  g_assert_nonnull (strstr (err, "dòng 1, cột commune_code: Thiếu cột “commune_code”"));
  g_assert_cmpint (cli_import (db, "-", junk, &err2), ==, 1);
  g_assert_nonnull (strstr (err2, "values: Tệp không phải là bảng CSV hoặc XLSX"));
  g_assert_cmpint (cli_import (db, bad_defs, "-", &err3), ==, 1);
  g_assert_nonnull (strstr (err3, "dòng 2, cột code: “X Y” không phải là mã chỉ tiêu hợp lệ"));
  g_assert_nonnull (strstr (err3, "dòng 2, cột period: “fortnight” không phải là loại kỳ báo cáo"));
  g_assert_nonnull (strstr (err3, "dòng 2, cột aggregate:"));
  g_assert_nonnull (strstr (err3, "dòng 2, cột higher_is_better:"));
  g_assert_nonnull (strstr (err3, "dòng 2, cột target: “ten” không phải là số"));
  g_assert_nonnull (strstr (err3, "dòng 3, cột warning:"));
  g_assert_nonnull (strstr (err3, "dòng 4, cột code: Chỉ tiêu đã được khai báo ở dòng 3"));
  /* one row more than allowed: refused before the rest is even read */
  for (int i = 0; i <= 500000; i++)
    g_string_append (many, "RICE,A,2026-11,1\n");
  many_path = write_file ("many.csv", many->str, (gssize) many->len);
  g_assert_cmpint (cli_import (db, "-", many_path, &err4), ==, 1);
  g_assert_nonnull (strstr (err4, "Tệp có quá 500000 dòng"));
  g_assert_cmpint (count (db, "SELECT COUNT(*) FROM indicator_values"), ==, 0);
  g_assert_cmpint (count (db, "SELECT COUNT(*) FROM indicators"), ==, 5);
}

/* ---- the server ---------------------------------------------------------------------- */

static void
test_upload_roles (void)
{
  g_autofree char *steward = test_login (server, "dulieu");
  g_autofree char *operator = test_login (server, "trucban");
  g_autoptr(Resp) anonymous = upload_text (NULL, "definitions", definitions_csv);
  g_autoptr(Resp) refused = upload_text (operator, "definitions", definitions_csv);
  g_autoptr(Resp) ok = upload_text (steward, "definitions", definitions_csv);

  g_assert_cmpuint (anonymous->status, ==, 401);
  g_assert_cmpuint (refused->status, ==, 403);
  g_assert_cmpuint (ok->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (resp_object (ok), "definitionsAdded"), ==, 5);
  g_assert_cmpint (count (server->db, "SELECT COUNT(*) FROM indicators WHERE code IN "
                                      "('RICE', 'RATE', 'POOR', 'LATE', 'QTR') AND updated_by = 'dulieu'"), ==, 5);
}

/* A decimal comma in a quoted field is a decimal. */
static void
test_upload_values (void)
{
  g_autofree char *steward = test_login (server, "dulieu");
  g_autoptr(Resp) r = upload_text (steward, "values", values_csv);

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (resp_object (r), "valuesWritten"), ==, 15);
  g_assert_cmpint (json_object_get_int_member (resp_object (r), "periodsReplaced"), ==, 0);
}

static void
test_upload_bad (void)
{
  g_autofree char *steward = test_login (server, "dulieu");
  g_autoptr(Resp) r = upload_text (steward, "values",
                                   "code,commune_code,period,value\nRICE,A,2026-09,1\nRICE,Z,2026-09,2\n");
  g_autoptr(Resp) listing = NULL;
  JsonArray *problems;
  JsonObject *p;

  g_assert_cmpuint (r->status, ==, 422);
  problems = json_object_get_array_member (resp_object (r), "problems");
  g_assert_cmpuint (json_array_get_length (problems), ==, 1);
  p = json_array_get_object_element (problems, 0);
  g_assert_cmpint (json_object_get_int_member (p, "row"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (p, "column"), ==, "commune_code");
  g_assert_cmpstr (json_object_get_string_member (p, "code"), ==, "unknown-commune");
  g_assert_cmpstr (json_object_get_string_member (p, "message"), ==, "“Z” không phải mã của một xã, phường trong tỉnh");
  /* nothing of the good row was kept */
  listing = test_request (server, "GET", "/indicators/values?indicator=RICE&from=2026-09&to=2026-09", steward,
                          NULL, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (resp_object (listing), "series")), ==, 0);
}

/* Bodies that are no upload are refused before anything is read. */
static void
test_upload_hostile (void)
{
  g_autofree char *steward = test_login (server, "dulieu");
  g_autoptr(Resp) raw = test_request (server, "POST", "/indicators/import", steward, "text/csv", values_csv, NULL);
  g_autoptr(Resp) other = upload_text (steward, "something", values_csv);
  g_autoptr(Resp) junk = upload_text (steward, "values", "\x01\x02 not a table at all");
  g_autoptr(Resp) get = test_request (server, "GET", "/indicators/import", steward, NULL, NULL, NULL);

  g_assert_cmpuint (raw->status, ==, 415);
  g_assert_cmpstr (json_object_get_string_member (resp_object (raw), "code"), ==, "unsupported-media-type");
  g_assert_cmpuint (other->status, ==, 400);
  g_assert_cmpuint (junk->status, ==, 422);
  g_assert_cmpuint (get->status, ==, 405);
}

/* An XLSX made by GDAL from the same CSV imports the same. */
static void
test_upload_xlsx (void)
{
  g_autofree char *steward = test_login (server, "dulieu");
  g_autofree char *csv = write_file ("rate-dec.csv", "code,commune_code,period,value\nRATE,A,2026-12,11\n"
                                                     "RATE,B,2026-12,22\nRATE,C,2026-12,33\n", -1);
  g_autofree char *xlsx = g_build_filename (dir, "rate-dec.xlsx", NULL);
  const char *argv[] = { "ogr2ogr", "-f", "XLSX", xlsx, csv, NULL };
  g_autofree char *data = NULL;
  gsize len;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(Resp) r = NULL;

  g_assert_cmpint (run (argv, NULL, NULL), ==, 0);
  g_assert_true (g_file_get_contents (xlsx, &data, &len, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&data), len);
  r = upload (steward, "values", "rate.xlsx", bytes);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (resp_object (r), "valuesWritten"), ==, 3);
}

static JsonObject *
series_of (JsonObject *values,
           const char *code)
{
  JsonArray *series = json_object_get_array_member (values, "series");

  for (guint i = 0; i < json_array_get_length (series); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (series, i), "indicator"), code))
      return json_array_get_object_element (series, i);
  g_error ("no series %s", code);
}

static double
at (JsonObject *series,
    const char *member,
    guint       index)
{
  return json_array_get_double_element (json_object_get_array_member (series, member), index);
}

/* sum 10 + 20 + 30; mean 20; weighted (10·100 + 20·300 + 30·600) / 1000 = 25 */
static void
test_aggregation (void)
{
  g_autofree char *token = test_login (server, "lanhdao");
  g_autoptr(Resp) r = test_request (server, "GET", "/indicators/values?from=2026-11&to=2026-11", token, NULL, NULL,
                                    NULL);
  JsonObject *rice, *rate, *poor;

  g_assert_cmpuint (r->status, ==, 200);
  rice = series_of (resp_object (r), "RICE");
  rate = series_of (resp_object (r), "RATE");
  poor = series_of (resp_object (r), "POOR");
  g_assert_cmpfloat (at (rice, "aggregate", 0), ==, 60);
  g_assert_cmpfloat (at (rice, "province", 0), ==, 61);
  g_assert_cmpfloat (at (rate, "aggregate", 0), ==, 20);
  g_assert_cmpfloat (at (poor, "aggregate", 0), ==, 25);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_array_get_element (json_object_get_array_member (rate, "province"), 0)));
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (rice, "uploadedBy"), 0), ==, "dulieu");
  /* a quarter starts within a range of months that covers its first day */
  {
    g_autoptr(Resp) q = test_request (server, "GET", "/indicators/values?indicator=QTR&from=2026-07&to=2026-07",
                                      token, NULL, NULL, NULL);
    JsonObject *qtr = series_of (resp_object (q), "QTR");

    g_assert_cmpfloat (at (qtr, "aggregate", 0), ==, 4);
  }
  /* hostile parameters */
  {
    g_autoptr(Resp) a = test_request (server, "GET", "/indicators/values?from=2026-13", token, NULL, NULL, NULL);
    g_autoptr(Resp) b = test_request (server, "GET", "/indicators/values?limit=1", token, NULL, NULL, NULL);
    g_autoptr(Resp) c = test_request (server, "GET", "/indicators/values", NULL, NULL, NULL, NULL);

    g_assert_cmpuint (a->status, ==, 400);
    g_assert_cmpuint (b->status, ==, 400);
    g_assert_cmpuint (c->status, ==, 401);
  }
}

/* Importing a period again replaces it whole, and the audit says what replaced what. */
static void
test_replace (void)
{
  g_autofree char *steward = test_login (server, "dulieu");
  g_autoptr(Resp) r = upload_text (steward, "values", "code,commune_code,period,value\nRICE,A,2026-11,12\n"
                                                      "RICE,B,2026-11,22\n");
  g_autofree char *token = test_login (server, "lanhdao");
  g_autoptr(Resp) v = NULL;
  JsonObject *rice;

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (resp_object (r), "periodsReplaced"), ==, 1);
  g_assert_cmpint (count (server->db, "SELECT COUNT(*) FROM audit WHERE action = 'replace-indicator-values' "
                                      "AND target = 'indicators/RICE/2026-11' AND actor = 'dulieu' "
                                      "AND detail = '4 values replaced by 2'"), ==, 1);
  v = test_request (server, "GET", "/indicators/values?indicator=RICE&from=2026-11&to=2026-11", token, NULL, NULL,
                    NULL);
  rice = series_of (resp_object (v), "RICE");
  /* C and the province's own figure went with the old period */
  g_assert_cmpfloat (at (rice, "aggregate", 0), ==, 34);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_array_get_element (json_object_get_array_member (rice, "province"), 0)));
}

/* LATE's last value is for three months before this one, due 12 days after the next month. */
static void
test_freshness (void)
{
  g_autofree char *steward = test_login (server, "dulieu");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) vietnam = g_date_time_add_hours (now, 7);
  int y = g_date_time_get_year (vietnam), m = g_date_time_get_month (vietnam);
  int ly = (y * 12 + m - 1 - 3) / 12, lm = (y * 12 + m - 1 - 3) % 12 + 1;
  g_autofree char *text = g_strdup_printf ("code,commune_code,period,value\nLATE,A,%04d-%02d,1\n", ly, lm);
  g_autoptr(Resp) r = upload_text (steward, "values", text);
  g_autoptr(Resp) cat = test_request (server, "GET", "/indicators", steward, NULL, NULL, NULL);
  JsonArray *list = json_object_get_array_member (resp_object (cat), "indicators");
  GDate today, due;
  int expected;

  g_assert_cmpuint (r->status, ==, 200);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (vietnam), m, y);
  /* the next month (two before this one) ends, then 12 days */
  g_date_clear (&due, 1);
  g_date_set_dmy (&due, 1, (ly * 12 + lm) % 12 + 1, (ly * 12 + lm) / 12);
  g_date_add_months (&due, 1);
  g_date_subtract_days (&due, 1);
  g_date_add_days (&due, 12);
  expected = MAX (0, g_date_days_between (&due, &today));
  g_assert_cmpint (expected, >, 0);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *o = json_array_get_object_element (list, i);

      if (!g_str_equal (json_object_get_string_member (o, "code"), "LATE"))
        continue;
      g_assert_cmpint (json_object_get_int_member (o, "overdueDays"), ==, expected);
      g_assert_cmpint (json_object_get_int_member (o, "dueDays"), ==, 12);
      return;
    }
  g_assert_not_reached ();
}

static void
fetched (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GError *error = NULL;

  *(SabanIndicatorSet **) user_data = saban_indicator_reader_fetch_finish (result, &error);
  g_assert_no_error (error);
}

/* The client's reader on the same server: its model agrees with the server's figures. */
static void
test_reader (void)
{
  g_autofree char *token = test_login (server, "lanhdao");
  g_autoptr(SabanApi) api = saban_api_new (server->base);
  g_autoptr(SabanIndicatorSet) set = NULL;
  SabanPeriod nov, late_first;
  guint rice, poor, late, n;
  guint8 classes[3];
  g_autoptr(GArray) breaks = NULL;
  GDate today;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) vietnam = g_date_time_add_hours (now, 7);

  saban_api_set_token (api, token);
  saban_indicator_reader_fetch_async (api, NULL, NULL, NULL, fetched, &set);
  TEST_WAIT_UNTIL (set != NULL, 10);
  g_assert_true (saban_period_parse ("2026-11", &nov));
  g_assert_cmpuint (saban_indicator_set_get_n_communes (set), ==, 3);
  g_assert_cmpfloat (saban_indicator_set_get_province (set)->population, ==, 1000);
  g_assert_true (saban_indicator_set_find (set, "RICE", &rice));
  g_assert_true (saban_indicator_set_find (set, "POOR", &poor));
  g_assert_true (saban_indicator_set_find (set, "LATE", &late));
  g_assert_cmpfloat (saban_indicator_set_get_value (set, rice, SABAN_PROVINCE, &nov), ==, 34);
  g_assert_cmpfloat (saban_indicator_set_get_value (set, poor, SABAN_PROVINCE, &nov), ==, 25);
  breaks = saban_indicator_set_classify (set, poor, &nov, 3, SABAN_CLASSIFY_NATURAL_BREAKS, classes);
  g_assert_cmpuint (breaks->len, ==, 3);
  g_assert_cmpuint (classes[0], ==, 0);
  g_assert_cmpuint (classes[2], ==, 2);
  g_assert_true (saban_indicator_set_get_span (set, late, &late_first, &n));
  g_assert_cmpuint (n, ==, 1);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (vietnam), g_date_time_get_month (vietnam),
                  g_date_time_get_year (vietnam));
  g_assert_cmpint (saban_indicator_overdue_days (saban_indicator_set_get_indicator (set, late), &today), >, 0);
  {
    g_autofree char *fresh = saban_indicator_format_freshness (saban_indicator_set_get_indicator (set, late), &today);

    g_assert_true (g_str_has_prefix (fresh, "quá hạn cập nhật "));
  }
}

int
main (int argc, char *argv[])
{
  g_autofree char *data = NULL;
  int status;

  g_setenv ("LANGUAGE", "vi", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SABAN_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_test_init (&argc, &argv, NULL);
  dir = test_tmpdir ();
  gpkg = g_build_filename (dir, "three.gpkg", NULL);
  make_gpkg ();
  g_test_add_func ("/indicators/cli-good", test_cli_good);
  g_test_add_func ("/indicators/cli-bad-rows", test_cli_bad_rows);
  g_test_add_func ("/indicators/cli-bad-files", test_cli_bad_files);
  g_test_add_func ("/indicators/upload-roles", test_upload_roles);
  g_test_add_func ("/indicators/upload-values", test_upload_values);
  g_test_add_func ("/indicators/upload-bad", test_upload_bad);
  g_test_add_func ("/indicators/upload-hostile", test_upload_hostile);
  g_test_add_func ("/indicators/upload-xlsx", test_upload_xlsx);
  g_test_add_func ("/indicators/aggregation", test_aggregation);
  g_test_add_func ("/indicators/replace", test_replace);
  g_test_add_func ("/indicators/freshness", test_freshness);
  g_test_add_func ("/indicators/reader", test_reader);
  {
    g_autofree char *db = g_build_filename (dir, "server.db", NULL);
    g_autofree char *data_arg = g_strdup_printf ("--data=%s", gpkg);
    const char *extra[] = { data_arg, NULL };

    server = test_server_start (db, extra);
  }
  status = g_test_run ();
  test_server_stop (server);
  test_server_free (server);
  return status;
}
