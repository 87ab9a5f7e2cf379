/* saban-server: the reference IOC backend.
 *
 *   saban-server --db FILE [--listen 127.0.0.1:8080] [--public-url URL] [--demo]
 *                [--data FILE.gpkg] [--mqtt HOST:PORT|mqtts://HOST:PORT] [--mqtt-user NAME]
 *                [--mqtt-password-file FILE] [--mqtt-cafile FILE] [--tls-cert FILE --tls-key FILE]
 *                [--max-body BYTES]
 *                [--max-response BYTES] [--rate-limit N] [--max-connections N]
 *                [--max-connections-per-address N] [--idle-timeout S]
 *                [--token-lifetime S] [--login-lockout N] [--sim-speed X] [--sim-seed N]
 *                [--backup-dir DIR] [--backup-every S] [--backup-keep N] [--backup-max-age S]
 *                [--demo-requests N]
 *   saban-server backup --db FILE|URI [--verify] OUT
 *   saban-server migrate --from sqlite:FILE --to postgresql://… [--replace | --verify-only]
 *   saban-server import-indicators --db FILE [--data FILE.gpkg] [--user NAME] DEFS.csv VALUES.csv
 */
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <gdal.h>
#include <errno.h>
#include <locale.h>
#include <sys/resource.h>

#include "saban-auth.h"
#include "saban-backups.h"
#include "saban-backup.h"
#include "saban-copy.h"
#include "saban-schema.h"
#include "saban-store-open.h"
#include "saban-login-throttle.h"
#include "saban-ogr-reader.h"
#include "saban-command-api.h"
#include "saban-demo.h"
#include "saban-cap.h"
#include "saban-indicator-import.h"
#include "saban-indicators.h"
#include "saban-ogc-features.h"
#include "saban-open311.h"
#include "saban-sensorthings.h"
#include "saban-server.h"
#include "saban-simulator.h"

static gboolean
split_host_port (const char *text, char **host, guint *port)
{
  const char *colon = text ? strrchr (text, ':') : NULL;
  guint64 p;

  if (colon == NULL || colon == text)
    return FALSE;
  if (!g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &p, NULL))
    return FALSE;
  if (text[0] == '[' && colon[-1] == ']')
    *host = g_strndup (text + 1, colon - text - 2);
  else
    *host = g_strndup (text, colon - text);
  *port = (guint) p;
  return TRUE;
}

/* A password from a file only the service account reads (never from the
 * command line, where every user of the host sees it); one line. */
static char *
read_secret_file (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  gsize len;

  if (!g_file_get_contents (path, &text, &len, error))
    return NULL;
  while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
    text[--len] = '\0';
  if (len == 0 || len > 1024 || strlen (text) != len || strchr (text, '\n') != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: wants one line of 1 to 1024 bytes", path);
      return NULL;
    }
  return g_steal_pointer (&text);
}

/* --mqtt and its account: a publisher, or FALSE after saying why. */
static gboolean
connect_broker (const char *address, const char *user, const char *password_file, const char *ca_file,
                SabanMqtt **mqtt)
{
  g_auto(SabanBrokerAddress) where = { 0 };
  g_autofree char *password = NULL;
  g_autoptr(GError) error = NULL;
  SabanMqttLogin login = { user, NULL, ca_file };

  if (address == NULL)
    {
      if (user == NULL && password_file == NULL && ca_file == NULL)
        return TRUE;
      g_printerr ("saban-server: --mqtt-user, --mqtt-password-file and --mqtt-cafile need --mqtt\n");
      return FALSE;
    }
  if (!saban_broker_address_parse (address, &where, NULL))
    {
      g_printerr ("saban-server: --mqtt wants HOST:PORT, mqtt://HOST[:PORT] or mqtts://HOST[:PORT]\n");
      return FALSE;
    }
  if ((user == NULL) != (password_file == NULL) || (ca_file != NULL && !where.tls))
    {
      g_printerr ("saban-server: --mqtt-user and --mqtt-password-file go together; "
                  "--mqtt-cafile wants an mqtts:// broker\n");
      return FALSE;
    }
  if (password_file != NULL && (login.password = password = read_secret_file (password_file, &error)) == NULL)
    {
      g_printerr ("saban-server: --mqtt-password-file: %s\n", error->message);
      return FALSE;
    }
  if ((*mqtt = saban_mqtt_new (&where, &login, &error)) == NULL)
    {
      g_printerr ("saban-server: --mqtt: %s\n", error->message);
      return FALSE;
    }
  if (user == NULL)
    g_printerr ("saban-server: signing in to the MQTT broker anonymously: anyone who reaches it may publish "
                "as the server (docs/security.md)\n");
  return TRUE;
}

/* --tls-cert and --tls-key: the server speaks HTTPS only. */
static gboolean
setup_tls (SabanServer *server, const char *cert_file, const char *key_file)
{
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) error = NULL;

  if (cert_file == NULL && key_file == NULL)
    return TRUE;
  if (cert_file == NULL || key_file == NULL)
    {
      g_printerr ("saban-server: --tls-cert and --tls-key go together\n");
      return FALSE;
    }
  if ((cert = g_tls_certificate_new_from_files (cert_file, key_file, &error)) == NULL)
    {
      g_printerr ("saban-server: --tls-cert/--tls-key: %s\n", error->message);
      return FALSE;
    }
  saban_server_set_tls_certificate (server, cert);
  return TRUE;
}

static gboolean
on_signal (gpointer loop)
{
  g_printerr ("saban-server: shutting down\n");
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

/* Every connection is a descriptor: make room for the connection limit and
 * the database, GDAL and the broker beside it, or lower the limit to fit. */
static void
fit_descriptors (SabanServerLimits *limits)
{
  struct rlimit rl;
  rlim_t want = (rlim_t) limits->max_connections + 256;

  if (getrlimit (RLIMIT_NOFILE, &rl) != 0)
    return;
  if (rl.rlim_cur < want)
    {
      rl.rlim_cur = MIN (want, rl.rlim_max);
      setrlimit (RLIMIT_NOFILE, &rl);
      getrlimit (RLIMIT_NOFILE, &rl);
    }
  if (rl.rlim_cur < want)
    {
      limits->max_connections = rl.rlim_cur > 512 ? (guint) (rl.rlim_cur - 256) : 256;
      g_printerr ("saban-server: only %lu file descriptors: at most %u connections\n", (unsigned long) rl.rlim_cur,
                  limits->max_connections);
    }
}

/* Writes @manifest as JSON to @path. */
static gboolean
write_manifest (const SabanManifest *manifest, const char *path, GError **error)
{
  g_autoptr(JsonNode) node = saban_manifest_to_json (manifest);
  g_autofree char *text = json_to_string (node, TRUE);

  return g_file_set_contents (path, text, -1, error);
}

/* The manifest written beside backup @file. */
static SabanManifest *
read_manifest (const char *file, GError **error)
{
  g_autofree char *path = saban_backup_manifest_path (file);
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (!g_file_get_contents (path, &text, NULL, error) || (node = json_from_string (text, error)) == NULL)
    return NULL;
  return saban_manifest_from_json (node, error);
}

static int
backup_main (int argc, char **argv)
{
  g_autofree char *db = NULL, *manifest_path = NULL, *where = NULL;
  gboolean verify = FALSE;
  g_auto(GStrv) rest = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanManifest) manifest = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "The database of the running (or stopped) server", "FILE|URI" },
    { "verify", 0, 0, G_OPTION_ARG_NONE, &verify,
      "Make nothing: restore the backup OUT into a scratch database and check it against its manifest", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, "OUT" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("OUT — online backup of a saban-server database, "
                                                        "restored into a scratch database and checked");

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("saban-server backup: %s\n", error->message);
      return 2;
    }
  if (db == NULL || rest == NULL || g_strv_length (rest) != 1)
    {
      g_printerr ("usage: saban-server backup --db FILE|postgresql://… [--verify] OUT\n");
      return 2;
    }
  where = saban_store_describe (db);
  manifest_path = saban_backup_manifest_path (rest[0]);
  if (verify)
    {
      if ((manifest = read_manifest (rest[0], &error)) == NULL || !saban_backup_verify (db, rest[0], manifest, &error))
        {
          g_printerr ("saban-server backup: %s: %s\n", rest[0], error->message);
          return 1;
        }
      g_printerr ("saban-server: %s restored and checked against %s\n", rest[0], manifest_path);
      return 0;
    }
  if (!saban_backup_make (db, rest[0], &manifest, &error) || !write_manifest (manifest, manifest_path, &error) ||
      !saban_backup_verify (db, rest[0], manifest, &error))
    {
      g_printerr ("saban-server backup: %s\n", error->message);
      return 1;
    }
  g_printerr ("saban-server: backed up %s to %s, restored and checked (manifest %s)\n", where, rest[0],
              manifest_path);
  return 0;
}

/* The table-by-table account of a migration, for the operator. */
static void
print_manifest (const SabanManifest *manifest)
{
  for (const SabanSchemaTable *t = saban_schema_tables; t->name != NULL; t++)
    {
      g_autofree char *sum = saban_manifest_get_checksum (manifest, t->name);

      g_print ("  %-26s %10" G_GINT64_FORMAT "  %s\n", t->name, saban_manifest_get_rows (manifest, t->name), sum);
    }
}

static int
migrate_main (int argc, char **argv)
{
  g_autofree char *from = NULL, *to = NULL, *found = NULL, *from_text = NULL, *to_text = NULL;
  gboolean replace = FALSE, verify_only = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanStore) source = NULL, target = NULL;
  g_autoptr(SabanManifest) manifest = NULL;
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, "The pilot's database", "sqlite:FILE" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "The production database", "postgresql://…" },
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace, "Replace the server's data the target already holds", NULL },
    { "verify-only", 0, 0, G_OPTION_ARG_NONE, &verify_only,
      "Copy nothing: check that the target holds what the source holds", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("— move a saban-server database into another, checked "
                                                        "table by table");

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || from == NULL || to == NULL || argc > 1)
    {
      g_printerr ("usage: saban-server migrate --from sqlite:FILE --to postgresql://… [--replace | --verify-only]\n");
      return 2;
    }
  from_text = saban_store_describe (from);
  to_text = saban_store_describe (to);
  /* both are brought to this server's schema, as starting it on them would */
  if ((source = saban_store_open (from, &error)) == NULL || (target = saban_store_open (to, &error)) == NULL)
    goto fail;
  if (verify_only)
    {
      if (!saban_store_compare (source, target, &manifest, &error))
        goto fail;
      g_print (_("%s holds what %s holds:\n"), to_text, from_text);
      print_manifest (manifest);
      return 0;
    }
  if (replace && (!saban_store_drop_schema (target, &error) || !saban_store_migrate (target, &error)))
    goto fail;
  if (!saban_store_find_data (target, &found, &error))
    goto fail;
  if (found != NULL)
    {
      g_printerr (_("saban-server migrate: %s already holds data (table %s); nothing was copied. "
                    "Give --replace to replace it.\n"), to_text, found);
      return 1;
    }
  if (!saban_store_copy (source, target, &manifest, &error))
    goto fail;
  g_print (_("Copied %s into %s; every table checked (rows, checksum):\n"), from_text, to_text);
  print_manifest (manifest);
  return 0;
fail:
  g_printerr ("saban-server migrate: %s\n", error->message);
  return 1;
}

/* An argument of "-" leaves that file out. */
static const char *
file_or_none (const char *arg)
{
  return g_str_equal (arg, "-") ? NULL : arg;
}

static int
import_indicators_main (int argc, char **argv)
{
  g_autofree char *db = NULL, *data = NULL, *user = NULL, *actor = NULL, *text = NULL;
  g_auto(GStrv) rest = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SabanStore) store = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "The server's database", "FILE" },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data, "The province's GeoPackage: its communes first", "FILE.gpkg" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, "Who is importing, for the audit trail (default: this login)", "NAME" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, "DEFS VALUES" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("DEFS.csv VALUES.csv — import indicators (CSV or XLSX; - for none)");
  SabanImportReport report;
  gboolean ok;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || db == NULL || rest == NULL || g_strv_length (rest) != 2)
    {
      g_printerr ("usage: saban-server import-indicators --db FILE [--data FILE.gpkg] [--user NAME] DEFS VALUES\n");
      return 2;
    }
  if ((store = saban_store_open (db, &error)) == NULL ||
      (data != NULL && !saban_indicators_sync_units (store, data, &error)))
    {
      g_printerr ("saban-server import-indicators: %s\n", error->message);
      return 1;
    }
  actor = g_strdup_printf ("%s (import-indicators)", user != NULL ? user : g_get_user_name ());
  saban_import_report_init (&report);
  ok = saban_indicator_import (store, file_or_none (rest[0]), file_or_none (rest[1]), actor, &report, &error);
  text = saban_import_report_to_text (&report);
  if (ok)
    g_print (_("Imported: %u indicators added, %u changed; %u values written, %u periods replaced.\n"),
             report.definitions_added, report.definitions_changed, report.values_written, report.periods_replaced);
  else if (report.n_problems > 0)
    g_printerr (_("Nothing was imported: the files have %u problems.\n%s"), report.n_problems, text);
  else
    g_printerr ("saban-server import-indicators: %s\n", error->message);
  saban_import_report_clear (&report);
  return ok ? 0 : 1;
}

/* Messages for people (the import reports) are in Vietnamese unless the
 * environment asks for another language. */
static void
setup_gettext (void)
{
  const char *localedir = g_getenv ("SABAN_LOCALEDIR");

  g_setenv ("LANGUAGE", "vi", FALSE);
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

int
main (int argc, char **argv)
{
  g_autofree char *listen = NULL, *db = NULL, *data = NULL, *mqtt_addr = NULL, *host = NULL, *exe = NULL;
  g_autofree char *public_url = NULL;
  g_autofree char *mqtt_user = NULL, *mqtt_password_file = NULL, *mqtt_cafile = NULL;
  g_autofree char *tls_cert = NULL, *tls_key = NULL;
  gboolean demo = FALSE;
  int max_body = SABAN_MAX_BODY, max_response = SABAN_MAX_RESPONSE, rate = SABAN_RATE_LIMIT, sim_seed = 20250701;
  int max_connections = SABAN_MAX_CONNECTIONS, max_per_address = SABAN_MAX_CONNECTIONS_PER_PEER;
  int idle_timeout = SABAN_IDLE_TIMEOUT_S, token_lifetime = SABAN_TOKEN_LIFETIME_S, lockout = SABAN_LOGIN_LOCKOUT;
  SabanServerLimits limits;
  double sim_speed = 1.0;
  g_autofree char *backup_dir = NULL;
  int backup_every = SABAN_BACKUP_EVERY_S, backup_keep = SABAN_BACKUP_KEEP, backup_max_age = SABAN_BACKUP_MAX_AGE_S;
  g_autoptr(SabanBackups) backups = NULL;
  int demo_requests = SABAN_OPEN311_DEMO_REQUESTS;
  guint port = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(SabanStore) store = NULL;
  g_autoptr(SabanMqtt) mqtt = NULL;
  g_autoptr(SabanServer) server = NULL;
  g_autoptr(SabanSimulator) simulator = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GInetAddress) addr = NULL;
  GOptionEntry entries[] = {
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen, "Address to listen on (default 127.0.0.1:8080)", "HOST:PORT" },
    { "public-url", 0, 0, G_OPTION_ARG_STRING, &public_url,
      "Where clients reach the server; every link starts with it (default http://HOST:PORT of --listen)", "URL" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db,
      "The database: a SQLite file (created if missing), or PostgreSQL's postgresql://user@host1,host2/db",
      "FILE|URI" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo, "Seed demo accounts, playbooks and KPIs; loopback only", NULL },
    { "data", 0, 0, G_OPTION_ARG_FILENAME, &data, "GeoPackage whose layers are served as collections", "FILE.gpkg" },
    { "mqtt", 0, 0, G_OPTION_ARG_STRING, &mqtt_addr,
      "MQTT broker to publish changes to; mqtts:// for TLS (port 8883)", "HOST:PORT|mqtts://HOST[:PORT]" },
    { "mqtt-user", 0, 0, G_OPTION_ARG_STRING, &mqtt_user, "The server's account on the broker", "NAME" },
    { "mqtt-password-file", 0, 0, G_OPTION_ARG_FILENAME, &mqtt_password_file,
      "File holding that account's password (one line)", "FILE" },
    { "mqtt-cafile", 0, 0, G_OPTION_ARG_FILENAME, &mqtt_cafile,
      "With mqtts://: PEM file of the authorities the broker's certificate is checked against "
      "(default: the system's)", "FILE" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert,
      "Serve HTTPS with this PEM certificate (and its chain)", "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, "The certificate's PEM private key", "FILE" },
    { "max-body", 0, 0, G_OPTION_ARG_INT, &max_body, "Largest request body in bytes (default 1 MiB)", "BYTES" },
    { "max-response", 0, 0, G_OPTION_ARG_INT, &max_response, "Largest response body in bytes (default 16 MiB)", "BYTES" },
    { "rate-limit", 0, 0, G_OPTION_ARG_INT, &rate, "Requests a second per client, 0 = no limit (default 200)", "N" },
    { "max-connections", 0, 0, G_OPTION_ARG_INT, &max_connections, "Open connections in all (default 1024)", "N" },
    { "max-connections-per-address", 0, 0, G_OPTION_ARG_INT, &max_per_address,
      "Open connections from one address (default 64)", "N" },
    { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &idle_timeout,
      "Seconds a connection may stay silent before it is closed (default 30)", "S" },
    { "token-lifetime", 0, 0, G_OPTION_ARG_INT, &token_lifetime,
      "Seconds a bearer token stays valid (default 28800, 8 hours)", "S" },
    { "login-lockout", 0, 0, G_OPTION_ARG_INT, &lockout,
      "Failed sign-ins in a row that lock an account until an admin unlocks it (default 10)", "N" },
    { "backup-dir", 0, 0, G_OPTION_ARG_FILENAME, &backup_dir,
      "Make backups here on a schedule, each restored and checked (default: none)", "DIR" },
    { "backup-every", 0, 0, G_OPTION_ARG_INT, &backup_every, "Seconds between backups (default 86400)", "S" },
    { "backup-keep", 0, 0, G_OPTION_ARG_INT, &backup_keep, "Good backups kept; older ones are deleted (default 7)",
      "N" },
    { "backup-max-age", 0, 0, G_OPTION_ARG_INT, &backup_max_age,
      "Seconds the last good backup may age before a CAP alert says so (default 129600, 36 hours)", "S" },
    { "sim-speed", 0, 0, G_OPTION_ARG_DOUBLE, &sim_speed, "With --demo: simulated seconds per real second (default 1)", "X" },
    { "sim-seed", 0, 0, G_OPTION_ARG_INT, &sim_seed, "With --demo: the simulator's seed (default 20250701)", "N" },
    { "demo-requests", 0, 0, G_OPTION_ARG_INT, &demo_requests,
      "With --demo: citizens' reports made in a new database (default 40)", "N" },
    { NULL }
  };

  setlocale (LC_ALL, "C.UTF-8");
  setup_gettext ();
  saban_ogr_register ();
  if (argc > 1 && g_str_equal (argv[1], "backup"))
    return backup_main (argc - 1, argv + 1);
  if (argc > 1 && g_str_equal (argv[1], "migrate"))
    return migrate_main (argc - 1, argv + 1);
  if (argc > 1 && g_str_equal (argv[1], "import-indicators"))
    return import_indicators_main (argc - 1, argv + 1);

  ctx = g_option_context_new ("— the Sa Bàn IOC server (also: backup --db FILE|URI OUT; "
                              "migrate --from sqlite:FILE --to postgresql://…; "
                              "import-indicators --db FILE DEFS VALUES)");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("saban-server: %s\n", error->message);
      return 2;
    }
  if (db == NULL)
    {
      g_printerr ("saban-server: --db FILE|URI is required\n");
      return 2;
    }
  if (!split_host_port (listen ? listen : "127.0.0.1:8080", &host, &port) ||
      (addr = g_inet_address_new_from_string (host)) == NULL)
    {
      g_printerr ("saban-server: --listen wants IP:PORT, e.g. 127.0.0.1:8080\n");
      return 2;
    }
  if (demo && !g_inet_address_get_is_loopback (addr))
    {
      /* the demo accounts have a published password */
      g_printerr ("saban-server: --demo listens only on loopback (127.0.0.1 or ::1), not %s\n", host);
      return 2;
    }
  if (!(sim_speed >= 0.01 && sim_speed <= 1e6))
    {
      g_printerr ("saban-server: --sim-speed must be from 0.01 to 1000000\n");
      return 2;
    }
  if (demo_requests < 0 || demo_requests > 1000000)
    {
      g_printerr ("saban-server: --demo-requests must be from 0 to 1000000\n");
      return 2;
    }
  if (max_body < 1024 || max_response < 65536 || rate < 0 || max_connections < 1 || max_per_address < 1 ||
      idle_timeout < 1 || token_lifetime < 60 || lockout <= SABAN_LOGIN_FREE_FAILURES)
    {
      g_printerr ("saban-server: --max-body must be ≥ 1024, --max-response ≥ 65536, --rate-limit ≥ 0, "
                  "--max-connections, --max-connections-per-address and --idle-timeout ≥ 1, "
                  "--token-lifetime ≥ 60, --login-lockout > %d\n", SABAN_LOGIN_FREE_FAILURES);
      return 2;
    }
  if (backup_every < 1 || backup_keep < 1 || backup_max_age < 1)
    {
      g_printerr ("saban-server: --backup-every, --backup-keep and --backup-max-age must be ≥ 1\n");
      return 2;
    }
  if (backup_dir != NULL && g_mkdir_with_parents (backup_dir, 0700) != 0)
    {
      g_printerr ("saban-server: --backup-dir: cannot make %s: %s\n", backup_dir, g_strerror (errno));
      return 2;
    }
  saban_server_limits_init (&limits);
  limits.max_body = (gsize) max_body;
  limits.max_response = (gsize) max_response;
  limits.rate = (guint) rate;
  limits.max_connections = (guint) max_connections;
  limits.max_per_address = (guint) max_per_address;
  limits.idle_timeout = (guint) idle_timeout;
  fit_descriptors (&limits);

  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (demo && data == NULL && (data = saban_demo_find_data (exe, &error)) == NULL)
    {
      g_printerr ("saban-server: %s\n", error->message);
      return 1;
    }

  store = saban_store_open (db, &error);
  if (store == NULL)
    {
      g_printerr ("saban-server: %s\n", error->message);
      return 1;
    }
  if ((data != NULL && !saban_indicators_sync_units (store, data, &error)) ||
      (demo && (!saban_demo_seed (store, &error) || !saban_demo_seed_indicators (store, exe, &error))))
    {
      g_printerr ("saban-server: demo seed: %s\n", error->message);
      return 1;
    }
  if (!connect_broker (mqtt_addr, mqtt_user, mqtt_password_file, mqtt_cafile, &mqtt))
    return 2;

  server = saban_server_new (store, mqtt);
  saban_server_set_limits (server, &limits);
  if (!setup_tls (server, tls_cert, tls_key))
    return 2;
  if (public_url != NULL && !saban_server_set_public_url (server, public_url, &error))
    {
      g_printerr ("saban-server: --public-url: %s\n", error->message);
      return 2;
    }
  saban_auth_register (server, (guint) token_lifetime, (guint) lockout);
  if (!saban_ogc_register (server, data, &error))
    {
      g_printerr ("saban-server: %s\n", error->message);
      return 1;
    }
  saban_command_api_register (server);
  saban_indicators_register (server);
  saban_sta_register (server);
  saban_open311_register (server);
  saban_cap_register (server);
  {
    SabanBackupPolicy policy = { backup_dir, (guint) backup_every, (guint) backup_keep, (guint) backup_max_age };

    backups = saban_backups_new (server, db, &policy);
  }
  if (demo)
    {
      g_autofree char *photos = saban_demo_find_photos (exe, &error);

      if (photos != NULL)
        saban_open311_serve_media (server, photos);
      else
        g_printerr ("saban-server: the demo reports have no photos: %s\n", error->message);
      g_clear_error (&error);
      if (!saban_open311_seed_demo (store, data, (guint) demo_requests, &error) ||
          (simulator = saban_simulator_new (server, data, (guint32) sim_seed, sim_speed, &error)) == NULL)
        {
          g_printerr ("saban-server: demo seed: %s\n", error->message);
          return 1;
        }
    }

  if (!saban_server_listen (server, host, port, &error))
    {
      g_printerr ("saban-server: cannot listen on %s:%u: %s\n", host, port, error->message);
      return 1;
    }
  {
    g_autofree char *where = saban_store_describe (db);

    g_printerr ("saban-server: listening on %s://%s%s%s:%u, links to %s (%s, schema v%d%s)\n",
                tls_cert != NULL ? "https" : "http", strchr (host, ':') ? "[" : "", host,
                strchr (host, ':') ? "]" : "", port, saban_server_get_base_url (server), where, saban_store_get_schema_version (store),
                demo ? ", demo" : "");
  }
  if (tls_cert == NULL && !g_inet_address_get_is_loopback (addr) &&
      !g_str_has_prefix (saban_server_get_base_url (server), "https://"))
    g_printerr ("saban-server: serving plain HTTP beyond this machine: passwords, tokens and personal data cross "
                "the network in clear; give --tls-cert/--tls-key, or a TLS proxy and an https:// --public-url\n");
  if (public_url == NULL && g_inet_address_get_is_any (addr))
    g_printerr ("saban-server: listening on every address: give --public-url, or links name %s\n",
                saban_server_get_base_url (server));

  if (simulator != NULL)
    {
      saban_sta_set_snapshot_func (saban_simulator_snapshot);
      saban_simulator_start (simulator);
    }
  if (backup_dir != NULL)
    saban_backups_start (backups);
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_main_loop_run (loop);

  /* Stop taking requests, close the layers' datasets (their PostgreSQL
   * connections), let the broker thread go, then close the store (which
   * checkpoints the WAL). Every acknowledged write is already committed. */
  saban_server_disconnect (server);
  saban_ogc_close_datasets ();
  if (simulator != NULL)
    saban_simulator_stop (simulator);
  if (mqtt != NULL)
    saban_mqtt_stop (mqtt);
  g_clear_object (&simulator);
  g_clear_object (&backups);
  g_clear_object (&server);
  g_clear_object (&store);
  return 0;
}
