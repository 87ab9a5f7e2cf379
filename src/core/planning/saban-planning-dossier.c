/* saban-planning-dossier.c: the decision that approved a planning zone, and
 * the documents of its dossier.
 *
 * A planning layer's zones name their decision in a field (`decision`, or a
 * Vietnamese name for it); the source holds two tables beside the layer:
 * `planning_decisions` (id, number, date, authority, level, period, status,
 * title, layer, note) and `planning_documents` (decision, kind, title,
 * file_name, media_type, content or href, world_file, crs). A document's
 * bytes stay in the source until it is opened: then they are written to a
 * file of its own (a drawing with its world file and its CRS beside it, so
 * GDAL opens it georeferenced) for the desktop's viewer.
 *
 * Everything read is bounded and checked: the tables come from any file a
 * user opens.
 */
#include "saban-planning-dossier.h"

#include <cpl_conv.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <string.h>

#include "saban-error.h"
#include "saban-ogr-reader.h"

#define MAX_TEXT 4096
#define MAX_ID 128
#define MAX_DOCUMENTS 200
#define MAX_CONTENT (G_GINT64_CONSTANT (256) << 20)

struct _SabanPlanningDossier
{
  GObject parent_instance;

  char *source;
  char *id;
  char *number;
  GDate *date;
  char *authority;
  SabanPlanningLevel level;
  char *period;
  SabanPlanningStatus status;
  char *title;
  char *note;
  char *layer;
  GArray *documents;   /* SabanPlanningDocument */
};

G_DEFINE_FINAL_TYPE (SabanPlanningDossier, saban_planning_dossier, G_TYPE_OBJECT)

/* The names provinces give the field that links a zone to its decision. */
static const char * const link_fields[] = {
  "decision", "decision_id", "quyet_dinh", "quyetdinh", "so_quyet_dinh", "so_qd", "soqd", "ma_qd", NULL
};

static void
document_clear (gpointer data)
{
  SabanPlanningDocument *doc = data;

  g_free (doc->title);
  g_free (doc->file_name);
  g_free (doc->media_type);
  g_free (doc->href);
  g_free (doc->world_file);
  g_free (doc->crs);
}

static void
saban_planning_dossier_finalize (GObject *object)
{
  SabanPlanningDossier *self = SABAN_PLANNING_DOSSIER (object);

  g_free (self->source);
  g_free (self->id);
  g_free (self->number);
  g_clear_pointer (&self->date, g_date_free);
  g_free (self->authority);
  g_free (self->period);
  g_free (self->title);
  g_free (self->note);
  g_free (self->layer);
  g_array_unref (self->documents);
  G_OBJECT_CLASS (saban_planning_dossier_parent_class)->finalize (object);
}

static void
saban_planning_dossier_class_init (SabanPlanningDossierClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_planning_dossier_finalize;
}

static void
saban_planning_dossier_init (SabanPlanningDossier *self)
{
  self->documents = g_array_new (FALSE, TRUE, sizeof (SabanPlanningDocument));
  g_array_set_clear_func (self->documents, document_clear);
}

/**
 * saban_planning_dossier_find_field:
 *
 * Returns: the field of a planning layer that names each zone's decision
 *   (`decision`, `quyet_dinh`, `so_qd`…), or -1
 */
int
saban_planning_dossier_find_field (const SabanAttributeTable *table)
{
  for (guint i = 0; link_fields[i] != NULL; i++)
    for (guint f = 0; f < saban_attribute_table_get_n_fields (table); f++)
      if (g_ascii_strcasecmp (saban_attribute_table_get_field_name (table, f), link_fields[i]) == 0 &&
          saban_attribute_table_get_field_type (table, f) == SABAN_FIELD_STRING)
        return (int) f;
  return -1;
}

/* A text field, checked: valid UTF-8, bounded; NULL when empty or null. */
static char *
text_of (OGRFeatureH  f,
         const char  *name)
{
  int i = OGR_F_GetFieldIndex (f, name);
  const char *value;

  if (i < 0 || !OGR_F_IsFieldSetAndNotNull (f, i))
    return NULL;
  value = OGR_F_GetFieldAsString (f, i);
  if (*value == '\0')
    return NULL;
  if (!g_utf8_validate (value, -1, NULL))
    return g_strdup ("?");
  if (strlen (value) > MAX_TEXT)
    return g_utf8_make_valid (value, MAX_TEXT);
  return g_strdup (value);
}

static guint
index_of (const char         *value,
          const char * const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (g_strcmp0 (value, names[i]) == 0)
      return i + 1;
  return 0;
}

static OGRLayerH
filtered_table (SabanOgrSource  *source,
                const char      *table,
                const char      *column,
                const char      *value,
                GError         **error)
{
  OGRLayerH layer = GDALDatasetGetLayerByName (saban_ogr_source_get_dataset (source), table);
  g_autoptr(GString) quoted = g_string_new (NULL);
  g_autofree char *filter = NULL;

  if (layer == NULL)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_NO_DATA, _("“%s” holds no planning decisions (no table %s)"),
                   saban_ogr_source_get_shown (source), table);
      return NULL;
    }
  /* OGR SQL and SQLite both read '' as one quote */
  for (const char *c = value; *c != '\0'; c++)
    {
      if (*c == '\'')
        g_string_append_c (quoted, '\'');
      g_string_append_c (quoted, *c);
    }
  filter = g_strdup_printf ("\"%s\" = '%s'", column, quoted->str);
  if (OGR_L_SetAttributeFilter (layer, filter) != OGRERR_NONE)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_READ, _("Cannot read the table %s of “%s”"), table,
                   saban_ogr_source_get_shown (source));
      return NULL;
    }
  OGR_L_ResetReading (layer);
  return layer;
}

static void
read_decision (SabanPlanningDossier *self,
               OGRFeatureH           f)
{
  static const char * const levels[] = { "provincial", "general", "zoning", "detailed", NULL };
  static const char * const statuses[] = { "in-force", "superseded", "under-revision", NULL };
  int date = OGR_F_GetFieldIndex (f, "date");
  int y, m, d, h, mi, tz;
  float s;
  g_autofree char *level = text_of (f, "level");
  g_autofree char *status = text_of (f, "status");

  self->number = text_of (f, "number");
  self->authority = text_of (f, "authority");
  self->period = text_of (f, "period");
  self->title = text_of (f, "title");
  self->note = text_of (f, "note");
  self->layer = text_of (f, "layer");
  self->level = index_of (level, levels);
  self->status = index_of (status, statuses);
  if (date >= 0 && OGR_F_IsFieldSetAndNotNull (f, date) &&
      OGR_F_GetFieldAsDateTimeEx (f, date, &y, &m, &d, &h, &mi, &s, &tz) && g_date_valid_dmy (d, m, y))
    self->date = g_date_new_dmy (d, m, y);
}

static gboolean
read_documents (SabanPlanningDossier  *self,
                SabanOgrSource        *source,
                GError               **error)
{
  static const char * const kinds[] = { "decision", "explanation", "drawing", NULL };
  OGRLayerH layer = filtered_table (source, "planning_documents", "decision", self->id, NULL);
  OGRFeatureH f;

  if (layer == NULL)
    return TRUE;   /* a decision without documents */
  while ((f = OGR_L_GetNextFeature (layer)) != NULL && self->documents->len < MAX_DOCUMENTS)
    {
      g_autofree char *kind = text_of (f, "kind");
      int content = OGR_F_GetFieldIndex (f, "content");
      SabanPlanningDocument doc = { 0 };
      int size = 0;

      doc.kind = index_of (kind, kinds);
      doc.title = text_of (f, "title");
      doc.file_name = text_of (f, "file_name");
      doc.media_type = text_of (f, "media_type");
      doc.href = text_of (f, "href");
      doc.world_file = text_of (f, "world_file");
      doc.crs = text_of (f, "crs");
      doc.fid = OGR_F_GetFID (f);
      if (content >= 0 && OGR_F_IsFieldSetAndNotNull (f, content))
        OGR_F_GetFieldAsBinary (f, content, &size);
      doc.size = size;
      if (doc.title == NULL)
        doc.title = g_strdup (doc.file_name != NULL ? doc.file_name : _("Document"));
      OGR_F_Destroy (f);
      g_array_append_val (self->documents, doc);
    }
  if (f != NULL)
    OGR_F_Destroy (f);
  return TRUE;
}

/**
 * saban_planning_dossier_read:
 * @source: the planning layer's source (a GeoPackage, a PostGIS connection…)
 * @decision: the decision's id, as the zone names it
 *
 * Reads the decision and lists its documents. Blocks.
 *
 * Returns: (transfer full): the dossier, or %NULL with @error set (translated)
 */
SabanPlanningDossier *
saban_planning_dossier_read (const char  *source,
                             const char  *decision,
                             GError     **error)
{
  g_autoptr(SabanPlanningDossier) self = NULL;
  g_autoptr(SabanOgrSource) opened = NULL;
  OGRLayerH layer;
  OGRFeatureH f;

  if (decision == NULL || *decision == '\0' || strlen (decision) > MAX_ID || !g_utf8_validate (decision, -1, NULL))
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID, _("The zone names no valid planning decision"));
      return NULL;
    }
  if ((opened = saban_ogr_source_open (source, error)) == NULL ||
      (layer = filtered_table (opened, "planning_decisions", "id", decision, error)) == NULL)
    return NULL;
  if ((f = OGR_L_GetNextFeature (layer)) == NULL)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_NO_DATA, _("The decision “%s” is not in “%s”"), decision,
                   saban_ogr_source_get_shown (opened));
      return NULL;
    }
  self = g_object_new (SABAN_TYPE_PLANNING_DOSSIER, NULL);
  self->source = g_strdup (source);
  self->id = g_strdup (decision);
  read_decision (self, f);
  OGR_F_Destroy (f);
  if (!read_documents (self, opened, error))
    return NULL;
  return g_steal_pointer (&self);
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  char **args = task_data;
  GError *error = NULL;
  SabanPlanningDossier *dossier = saban_planning_dossier_read (args[0], args[1], &error);

  if (dossier == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, dossier, g_object_unref);
}

/**
 * saban_planning_dossier_read_async:
 *
 * saban_planning_dossier_read() in a worker thread.
 */
void
saban_planning_dossier_read_async (const char          *source,
                                   const char          *decision,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  const char *args[] = { source, decision, NULL };

  g_task_set_source_tag (task, saban_planning_dossier_read_async);
  g_task_set_task_data (task, g_strdupv ((char **) args), (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, read_thread);
}

/**
 * saban_planning_dossier_read_finish:
 *
 * Returns: (transfer full): the dossier
 */
SabanPlanningDossier *
saban_planning_dossier_read_finish (GAsyncResult  *result,
                                    GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* A name that stays in @directory: its last part, without a leading dot. */
static char *
safe_file_name (const SabanPlanningDocument *doc)
{
  g_autofree char *base = doc->file_name != NULL ? g_path_get_basename (doc->file_name) : NULL;

  if (base == NULL || *base == '.' || *base == G_DIR_SEPARATOR || strchr (base, '\\') != NULL)
    return g_strdup_printf ("tai-lieu-%" G_GINT64_FORMAT, doc->fid);
  return g_steal_pointer (&base);
}

/* The world file's name GDAL looks for beside an image: .pgw for .png, .jgw
 * for .jpg, .tfw for .tif, .wld otherwise. */
static char *
world_file_name (const char *path)
{
  const char *dot = strrchr (path, '.');
  g_autofree char *stem = dot != NULL ? g_strndup (path, dot - path) : g_strdup (path);
  char ext[4] = "wld";

  if (dot != NULL && strlen (dot) == 4)
    {
      ext[0] = g_ascii_tolower (dot[1]);
      ext[1] = g_ascii_tolower (dot[3]);
      ext[2] = 'w';
    }
  return g_strconcat (stem, ".", ext, NULL);
}

static gboolean
write_world (const SabanPlanningDocument  *doc,
             const char                   *path,
             GError                      **error)
{
  g_autofree char *world = world_file_name (path);
  g_autofree char *aux = g_strconcat (path, ".aux.xml", NULL);
  g_autofree char *pam = NULL;
  OGRSpatialReferenceH srs;
  char *wkt = NULL;

  if (!g_file_set_contents (world, doc->world_file, -1, error))
    return FALSE;
  if (doc->crs == NULL)
    return TRUE;
  srs = OSRNewSpatialReference (NULL);
  if (OSRSetFromUserInput (srs, doc->crs) == OGRERR_NONE && OSRExportToWkt (srs, &wkt) == OGRERR_NONE)
    {
      g_autofree char *escaped = g_markup_escape_text (wkt, -1);

      /* GDAL's own sidecar: the drawing opens in its CRS */
      pam = g_strdup_printf ("<PAMDataset>\n  <SRS>%s</SRS>\n</PAMDataset>\n", escaped);
    }
  CPLFree (wkt);
  OSRRelease (srs);
  return pam == NULL || g_file_set_contents (aux, pam, -1, error);
}

/* A link: a URL as it is; a path relative to the source, kept inside its folder. */
static char *
resolve_link (SabanPlanningDossier         *self,
              const SabanPlanningDocument  *doc,
              GError                      **error)
{
  const char *scheme = g_uri_peek_scheme (doc->href);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;

  if (g_strcmp0 (scheme, "http") == 0 || g_strcmp0 (scheme, "https") == 0)
    return g_strdup (doc->href);
  if (scheme != NULL || g_path_is_absolute (doc->href) || strstr (doc->href, "..") != NULL)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_INVALID,
                   _("The document “%s” points outside its data folder"), doc->title);
      return NULL;
    }
  dir = g_path_get_dirname (self->source);
  path = g_build_filename (dir, doc->href, NULL);
  return g_filename_to_uri (path, NULL, error);
}

/**
 * saban_planning_dossier_open_document:
 * @directory: where to write a document held in the source (a cache folder)
 *
 * Makes document @index something the desktop can open: a document held in
 * the source is written to @directory under its own name (a drawing with
 * its world file and a GDAL .aux.xml naming its CRS); a link is resolved.
 * Blocks.
 *
 * Returns: (transfer full): the document's URI, or %NULL with @error set
 */
char *
saban_planning_dossier_open_document (SabanPlanningDossier  *self,
                                      guint                  index,
                                      const char            *directory,
                                      GError               **error)
{
  const SabanPlanningDocument *doc = saban_planning_dossier_get_document (self, index);
  g_autoptr(SabanOgrSource) source = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  OGRLayerH layer;
  OGRFeatureH f;
  const GByte *bytes;
  int content, size = 0;
  gboolean ok;

  g_return_val_if_fail (doc != NULL, NULL);
  if (doc->href != NULL && doc->size == 0)
    return resolve_link (self, doc, error);
  if (doc->size <= 0 || doc->size > MAX_CONTENT)
    {
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_NO_DATA, _("The document “%s” holds nothing to open"), doc->title);
      return NULL;
    }
  if ((source = saban_ogr_source_open (self->source, error)) == NULL)
    return NULL;
  layer = GDALDatasetGetLayerByName (saban_ogr_source_get_dataset (source), "planning_documents");
  f = layer != NULL ? OGR_L_GetFeature (layer, doc->fid) : NULL;
  content = f != NULL ? OGR_F_GetFieldIndex (f, "content") : -1;
  bytes = content >= 0 ? OGR_F_GetFieldAsBinary (f, content, &size) : NULL;
  if (bytes == NULL || size <= 0)
    {
      if (f != NULL)
        OGR_F_Destroy (f);
      g_set_error (error, SABAN_ERROR, SABAN_ERROR_READ, _("Cannot read the document “%s” from “%s”"), doc->title,
                   saban_ogr_source_get_shown (source));
      return NULL;
    }
  name = safe_file_name (doc);
  path = g_build_filename (directory, name, NULL);
  ok = g_mkdir_with_parents (directory, 0700) == 0 && g_file_set_contents (path, (const char *) bytes, size, error);
  OGR_F_Destroy (f);
  if (ok && doc->world_file != NULL)
    ok = write_world (doc, path, error);
  if (!ok)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, SABAN_ERROR, SABAN_ERROR_OPEN, _("Cannot write “%s”"), path);
      return NULL;
    }
  return g_filename_to_uri (path, NULL, error);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *directory = task_data;
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (task), "index"));
  GError *error = NULL;
  char *uri = saban_planning_dossier_open_document (source_object, index, directory, &error);

  if (uri == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, uri, g_free);
}

/**
 * saban_planning_dossier_open_document_async:
 *
 * saban_planning_dossier_open_document() in a worker thread.
 */
void
saban_planning_dossier_open_document_async (SabanPlanningDossier *self,
                                            guint                 index,
                                            const char           *directory,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (index < self->documents->len);
  g_task_set_source_tag (task, saban_planning_dossier_open_document_async);
  g_object_set_data (G_OBJECT (task), "index", GUINT_TO_POINTER (index));
  g_task_set_task_data (task, g_strdup (directory), g_free);
  g_task_run_in_thread (task, open_thread);
}

/**
 * saban_planning_dossier_open_document_finish:
 *
 * Returns: (transfer full): the document's URI
 */
char *
saban_planning_dossier_open_document_finish (SabanPlanningDossier  *self,
                                             GAsyncResult          *result,
                                             GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
saban_planning_dossier_get_id (SabanPlanningDossier *self)
{
  return self->id;
}

/**
 * saban_planning_dossier_get_number:
 *
 * Returns: (nullable): the decision's number ("1570/QĐ-TTg")
 */
const char *
saban_planning_dossier_get_number (SabanPlanningDossier *self)
{
  return self->number;
}

/**
 * saban_planning_dossier_get_date:
 *
 * Returns: (nullable) (transfer none): the day it was signed
 */
GDate *
saban_planning_dossier_get_date (SabanPlanningDossier *self)
{
  return self->date;
}

const char *
saban_planning_dossier_get_authority (SabanPlanningDossier *self)
{
  return self->authority;
}

SabanPlanningLevel
saban_planning_dossier_get_level (SabanPlanningDossier *self)
{
  return self->level;
}

const char *
saban_planning_dossier_get_period (SabanPlanningDossier *self)
{
  return self->period;
}

SabanPlanningStatus
saban_planning_dossier_get_status (SabanPlanningDossier *self)
{
  return self->status;
}

const char *
saban_planning_dossier_get_title (SabanPlanningDossier *self)
{
  return self->title;
}

/**
 * saban_planning_dossier_get_note:
 *
 * Returns: (nullable): a remark the source keeps with the decision (the
 *   demo's says it is synthetic)
 */
const char *
saban_planning_dossier_get_note (SabanPlanningDossier *self)
{
  return self->note;
}

/**
 * saban_planning_dossier_get_layer:
 *
 * Returns: (nullable): the layer holding the plan's zones
 */
const char *
saban_planning_dossier_get_layer (SabanPlanningDossier *self)
{
  return self->layer;
}

guint
saban_planning_dossier_get_n_documents (SabanPlanningDossier *self)
{
  return self->documents->len;
}

/**
 * saban_planning_dossier_get_document:
 *
 * Returns: (nullable): document @index, or %NULL past the last
 */
const SabanPlanningDocument *
saban_planning_dossier_get_document (SabanPlanningDossier *self,
                                     guint                 index)
{
  return index < self->documents->len ? &g_array_index (self->documents, SabanPlanningDocument, index) : NULL;
}

/**
 * saban_planning_level_describe:
 *
 * Returns: the level as users read it ("Quy hoạch phân khu (1/2000)")
 */
const char *
saban_planning_level_describe (SabanPlanningLevel level)
{
  static const char * const names[] = {
    [SABAN_PLANNING_LEVEL_UNKNOWN] = N_("Not stated"),
    [SABAN_PLANNING_LEVEL_PROVINCIAL] = N_("Provincial planning"),
    [SABAN_PLANNING_LEVEL_GENERAL] = N_("General planning"),
    [SABAN_PLANNING_LEVEL_ZONING] = N_("Zoning plan (1/2000)"),
    [SABAN_PLANNING_LEVEL_DETAILED] = N_("Detailed plan (1/500)"),
  };

  return _(names[MIN (level, SABAN_PLANNING_LEVEL_DETAILED)]);
}

const char *
saban_planning_status_describe (SabanPlanningStatus status)
{
  static const char * const names[] = {
    [SABAN_PLANNING_STATUS_UNKNOWN] = N_("Not stated"),
    [SABAN_PLANNING_STATUS_IN_FORCE] = N_("In force"),
    [SABAN_PLANNING_STATUS_SUPERSEDED] = N_("Superseded"),
    [SABAN_PLANNING_STATUS_UNDER_REVISION] = N_("Under revision"),
  };

  return _(names[MIN (status, SABAN_PLANNING_STATUS_UNDER_REVISION)]);
}

const char *
saban_planning_document_kind_describe (SabanPlanningDocumentKind kind)
{
  static const char * const names[] = {
    [SABAN_PLANNING_DOCUMENT_OTHER] = N_("Document"),
    [SABAN_PLANNING_DOCUMENT_DECISION] = N_("Decision"),
    [SABAN_PLANNING_DOCUMENT_EXPLANATION] = N_("Explanatory report"),
    [SABAN_PLANNING_DOCUMENT_DRAWING] = N_("Drawing"),
  };

  return _(names[MIN (kind, SABAN_PLANNING_DOCUMENT_DRAWING)]);
}
