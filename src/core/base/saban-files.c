/* saban-files.c: a directory tree deleted in-process.
 *
 * Spawning `rm -rf` forks, and a fork at exit can die in a library's
 * pthread_atfork handler (libproj's, under the sanitizers), leaving the tree
 * behind; nor should removing a scratch folder depend on PATH.
 */
#include "saban-files.h"

#include <errno.h>
#include <glib/gstdio.h>

static gboolean
fail (const char *path, const char *what, int saved, GError **error)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "Cannot %s %s: %s", what, path,
               g_strerror (saved));
  return FALSE;
}

/**
 * saban_remove_tree:
 * @path: (nullable): a file or a directory
 * @error: where the first failure is told
 *
 * Deletes @path and, if it is a directory, everything under it. Symbolic
 * links are removed, never followed. A @path that does not exist, or NULL
 * (a teardown whose setup made nothing), is no error.
 *
 * Returns: whether @path is gone
 */
gboolean
saban_remove_tree (const char *path, GError **error)
{
  GStatBuf st;

  if (path == NULL)
    return TRUE;
  if (g_lstat (path, &st) != 0)
    return errno == ENOENT ? TRUE : fail (path, "read", errno, error);
  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, error);
      const char *name;

      if (dir == NULL)
        return FALSE;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (!saban_remove_tree (child, error))
            return FALSE;
        }
    }
  if (g_remove (path) != 0 && errno != ENOENT)
    return fail (path, "delete", errno, error);
  return TRUE;
}
