/* saban-report-cli.c: the meeting report without a window —
 *
 *   saban --report=FILE.pdf [--report-xlsx=FILE.xlsx]
 *         [--report-period=2026-11 | --report-from=2026-11-01 --report-to=2026-11-30]
 *         [--server=URL] [--user=NAME] [--report-template=FILE]
 *
 * The password comes from SABAN_PASSWORD, else the Secret Service (where the
 * application keeps it at sign-in); the server from --server, else
 * SABAN_SERVER_URL. Signs in, reads everything (saban_report_fetch_async),
 * lays the report out and writes it; 0 when written, 1 with a message on
 * standard error otherwise, 2 for a command line that makes no sense.
 */
#include "saban-report-fetch.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "saban-connection.h"
#include "saban-credentials.h"
#include "saban-report-document.h"
#include "saban-wait.h"

#define SIGN_IN_TIMEOUT_S 30
#define FETCH_TIMEOUT_S   120

typedef struct
{
  char *pdf, *xlsx, *period, *from, *to, *server, *user, *template_path;
} Options;

static void
options_clear (Options *o)
{
  g_free (o->pdf);
  g_free (o->xlsx);
  g_free (o->period);
  g_free (o->from);
  g_free (o->to);
  g_free (o->server);
  g_free (o->user);
  g_free (o->template_path);
}

/**
 * saban_report_command_line_wants:
 *
 * Returns: whether @argv asks for a report (an argument starting --report)
 */
gboolean
saban_report_command_line_wants (int    argc,
                                 char **argv)
{
  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--report"))
      return TRUE;
  return FALSE;
}

static gboolean
parse_day (const char *text,
           GDate      *date)
{
  SabanPeriod p;

  if (!saban_period_parse (text, &p) || p.kind != SABAN_PERIOD_DAY)
    return FALSE;
  saban_period_get_start (&p, date);
  return TRUE;
}

/* The days covered: --report-period's, or --report-from … --report-to, else last month (in Vietnam). */
static gboolean
report_days (const Options *o,
             GDate         *from,
             GDate         *to)
{
  SabanPeriod p;

  if (o->period != NULL)
    {
      if (o->from != NULL || o->to != NULL || !saban_period_parse (o->period, &p))
        return FALSE;
      saban_period_get_start (&p, from);
      saban_period_get_end (&p, to);
      return TRUE;
    }
  if (o->from != NULL || o->to != NULL)
    return o->from != NULL && o->to != NULL && parse_day (o->from, from) && parse_day (o->to, to) &&
           g_date_compare (from, to) <= 0;
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) vietnam = g_date_time_add_hours (now, 7);
    SabanPeriod this_month;
    GDate today;

    g_date_clear (&today, 1);
    g_date_set_dmy (&today, 1, g_date_time_get_month (vietnam), g_date_time_get_year (vietnam));
    this_month = saban_period_containing (SABAN_PERIOD_MONTH, &today);
    p = saban_period_offset (&this_month, -1);
    saban_period_get_start (&p, from);
    saban_period_get_end (&p, to);
  }
  return TRUE;
}

static gboolean
parse_options (int      argc,
               char   **argv,
               Options *o)
{
  GOptionEntry entries[] = {
    { "report", 0, 0, G_OPTION_ARG_FILENAME, &o->pdf, N_("Write the meeting report to this PDF file"), N_("FILE") },
    { "report-xlsx", 0, 0, G_OPTION_ARG_FILENAME, &o->xlsx, N_("Write the report’s tables to this XLSX file"),
      N_("FILE") },
    { "report-period", 0, 0, G_OPTION_ARG_STRING, &o->period, N_("The period: 2026-11, 2026-Q3, 2026"), N_("PERIOD") },
    { "report-from", 0, 0, G_OPTION_ARG_STRING, &o->from, N_("The first day: 2026-11-01"), N_("DATE") },
    { "report-to", 0, 0, G_OPTION_ARG_STRING, &o->to, N_("The last day: 2026-11-30"), N_("DATE") },
    { "report-template", 0, 0, G_OPTION_ARG_FILENAME, &o->template_path, N_("The report’s template"), N_("FILE") },
    { "server", 0, 0, G_OPTION_ARG_STRING, &o->server, N_("The IOC server"), N_("URL") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &o->user, N_("The account to sign in with (password: SABAN_PASSWORD or the keyring)"),
      N_("NAME") },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = g_new0 (char *, argc + 1);

  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse_strv (ctx, &args, &error))
    {
      g_printerr ("saban: %s\n", error->message);
      return FALSE;
    }
  if (g_strv_length (args) > 1)
    {
      g_printerr (_("saban: unexpected argument “%s”\n"), args[1]);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  SabanReportData *data;
  GError          *error;
  gboolean         done;
} Run;

static void
fetched (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  run->data = saban_report_fetch_finish (result, &run->error);
  run->done = TRUE;
}

static int
write_report (const Options       *o,
              SabanReportData     *data,
              SabanReportTemplate *tpl,
              const GDate         *from,
              const GDate         *to)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *period = NULL;

  if (!saban_report_write_files (data, tpl, from, to, o->pdf, o->xlsx, &period, &error))
    {
      g_printerr ("saban: %s\n", error->message);
      return 1;
    }
  g_print (_("The report for %s is written: %s\n"), period, o->pdf != NULL ? o->pdf : o->xlsx);
  return 0;
}

static int
run_report (const Options       *o,
            SabanReportTemplate *tpl,
            const GDate         *from,
            const GDate         *to)
{
  const char *server = o->server != NULL ? o->server : g_getenv ("SABAN_SERVER_URL");
  const char *env_password = g_getenv ("SABAN_PASSWORD");
  g_autofree char *kept = NULL;
  const char *password;
  g_autoptr(SabanApi) api = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };
  int status = 1;

  if (server == NULL)
    server = "http://127.0.0.1:8080";
  /* the environment's, else the one the application kept at sign-in */
  password = env_password != NULL && *env_password != '\0'
               ? env_password : (kept = saban_credentials_lookup_account (server, o->user));
  if (password == NULL || *password == '\0')
    {
      g_printerr (_("saban: no password for %s: set SABAN_PASSWORD, or sign in once in Sa Bàn to keep it in the keyring\n"),
                  o->user);
      return 1;
    }
  if ((token = saban_connection_sign_in_sync (server, o->user, password, SIGN_IN_TIMEOUT_S, &error)) == NULL)
    {
      g_printerr ("saban: %s\n", error->message);
      return 1;
    }
  api = saban_api_new (server);
  saban_api_set_token (api, token);
  saban_report_fetch_async (api, from, to, NULL, fetched, &run);
  if (!saban_wait_for (&run.done, FETCH_TIMEOUT_S))
    g_printerr (_("saban: %s did not answer in time\n"), server);
  else if (run.data == NULL)
    g_printerr ("saban: %s\n", run.error->message);
  else
    status = write_report (o, run.data, tpl, from, to);
  g_clear_error (&run.error);
  g_clear_object (&run.data);
  return status;
}

/**
 * saban_report_command_line:
 * @argv: the program's arguments (see saban_report_command_line_wants())
 *
 * Returns: the exit status: 0 written, 1 failed (said why), 2 bad usage
 */
int
saban_report_command_line (int    argc,
                           char **argv)
{
  Options o = { 0 };
  g_autoptr(SabanReportTemplate) tpl = NULL;
  g_autoptr(GError) error = NULL;
  GDate from, to;
  int status = 2;

  g_date_clear (&from, 1);
  g_date_clear (&to, 1);
  if (!parse_options (argc, argv, &o))
    goto out;
  if ((o.pdf == NULL && o.xlsx == NULL) || o.user == NULL)
    g_printerr (_("saban: give --report=FILE.pdf (or --report-xlsx=FILE.xlsx) and --user=NAME\n"));
  else if (!report_days (&o, &from, &to))
    g_printerr (_("saban: give --report-period=2026-11, or --report-from=2026-11-01 and --report-to=2026-11-30\n"));
  else if ((tpl = o.template_path != NULL ? saban_report_template_new_from_file (o.template_path, &error)
                                          : saban_report_template_new_default (&error)) == NULL)
    {
      g_printerr ("saban: %s\n", error->message);
      status = 1;
    }
  else
    status = run_report (&o, tpl, &from, &to);
out:
  options_clear (&o);
  return status;
}
