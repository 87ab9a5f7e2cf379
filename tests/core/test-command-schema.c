/* The command schema holds together: each machine's transitions join its
 * own states, every state is reachable from the first and can reach an end,
 * every transition names its roles (and only real ones), the properties'
 * rules agree with who may write, and every state and move has words in
 * Vietnamese. That the server and the client follow it is shown against the
 * real server (tests/server/test-command-api.c, test-command-client.c) and
 * in the board (tests/app/test-scenario-board.c). */
#include <glib/gi18n-lib.h>
#include <locale.h>

#include "saban-command-labels.h"
#include "saban-command-schema.h"

static const char *const machines[] = { "scenarios", "tasks", NULL };
static const char *const writable[] = { "scenarios", "tasks", "sitreps", "acknowledgements", NULL };

static void
test_machines (void)
{
  for (guint m = 0; machines[m] != NULL; m++)
    {
      const char *c = machines[m];
      const char *const *states = saban_command_schema_get_states (c);
      g_autoptr(GHashTable) reached = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GPtrArray) queue = g_ptr_array_new ();

      g_assert_nonnull (states);
      g_assert_cmpstr (saban_command_schema_get_initial_state (c), ==, states[0]);
      g_assert_false (saban_command_schema_is_terminal (c, states[0]));
      for (guint i = 0; states[i] != NULL; i++)
        {
          const char *const *next = saban_command_schema_get_next_states (c, states[i]);

          g_assert_nonnull (next);
          g_assert_true (saban_command_schema_is_terminal (c, states[i]) == (next[0] == NULL));
          g_assert_false (saban_command_schema_allows (c, states[i], states[i]));
          for (guint j = 0; states[j] != NULL; j++)
            {
              const char *const *roles = saban_command_schema_get_transition_roles (c, states[i], states[j]);

              g_assert_true (saban_command_schema_allows (c, states[i], states[j]) == g_strv_contains (next, states[j]));
              /* a transition names who may take it; a forbidden one nobody */
              g_assert_true ((roles[0] != NULL) == saban_command_schema_allows (c, states[i], states[j]));
              for (guint r = 0; roles[r] != NULL; r++)
                g_assert_true (g_strv_contains (saban_command_roles, roles[r]));
              /* whoever may move an item may change it */
              for (guint r = 0; roles[r] != NULL; r++)
                g_assert_true (saban_command_schema_may_write (c, SABAN_COMMAND_PATCH, roles[r]));
            }
          for (guint j = 0; next[j] != NULL; j++)
            g_assert_true (g_strv_contains (states, next[j]));
        }

      /* every state is reachable from the first */
      g_ptr_array_add (queue, (gpointer) states[0]);
      g_hash_table_add (reached, (gpointer) states[0]);
      for (guint q = 0; q < queue->len; q++)
        {
          const char *const *next = saban_command_schema_get_next_states (c, g_ptr_array_index (queue, q));

          for (guint j = 0; next[j] != NULL; j++)
            if (g_hash_table_add (reached, (gpointer) next[j]))
              g_ptr_array_add (queue, (gpointer) next[j]);
        }
      g_assert_cmpuint (g_hash_table_size (reached), ==, g_strv_length ((char **) states));
    }

  /* and the ends can always be reached: cancelled from any open state */
  for (guint m = 0; machines[m] != NULL; m++)
    for (const char *const *s = saban_command_schema_get_states (machines[m]); *s != NULL; s++)
      if (!saban_command_schema_is_terminal (machines[m], *s))
        g_assert_true (saban_command_schema_allows (machines[m], *s, "cancelled"));

  g_assert_null (saban_command_schema_get_next_states ("tasks", "archived"));
  g_assert_null (saban_command_schema_get_states ("sitreps"));
  g_assert_false (saban_command_schema_allows ("scenarios", "draft", NULL));
}

static void
test_writes (void)
{
  for (guint w = 0; writable[w] != NULL; w++)
    {
      const char *c = writable[w];
      gboolean changes = saban_command_schema_get_writers (c, SABAN_COMMAND_PATCH)[0] != NULL;

      g_assert_nonnull (saban_command_schema_get_fields (c));
      for (const char *const *r = saban_command_schema_get_writers (c, SABAN_COMMAND_POST); *r != NULL; r++)
        g_assert_true (g_strv_contains (saban_command_roles, *r));
      for (const char *const *r = saban_command_schema_get_writers (c, SABAN_COMMAND_PATCH); *r != NULL; r++)
        g_assert_true (g_strv_contains (saban_command_roles, *r));
      /* the admin may do everything; leaders and planners only read */
      g_assert_true (saban_command_schema_may_write (c, SABAN_COMMAND_POST, "admin"));
      g_assert_true (changes == saban_command_schema_may_write (c, SABAN_COMMAND_PATCH, "admin"));
      g_assert_false (saban_command_schema_may_write (c, SABAN_COMMAND_POST, "leader"));
      g_assert_false (saban_command_schema_may_write (c, SABAN_COMMAND_POST, "planner"));
      g_assert_false (saban_command_schema_may_write (c, SABAN_COMMAND_PATCH, "leader"));

      for (const SabanCommandField *f = saban_command_schema_get_fields (c); f->name != NULL; f++)
        {
          g_assert_true (saban_command_schema_find_field (c, f->name) == f);
          /* a required property is one the creation sets */
          if (f->required)
            g_assert_true (f->settable & SABAN_COMMAND_POST);
          if (!changes)
            g_assert_false (f->settable & SABAN_COMMAND_PATCH);
          if (f->type == SABAN_COMMAND_FIELD_ENUM)
            g_assert_nonnull (f->values);
          if (f->type == SABAN_COMMAND_FIELD_STATUS)
            g_assert_true (f->values == saban_command_schema_get_states (c));
          if (f->type == SABAN_COMMAND_FIELD_INT && f->settable != 0)
            g_assert_cmpint (f->min, <, f->max);
        }
      /* what the server keeps */
      g_assert_cmpint (saban_command_schema_find_field (c, "version")->settable, ==, 0);
      g_assert_cmpint (saban_command_schema_find_field (c, "created")->settable, ==, 0);
    }
  for (guint m = 0; machines[m] != NULL; m++)
    g_assert_nonnull (saban_command_schema_find_field (machines[m], "status"));
  g_assert_null (saban_command_schema_get_fields ("playbooks"));
  g_assert_null (saban_command_schema_get_writers ("scenario-log", SABAN_COMMAND_POST)[0]);
  g_assert_null (saban_command_schema_find_field ("scenarios", "colour"));
}

/* every state and every move reads as Vietnamese, not as its code */
static void
test_words (void)
{
  const SabanCommandCollection collections[] = { SABAN_COMMAND_SCENARIOS, SABAN_COMMAND_TASKS };

  if (setlocale (LC_ALL, "C.UTF-8") == NULL)
    {
      g_test_skip ("no C.UTF-8 locale");
      return;
    }
  g_setenv ("LANGUAGE", "vi", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SABAN_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  for (guint m = 0; machines[m] != NULL; m++)
    for (const char *const *s = saban_command_schema_get_states (machines[m]); *s != NULL; s++)
      {
        const char *const *next = saban_command_schema_get_next_states (machines[m], *s);

        g_assert_cmpstr (saban_command_label_status (collections[m], *s), !=, *s);
        for (guint j = 0; next[j] != NULL; j++)
          g_assert_cmpstr (saban_command_label_transition (collections[m], *s, next[j]), !=, next[j]);
      }
  for (guint i = 0; saban_command_task_kinds[i] != NULL; i++)
    g_assert_cmpstr (saban_command_label_kind (saban_command_task_kinds[i]), !=, saban_command_task_kinds[i]);
  g_assert_cmpstr (saban_command_label_status (SABAN_COMMAND_SCENARIOS, "draft"), ==, "dự thảo");
  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "C");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/command-schema/machines", test_machines);
  g_test_add_func ("/command-schema/writes", test_writes);
  g_test_add_func ("/command-schema/words", test_words);
  return g_test_run ();
}
