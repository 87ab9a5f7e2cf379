#include <glib/gi18n.h>
#include <locale.h>

#include "saban-application.h"
#include "saban-print-command.h"
#include "saban-report-fetch.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SabanApplication) app = NULL;
  const char *localedir = g_getenv ("SABAN_LOCALEDIR");

  setlocale (LC_ALL, "");
  /* An uninstalled build (meson devenv, tests) finds its catalogues here. */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* the meeting report is made headless: no window, no display needed */
  if (saban_report_command_line_wants (argc, argv))
    return saban_report_command_line (argc, argv);
  /* so is a print */
  if (saban_print_command_line_wants (argc, argv))
    return saban_print_command_line (argc, argv);
  app = saban_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
