#include <glib/gi18n.h>
#include <locale.h>
#include <sys/wait.h>
#include <unistd.h>

#include "saban-application.h"
#include "saban-build-tree.h"
#include "saban-print-command.h"
#include "saban-renderer.h"
#include "saban-report-fetch.h"

/* Run straight from its build tree (not installed, not through `meson
 * devenv`), saban sets for itself what `meson devenv` would: the build's
 * compiled settings schema, translations, demo data and report template —
 * never over what the environment already says. */
static void
use_build_tree (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *root = g_strconcat (BUILD_ROOT, G_DIR_SEPARATOR_S, NULL);
  g_autofree char *ninja = g_build_filename (BUILD_ROOT, "build.ninja", NULL);

  if (exe == NULL || !g_str_has_prefix (exe, root) || !g_file_test (ninja, G_FILE_TEST_EXISTS))
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (build_tree_env); i++)
    g_setenv (build_tree_env[i].name, build_tree_env[i].value, FALSE);
}

/* GSettings aborts on a schema it cannot find: say how to run instead */
static gboolean
has_schema (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source != NULL ? g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE)
                                                     : NULL;
  const char *english = N_("Sa Bàn's settings schema (io.github.saban) was not found: Sa Bàn is not installed. "
                           "Install it (meson install -C build), or run it from its build tree: "
                           "meson devenv -C build saban\n");

  if (schema != NULL)
    return TRUE;
  g_printerr ("%s", _(english));
  if (g_strcmp0 (_(english), english) != 0)
    g_printerr ("%s", english);
  return FALSE;
}

/* The renderer setting, read in a child process: GSettings starts threads
 * (dconf's D-Bus workers) and GSK_RENDERER must be set while this process
 * still has none. %NULL where it cannot be read (auto then). */
static char *
read_renderer_setting (void)
{
  const char *user = g_getenv ("GSK_RENDERER");
  char value[16] = "";
  ssize_t n = 0;
  int fds[2];
  pid_t child;

  /* the user's choice stands: no setting needed */
  if ((user != NULL && *user != '\0') || pipe (fds) != 0)
    return NULL;
  child = fork ();
  if (child == 0)
    {
      GSettings *settings = g_settings_new (SCHEMA_ID);
      char *renderer = g_settings_get_string (settings, "renderer");

      close (fds[0]);
      n = write (fds[1], renderer, strlen (renderer));
      _exit (n > 0 ? 0 : 1);
    }
  close (fds[1]);
  if (child > 0)
    {
      n = read (fds[0], value, sizeof value - 1);
      waitpid (child, NULL, 0);
    }
  close (fds[0]);
  return n > 0 ? g_strndup (value, n) : NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SabanApplication) app = NULL;
  const char *localedir;

  use_build_tree ();
  localedir = g_getenv ("SABAN_LOCALEDIR");
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
  if (!has_schema ())
    return 1;
  /* before GTK makes its first renderer (saban-renderer.c says why) */
  {
    g_autofree char *renderer = read_renderer_setting ();

    saban_renderer_apply (renderer);
  }
  app = saban_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
