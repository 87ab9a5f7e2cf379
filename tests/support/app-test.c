/* app-test.c: finding widgets, reading labels, and pictures of windows, for
 * the tests of the application (and of the map) under Xvfb. */
#include "app-test.h"

#include <string.h>

/**
 * app_test_collect:
 * @name: (nullable): the widget name wanted, or any
 *
 * Adds @root and the widgets under it that are a @type to @out, depth first.
 */
void
app_test_collect (GtkWidget *root, GType type, const char *name, GPtrArray *out)
{
  if (g_type_is_a (G_OBJECT_TYPE (root), type) && (name == NULL || g_strcmp0 (gtk_widget_get_name (root), name) == 0))
    g_ptr_array_add (out, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    app_test_collect (child, type, name, out);
}

/* The first widget app_test_collect() finds; the test fails if there is none. */
gpointer
app_test_find (GtkWidget *root, GType type, const char *name)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  app_test_collect (root, type, name, found);
  if (found->len == 0)
    g_error ("no %s named %s", g_type_name (type), name ? name : "(any)");
  return g_ptr_array_index (found, 0);
}

/* The visible toplevel window of @type (the last one opened), or NULL. */
GtkWidget *
app_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* transfer none */
  GtkWidget *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) w = g_list_model_get_item (toplevels, i);
      if (g_type_is_a (G_OBJECT_TYPE (w), type) && gtk_widget_get_visible (w))
        found = w;
    }
  return found;
}

static gboolean
has_label (GtkWidget *root, const char *text, gboolean part, gboolean drawn)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  app_test_collect (root, GTK_TYPE_LABEL, NULL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);
      const char *shown = gtk_label_get_label (GTK_LABEL (label));

      if ((!drawn || gtk_widget_is_drawable (label)) &&
          (part ? strstr (shown, text) != NULL : g_strcmp0 (shown, text) == 0))
        return TRUE;
    }
  return FALSE;
}

/* a label under @root that says exactly @text */
gboolean
app_test_has_label (GtkWidget *root, const char *text)
{
  return has_label (root, text, FALSE, FALSE);
}

/* a label under @root that says @part, among other things */
gboolean
app_test_has_label_containing (GtkWidget *root, const char *part)
{
  return has_label (root, part, TRUE, FALSE);
}

/* the same, among the labels on screen */
gboolean
app_test_shows_label_containing (GtkWidget *root, const char *part)
{
  return has_label (root, part, TRUE, TRUE);
}

static gboolean
count_frame (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

static GskRenderNode *
picture_of (GdkPaintable *paintable, int width, int height)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  return gtk_snapshot_free_to_node (snapshot);
}

/**
 * app_test_render:
 * @png: (nullable): a file name in the build directory to keep the picture
 *   in, to look at
 *
 * The picture of @widget, a window, as drawn once it is mapped, sized and
 * has drawn a few frames (a window just presented has none of these yet).
 *
 * Returns: (transfer full): the picture
 */
GdkTexture *
app_test_render (GtkWidget *widget, const char *png)
{
  guint frames = 0;
  guint tick = gtk_widget_add_tick_callback (widget, count_frame, &frames, NULL);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  GdkTexture *texture;
  int width, height;

  TEST_WAIT_UNTIL (gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 1 && frames >= 3, 30);
  gtk_widget_remove_tick_callback (widget, tick);
  test_spin_ms (300);
  /* made once the window is drawn: it holds the image of that moment. A
   * widget whose allocation is being redone (the map settling on a zoom
   * level queues one) gives no picture: the next frame will */
  paintable = gtk_widget_paintable_new (widget);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  for (guint tries = 0; (node = picture_of (paintable, width, height)) == NULL; tries++)
    {
      g_assert_cmpuint (tries, <, 50);
      test_spin_ms (100);
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (png != NULL)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_BUILT, png, NULL);

      g_assert_true (gdk_texture_save_to_png (texture, path));
      g_test_message ("screenshot: %s", path);
    }
  return texture;
}

/* app_test_render() into @png in the build directory */
void
app_test_save_png (GtkWidget *widget, const char *png)
{
  g_autoptr(GdkTexture) texture = app_test_render (widget, png);
}

/* @window resized to @width × @height (a screen size the users have), then
 * saved as app_test_save_png() does */
void
app_test_save_png_at (GtkWidget *window, int width, int height, const char *png)
{
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  test_spin_ms (300);
  app_test_save_png (window, png);
}

static cairo_status_t
append_png (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/**
 * app_test_solid_png:
 *
 * Returns: (transfer full): a 256 px PNG tile of one colour, as a tile
 *   server in a test answers
 */
GBytes *
app_test_solid_png (int r, int g, int b)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 256, 256);
  cairo_t *cr = cairo_create (surface);
  GByteArray *out = g_byte_array_new ();

  cairo_set_source_rgb (cr, r / 255.0, g / 255.0, b / 255.0);
  cairo_paint (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, append_png, out), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (out);
}

/**
 * app_test_count_colour:
 * @area: (nullable): the part of the picture to look at, or all of it
 *
 * The pixels of @texture whose red, green and blue are each less than
 * @tolerance away from @r, @g, @b.
 */
guint
app_test_count_colour (GdkTexture *texture, const GdkRectangle *area, int r, int g, int b, int tolerance)
{
  int width = gdk_texture_get_width (texture), height = gdk_texture_get_height (texture);
  GdkRectangle all = { 0, 0, width, height };
  g_autofree guint8 *pixels = g_malloc ((gsize) width * height * 4);
  guint n = 0;

  if (area == NULL)
    area = &all;
  gdk_texture_download (texture, pixels, width * 4);
  for (int y = area->y; y < area->y + area->height; y++)
    for (int x = area->x; x < area->x + area->width; x++)
      {
        /* GDK_MEMORY_DEFAULT is BGRA (premultiplied) */
        const guint8 *p = pixels + (gsize) y * width * 4 + (gsize) x * 4;

        if (ABS (p[2] - r) < tolerance && ABS (p[1] - g) < tolerance && ABS (p[0] - b) < tolerance)
          n++;
      }
  return n;
}
