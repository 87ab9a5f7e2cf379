/* saban-print-command.c: a print without a window —
 *
 *   saban --print=FILE.pdf|FILE.png --print-scale=1:25000 [--print-paper=A3]
 *         [--print-portrait] [--print-title=TEXT] [--print-dpi=N] [FILE…]
 *
 * Prints the files given, centred on them; without files, the workspace the
 * user left (its layers, styles and view), else the demo province. The map
 * is drawn by the tiles' renderer through SabanPrintLayout, so it looks as
 * the window shows it. 0 when written, 1 with a message on standard error
 * otherwise, 2 for a command line that makes no sense. No display is needed.
 */
#include "saban-print-command.h"

#include <glib/gi18n.h>
#include <string.h>

#include "saban-application.h"
#include "saban-measure.h"
#include "saban-ogr-reader.h"
#include "saban-print-layout.h"
#include "saban-workspace.h"

typedef struct
{
  char *output;
  char *scale;
  char *paper;
  char *title;
  gboolean portrait;
  double dpi;
  char **files;
} Options;

static void
options_clear (Options *o)
{
  g_free (o->output);
  g_free (o->scale);
  g_free (o->paper);
  g_free (o->title);
  g_strfreev (o->files);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

/**
 * saban_print_command_line_wants:
 *
 * Returns: whether @argv asks for a print (an argument starting --print)
 */
gboolean
saban_print_command_line_wants (int    argc,
                                char **argv)
{
  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--print"))
      return TRUE;
  return FALSE;
}

/* The layer with its workspace state, when the workspace has it. */
static SabanLayer *
make_layer (SabanVectorLayer          *vector,
            const SabanWorkspaceLayer *saved)
{
  g_autoptr(SabanLayerStyle) style = saban_layer_style_new_for_layer (vector);
  SabanLayer *layer;

  if (saved != NULL && saved->style.kind != NULL)
    {
      g_auto(SabanStyleChoice) choice = { 0 };
      SabanLayerStyle *chosen;

      saban_style_choice_from_workspace (&saved->style, &choice);
      chosen = saban_layer_style_new_from_choice (style, vector, &choice);
      g_set_object (&style, chosen);
      g_object_unref (chosen);
    }
  layer = saban_layer_new (vector, style);
  if (saved != NULL)
    {
      saban_layer_set_custom_title (layer, saved->title);
      saban_layer_set_visible (layer, saved->visible);
      saban_layer_set_opacity (layer, saved->opacity);
      saban_layer_set_landuse_field (layer, saved->landuse_field);
    }
  return layer;
}

static void
grow (double       *extent,
      gboolean     *has_extent,
      SabanVectorLayer *vector)
{
  double e[4];

  if (!saban_vector_layer_get_extent (vector, &e[0], &e[1], &e[2], &e[3]))
    return;
  if (!*has_extent)
    memcpy (extent, e, sizeof e);
  extent[0] = MIN (extent[0], e[0]);
  extent[1] = MIN (extent[1], e[1]);
  extent[2] = MAX (extent[2], e[2]);
  extent[3] = MAX (extent[3], e[3]);
  *has_extent = TRUE;
}

/* Reads @source (only @only, in @crs when it says none) into @model. */
static gboolean
add_source (SabanLayerModel  *model,
            SabanWorkspace   *workspace,
            const char       *source,
            double           *extent,
            gboolean         *has_extent,
            GError          **error)
{
  const char *crs = workspace != NULL ? saban_workspace_get_source_crs (workspace, source) : NULL;
  g_autoptr(GPtrArray) layers = saban_ogr_read (source, crs, NULL, NULL, NULL, error);

  if (layers == NULL)
    return FALSE;
  for (guint i = 0; i < layers->len; i++)
    {
      SabanVectorLayer *vector = g_ptr_array_index (layers, i);
      const SabanWorkspaceLayer *saved = workspace != NULL
        ? saban_workspace_find_layer (workspace, source, saban_vector_layer_get_name (vector)) : NULL;
      g_autoptr(SabanLayer) layer = NULL;

      /* a layer the user had removed stays out */
      if (workspace != NULL && saved == NULL)
        continue;
      layer = make_layer (vector, saved);
      saban_layer_model_add (model, layer);
      grow (extent, has_extent, vector);
    }
  return TRUE;
}

static SabanWorkspace *
load_workspace (void)
{
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "saban", "workspace.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return g_file_query_exists (file, NULL) ? saban_workspace_load (file, NULL) : NULL;
}

/* What to print: the files, else the workspace, else the demo. */
static gboolean
fill_model (SabanLayerModel  *model,
            char            **files,
            double           *extent,
            gboolean         *has_extent,
            SabanWorkspace  **workspace_out,
            GError          **error)
{
  g_autoptr(SabanWorkspace) workspace = NULL;
  g_autoptr(GFile) demo = NULL;
  g_auto(GStrv) sources = NULL;
  g_autofree char *demo_path = NULL;

  if (files != NULL && files[0] != NULL)
    {
      for (guint i = 0; files[i] != NULL; i++)
        if (!add_source (model, NULL, files[i], extent, has_extent, error))
          return FALSE;
      return TRUE;
    }
  if ((workspace = load_workspace ()) != NULL && saban_workspace_get_n_layers (workspace) > 0)
    {
      sources = saban_workspace_dup_sources (workspace);
      for (guint i = 0; sources[i] != NULL; i++)
        if (!add_source (model, workspace, sources[i], extent, has_extent, error))
          return FALSE;
      saban_layer_model_order_as (model, workspace);
      *workspace_out = g_steal_pointer (&workspace);
      return TRUE;
    }
  if ((demo = saban_application_find_demo_data ()) == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, _("Nothing to print: give the files to print"));
      return FALSE;
    }
  demo_path = g_file_get_path (demo);
  return add_source (model, NULL, demo_path, extent, has_extent, error);
}

static gboolean
parse (int       argc,
       char    **argv,
       Options  *o,
       GError  **error)
{
  GOptionEntry entries[] = {
    { "print", 0, 0, G_OPTION_ARG_FILENAME, &o->output, N_("Print to FILE (.pdf or .png)"), N_("FILE") },
    { "print-scale", 0, 0, G_OPTION_ARG_STRING, &o->scale, N_("Scale, such as 1:25000"), N_("SCALE") },
    { "print-paper", 0, 0, G_OPTION_ARG_STRING, &o->paper, N_("Paper size, A4 to A0 (default A4)"), N_("SIZE") },
    { "print-portrait", 0, 0, G_OPTION_ARG_NONE, &o->portrait, N_("Portrait rather than landscape"), NULL },
    { "print-title", 0, 0, G_OPTION_ARG_STRING, &o->title, N_("The map’s title"), N_("TEXT") },
    { "print-dpi", 0, 0, G_OPTION_ARG_DOUBLE, &o->dpi, N_("Resolution of a PNG (default 150)"), N_("DPI") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->files, NULL, N_("FILE…") },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_auto(GStrv) args = g_new0 (char *, argc + 1);

  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  return g_option_context_parse_strv (context, &args, error);
}

/**
 * saban_print_command_line:
 *
 * Prints as the command line says (see the file's comment), with no window.
 *
 * Returns: the process's exit status
 */
int
saban_print_command_line (int    argc,
                          char **argv)
{
  g_auto(Options) o = { 0 };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) coarse = NULL;
  g_autoptr(SabanLayerModel) model = saban_layer_model_new ();
  g_autoptr(SabanPrintLayout) layout = NULL;
  g_autoptr(SabanWorkspace) workspace = NULL;
  SabanPaperSize paper = SABAN_PAPER_A4;
  double scale = 0, extent[4] = { 0 }, lat, lon, zoom, x, y;
  gboolean has_extent = FALSE;

  o.dpi = 150;
  if (!parse (argc, argv, &o, &error) || o.output == NULL)
    {
      g_printerr ("saban: %s\n", error != NULL ? error->message : _("--print needs a file: --print=FILE.pdf"));
      return 2;
    }
  if (o.scale == NULL || !saban_print_scale_parse (o.scale, &scale))
    {
      g_printerr ("saban: %s\n", _("--print-scale must be a scale between 1:100 and 1:10000000, such as 1:25000"));
      return 2;
    }
  if ((o.paper != NULL && !saban_paper_size_parse (o.paper, &paper)) || o.dpi < 30 || o.dpi > 1200)
    {
      g_printerr ("saban: %s\n", _("--print-paper must be A4, A3, A2, A1 or A0, and --print-dpi from 30 to 1200"));
      return 2;
    }
  if (!fill_model (model, o.files, extent, &has_extent, &workspace, &error))
    {
      g_printerr ("saban: %s\n", error->message);
      return 1;
    }
  layout = saban_print_layout_new (model);
  saban_print_layout_set_paper (layout, paper, !o.portrait);
  saban_print_layout_set_scale (layout, scale);
  saban_print_layout_set_dpi (layout, o.dpi);
  saban_print_layout_set_title (layout, o.title);
  if (workspace != NULL && saban_workspace_get_view (workspace, &lat, &lon, &zoom))
    {
      saban_lonlat_to_mercator (lon, lat, &x, &y);
      saban_print_layout_set_center (layout, x, y);
    }
  else if (has_extent)
    saban_print_layout_set_center (layout, (extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2);
  if (!saban_print_layout_write (layout, o.output, &coarse, &error))
    {
      g_printerr ("saban: %s\n", error->message);
      return 1;
    }
  if (coarse[0] != NULL)
    {
      g_autofree char *titles = g_strjoinv (", ", coarse);

      g_printerr (_("saban: drawn at a lower resolution than this scale needs (too many map service tiles): %s\n"),
                  titles);
    }
  return 0;
}
