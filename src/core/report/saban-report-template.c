/* saban-report-template.c: the wording of the meeting report, from a file an
 * office can edit (data/report/bao-cao-giao-ban.ini, a GKeyFile: sections,
 * "key=value", "{name}" placeholders). The report's sentences are the
 * province's document, not the interface: they are not translated, they are
 * edited.
 */
#include "saban-report-template.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "saban-error.h"
#include "saban-format.h"

#define TEMPLATE_NAME "bao-cao-giao-ban.ini"

struct _SabanReportTemplate
{
  GObject     parent_instance;
  GKeyFile   *file;
  GHashTable *values;   /* "section\x1fkey" → value, read once */
  GHashTable *common;   /* placeholder → value, for every expansion */
};

G_DEFINE_FINAL_TYPE (SabanReportTemplate, saban_report_template, G_TYPE_OBJECT)

/* What every report needs from its template. */
static const char *const required[][2] = {
  { "document", "authority" }, { "document", "nation" }, { "document", "motto" }, { "document", "date" },
  { "document", "title" }, { "document", "sections" }, { "document", "decimal" }, { "document", "thousands" },
  { "document", "source" }, { "document", "time" }, { "period", "month" }, { "period", "range" },
};

static void
saban_report_template_finalize (GObject *object)
{
  SabanReportTemplate *self = SABAN_REPORT_TEMPLATE (object);

  g_clear_pointer (&self->file, g_key_file_unref);
  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_pointer (&self->common, g_hash_table_unref);
  G_OBJECT_CLASS (saban_report_template_parent_class)->finalize (object);
}

static void
saban_report_template_class_init (SabanReportTemplateClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_report_template_finalize;
}

static void
saban_report_template_init (SabanReportTemplate *self)
{
  self->file = g_key_file_new ();
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->common = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * saban_report_template_new_from_file:
 *
 * Returns: (transfer full) (nullable): the template, or %NULL with @error
 *   set (translated) when the file is unreadable or lacks a required key
 */
SabanReportTemplate *
saban_report_template_new_from_file (const char  *path,
                                     GError     **error)
{
  g_autoptr(SabanReportTemplate) self = g_object_new (SABAN_TYPE_REPORT_TEMPLATE, NULL);
  g_autoptr(GError) local = NULL;

  if (!g_key_file_load_from_file (self->file, path, G_KEY_FILE_NONE, &local))
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_OPEN, _("The report template %s cannot be read: %s"), path,
                   local->message);
      return NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    if (!g_key_file_has_key (self->file, required[i][0], required[i][1], NULL))
      {
        g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("The report template %s has no “%s” in [%s]"), path,
                     required[i][1], required[i][0]);
        return NULL;
      }
  return g_steal_pointer (&self);
}

/**
 * saban_report_template_new_default:
 *
 * The template at $SABAN_REPORT_TEMPLATE, else the installed one.
 *
 * Returns: (transfer full) (nullable): the template, or %NULL with @error set
 */
SabanReportTemplate *
saban_report_template_new_default (GError **error)
{
  const char *env = g_getenv ("SABAN_REPORT_TEMPLATE");
  g_autofree char *installed = g_build_filename (SABAN_DATADIR, "report", TEMPLATE_NAME, NULL);

  return saban_report_template_new_from_file (env != NULL ? env : installed, error);
}

/**
 * saban_report_template_has:
 *
 * Returns: whether the template sets @key in @section
 */
gboolean
saban_report_template_has (SabanReportTemplate *self,
                           const char          *section,
                           const char          *key)
{
  return g_key_file_has_key (self->file, section, key, NULL);
}

/**
 * saban_report_template_get:
 *
 * Returns: (transfer none): the raw value ("\n" read as a line break), or ""
 */
const char *
saban_report_template_get (SabanReportTemplate *self,
                           const char          *section,
                           const char          *key)
{
  g_autofree char *id = g_strconcat (section, "\x1f", key, NULL);
  char *value;

  if ((value = g_hash_table_lookup (self->values, id)) != NULL)
    return value;
  value = g_key_file_get_string (self->file, section, key, NULL);
  if (value == NULL)
    value = g_strdup ("");
  g_hash_table_insert (self->values, g_steal_pointer (&id), value);
  return value;
}

static const char *
lookup_var (SabanReportTemplate *self,
            const char *const   *vars,
            const char          *name)
{
  for (guint i = 0; vars != NULL && vars[i] != NULL && vars[i + 1] != NULL; i += 2)
    if (g_str_equal (vars[i], name))
      return vars[i + 1];
  return g_hash_table_lookup (self->common, name);
}

/**
 * saban_report_template_expand:
 * @vars: (array zero-terminated=1) (nullable): name, value, name, value…
 *
 * Fills the value's {placeholders} from @vars, then from the common ones
 * (saban_report_template_set_common); an unknown one stays as written.
 *
 * Returns: (transfer full): the text
 */
char *
saban_report_template_expand (SabanReportTemplate *self,
                              const char          *section,
                              const char          *key,
                              const char *const   *vars)
{
  const char *text = saban_report_template_get (self, section, key);
  GString *out = g_string_new (NULL);

  while (*text != '\0')
    {
      const char *close = *text == '{' ? strchr (text, '}') : NULL;
      g_autofree char *name = close != NULL ? g_strndup (text + 1, close - text - 1) : NULL;
      const char *value = name != NULL ? lookup_var (self, vars, name) : NULL;

      if (value != NULL)
        {
          g_string_append (out, value);
          text = close + 1;
        }
      else
        g_string_append_c (out, *text++);
    }
  return g_string_free (out, FALSE);
}

/**
 * saban_report_template_get_list:
 *
 * Returns: (transfer full): the ";"-separated items, trimmed, empty ones left out
 */
char **
saban_report_template_get_list (SabanReportTemplate *self,
                                const char          *section,
                                const char          *key)
{
  g_auto(GStrv) parts = g_strsplit (saban_report_template_get (self, section, key), ";", -1);
  g_autoptr(GPtrArray) out = g_ptr_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    if (*g_strstrip (parts[i]) != '\0')
      g_ptr_array_add (out, g_strdup (parts[i]));
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

/**
 * saban_report_template_get_int:
 *
 * Returns: the value as an integer, or @fallback when it is none
 */
int
saban_report_template_get_int (SabanReportTemplate *self,
                               const char          *section,
                               const char          *key,
                               int                  fallback)
{
  const char *text = saban_report_template_get (self, section, key);
  gint64 v;

  if (!g_ascii_string_to_signed (text, 10, 0, 1000000, &v, NULL))
    return fallback;
  return (int) v;
}

/**
 * saban_report_template_format_number:
 *
 * Returns: (transfer full): @value with the template's separators ("1.234,5")
 */
char *
saban_report_template_format_number (SabanReportTemplate *self,
                                     double               value,
                                     int                  decimals)
{
  return saban_format_number_with (value, decimals, saban_report_template_get (self, "document", "decimal"),
                                   saban_report_template_get (self, "document", "thousands"));
}

/**
 * saban_report_template_set_common:
 *
 * Sets a placeholder every expansion may use ({place}, {period}…).
 */
void
saban_report_template_set_common (SabanReportTemplate *self,
                                  const char          *name,
                                  const char          *value)
{
  g_hash_table_insert (self->common, g_strdup (name), g_strdup (value));
}
