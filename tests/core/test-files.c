/* saban_remove_tree: a tree of folders, files and links deleted in-process,
 * a link's target left alone; a path that is not there (or none) is no
 * error; a file that cannot be deleted is told, with its name. */
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "saban-files.h"

static char *
make_file (const char *dir, const char *name)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, "x", -1, NULL));
  return path;
}

static void
test_tree (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("saban-files-XXXXXX", &error);
  g_autofree char *outside = g_dir_make_tmp ("saban-files-outside-XXXXXX", &error);
  g_autofree char *deep = NULL, *kept = NULL, *link_dir = NULL, *link_file = NULL, *dangling = NULL;

  g_assert_no_error (error);
  deep = g_build_filename (root, "a", "b", "c", NULL);
  g_assert_cmpint (g_mkdir_with_parents (deep, 0700), ==, 0);
  g_free (make_file (root, "top"));
  g_free (make_file (deep, "bottom"));
  g_free (make_file (deep, ".hidden"));
  kept = make_file (outside, "kept");
  /* links into another folder: removed, never followed */
  link_dir = g_build_filename (root, "a", "to-outside", NULL);
  link_file = g_build_filename (deep, "to-kept", NULL);
  dangling = g_build_filename (root, "dangling", NULL);
  g_assert_cmpint (symlink (outside, link_dir), ==, 0);
  g_assert_cmpint (symlink (kept, link_file), ==, 0);
  g_assert_cmpint (symlink ("/nonexistent/saban", dangling), ==, 0);
  g_assert_cmpint (g_chmod (deep, 0500), ==, 0);  /* root deletes in it anyway; others are told below */

  if (getuid () == 0)
    {
      g_assert_true (saban_remove_tree (root, &error));
      g_assert_no_error (error);
      g_assert_false (g_file_test (root, G_FILE_TEST_EXISTS));
    }
  else
    {
      g_assert_false (saban_remove_tree (root, &error));
      g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ACCES);
      g_assert_nonnull (strstr (error->message, deep));
      g_clear_error (&error);
      g_assert_cmpint (g_chmod (deep, 0700), ==, 0);
      g_assert_true (saban_remove_tree (root, &error));
      g_assert_no_error (error);
    }
  g_assert_false (g_file_test (root, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (kept, G_FILE_TEST_IS_REGULAR));
  g_assert_true (saban_remove_tree (outside, &error));
  g_assert_no_error (error);
}

static void
test_single_and_missing (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = g_dir_make_tmp ("saban-files-XXXXXX", &error);
  g_autofree char *file = make_file (root, "one");
  g_autofree char *missing = g_build_filename (root, "never-made", NULL);

  g_assert_true (saban_remove_tree (missing, &error));
  g_assert_no_error (error);
  g_assert_true (saban_remove_tree (NULL, &error));
  g_assert_no_error (error);
  g_assert_true (saban_remove_tree (file, &error));
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
  g_assert_true (saban_remove_tree (root, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (root, G_FILE_TEST_EXISTS));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/files/remove-tree", test_tree);
  g_test_add_func ("/files/single-and-missing", test_single_and_missing);
  return g_test_run ();
}
