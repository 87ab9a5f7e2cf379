/* saban-datagen-photos.c — photos for the demo's citizen reports, drawn:
 * a flooded street, a landslide on a road, a fallen tree, rubbish on the
 * kerb, a potholed road; two of each (SERVICE-1.png, SERVICE-2.png), as a
 * phone would send them (640 × 480). Synthetic like the rest of the demo,
 * and labelled so in the corner.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "saban-datagen-photos.h"

#include <cairo.h>
#include <gio/gio.h>

#include "saban-datagen-rng.h"

#define W 640
#define H 480

static void
sky_and_ground (cairo_t *cr, double horizon, double ground_r, double ground_g, double ground_b)
{
  cairo_pattern_t *sky = cairo_pattern_create_linear (0, 0, 0, horizon);

  cairo_pattern_add_color_stop_rgb (sky, 0, 0.55, 0.68, 0.80);
  cairo_pattern_add_color_stop_rgb (sky, 1, 0.83, 0.86, 0.88);
  cairo_set_source (cr, sky);
  cairo_rectangle (cr, 0, 0, W, horizon);
  cairo_fill (cr);
  cairo_pattern_destroy (sky);
  cairo_set_source_rgb (cr, ground_r, ground_g, ground_b);
  cairo_rectangle (cr, 0, horizon, W, H - horizon);
  cairo_fill (cr);
}

/* A road running away to the horizon, its edges meeting there. */
static void
road (cairo_t *cr, double horizon, double grey)
{
  cairo_set_source_rgb (cr, grey, grey, grey + 0.02);
  cairo_move_to (cr, W * 0.44, horizon);
  cairo_line_to (cr, W * 0.56, horizon);
  cairo_line_to (cr, W * 1.05, H);
  cairo_line_to (cr, W * -0.05, H);
  cairo_close_path (cr);
  cairo_fill (cr);
}

static void
houses (cairo_t *cr, Rng *r, double horizon)
{
  for (int i = 0; i < 7; i++)
    {
      double x = i * W / 7.0 + rng_range (r, -10, 10), w = rng_range (r, 60, 90), h = rng_range (r, 70, 150);
      double shade = rng_range (r, 0.6, 0.9);

      cairo_set_source_rgb (cr, shade, shade * 0.92, shade * 0.8);
      cairo_rectangle (cr, x, horizon - h, w, h);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.25, 0.3, 0.35);
      for (int k = 0; k < 3; k++)
        cairo_rectangle (cr, x + 10 + k * (w - 20) / 3, horizon - h + 15, 12, 16);
      cairo_fill (cr);
    }
}

static void
draw_flood (cairo_t *cr, Rng *r)
{
  sky_and_ground (cr, 230, 0.45, 0.45, 0.45);
  houses (cr, r, 230);
  cairo_set_source_rgba (cr, 0.48, 0.40, 0.28, 0.92);
  cairo_rectangle (cr, 0, 250, W, H - 250);
  cairo_fill (cr);
  cairo_set_line_width (cr, 2);
  cairo_set_source_rgba (cr, 0.75, 0.68, 0.55, 0.7);
  for (int i = 0; i < 40; i++)
    {
      double x = rng_range (r, 0, W), y = rng_range (r, 260, H), w = rng_range (r, 20, 70);

      cairo_move_to (cr, x, y);
      cairo_curve_to (cr, x + w / 3, y - 4, x + 2 * w / 3, y + 4, x + w, y);
      cairo_stroke (cr);
    }
  /* a motorbike up to its wheels in the water */
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.12);
  cairo_rectangle (cr, 300, 300, 110, 28);
  cairo_fill (cr);
  cairo_arc (cr, 330, 292, 18, 0, 2 * G_PI);
  cairo_fill (cr);
}

static void
draw_landslide (cairo_t *cr, Rng *r)
{
  sky_and_ground (cr, 140, 0.30, 0.48, 0.22);
  road (cr, 140, 0.42);
  cairo_set_source_rgb (cr, 0.50, 0.36, 0.22);
  cairo_move_to (cr, 0, 150);
  cairo_curve_to (cr, 220, 170, 260, 330, rng_range (r, 380, 460), H);
  cairo_line_to (cr, 0, H);
  cairo_close_path (cr);
  cairo_fill (cr);
  for (int i = 0; i < 25; i++)
    {
      double g = rng_range (r, 0.35, 0.55);

      cairo_set_source_rgb (cr, g, g * 0.95, g * 0.9);
      cairo_arc (cr, rng_range (r, 20, 380), rng_range (r, 220, 460), rng_range (r, 6, 26), 0, 2 * G_PI);
      cairo_fill (cr);
    }
}

static void
draw_fallen_tree (cairo_t *cr, Rng *r)
{
  double y0 = rng_range (r, 300, 360);

  sky_and_ground (cr, 200, 0.32, 0.50, 0.25);
  road (cr, 200, 0.40);
  cairo_set_source_rgb (cr, 0.36, 0.24, 0.14);
  cairo_set_line_width (cr, 26);
  cairo_move_to (cr, -20, y0);
  cairo_line_to (cr, W * 0.8, y0 + rng_range (r, -60, 40));
  cairo_stroke (cr);
  for (int i = 0; i < 30; i++)
    {
      cairo_set_source_rgba (cr, 0.15, rng_range (r, 0.35, 0.55), 0.12, 0.9);
      cairo_arc (cr, rng_range (r, W * 0.55, W), y0 + rng_range (r, -90, 60), rng_range (r, 25, 55), 0, 2 * G_PI);
      cairo_fill (cr);
    }
}

static void
draw_rubbish (cairo_t *cr, Rng *r)
{
  sky_and_ground (cr, 180, 0.55, 0.54, 0.52);
  houses (cr, r, 180);
  for (int i = 0; i < 45; i++)
    {
      static const double colours[][3] = { { 0.1, 0.1, 0.1 }, { 0.2, 0.3, 0.6 }, { 0.8, 0.8, 0.8 }, { 0.3, 0.5, 0.3 } };
      const double *c = colours[rng_int (r, G_N_ELEMENTS (colours))];
      double x = rng_range (r, 120, 520), y = rng_range (r, 300, 440);

      cairo_save (cr);
      cairo_translate (cr, x, y);
      cairo_scale (cr, rng_range (r, 20, 45), rng_range (r, 15, 30));
      cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
      cairo_restore (cr);
      cairo_set_source_rgb (cr, c[0], c[1], c[2]);
      cairo_fill (cr);
    }
}

static void
draw_potholes (cairo_t *cr, Rng *r)
{
  sky_and_ground (cr, 170, 0.35, 0.52, 0.28);
  road (cr, 170, 0.38);
  cairo_set_source_rgb (cr, 0.9, 0.9, 0.85);
  for (int i = 0; i < 5; i++)
    {
      double y = 190 + i * i * 14;

      cairo_rectangle (cr, W / 2.0 - 2 - i, y, 4 + 2 * i, 8 + 6 * i);
    }
  cairo_fill (cr);
  for (int i = 0; i < 7; i++)
    {
      double y = rng_range (r, 260, 450), w = (y - 170) * rng_range (r, 0.15, 0.35);

      cairo_save (cr);
      cairo_translate (cr, rng_range (r, 150, 490), y);
      cairo_scale (cr, w, w * 0.35);
      cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
      cairo_restore (cr);
      cairo_set_source_rgb (cr, 0.2, 0.19, 0.18);
      cairo_fill_preserve (cr);
      cairo_set_source_rgba (cr, 0.45, 0.38, 0.3, 0.6);
      cairo_set_line_width (cr, 3);
      cairo_stroke (cr);
    }
}

/* "ẢNH MINH HỌA" in the corner: nobody takes a drawing for evidence */
static void
label (cairo_t *cr)
{
  cairo_set_source_rgba (cr, 0, 0, 0, 0.55);
  cairo_rectangle (cr, 0, H - 30, 170, 30);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 16);
  cairo_move_to (cr, 10, H - 10);
  cairo_show_text (cr, "ẢNH MINH HỌA");
}

/**
 * saban_datagen_photos:
 * Writes SERVICE-1.png and SERVICE-2.png into @dir for the services with a
 * scene below; the same seed gives the same pictures.
 */
gboolean
saban_datagen_photos (const char *dir, guint64 seed, GError **error)
{
  static const struct { const char *service; void (*draw) (cairo_t *, Rng *); } scenes[] = {
    { "ngap-ung", draw_flood }, { "sat-lo", draw_landslide }, { "cay-do", draw_fallen_tree },
    { "rac-thai", draw_rubbish }, { "hu-hong-duong", draw_potholes },
  };

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot create %s", dir);
      return FALSE;
    }
  for (guint s = 0; s < G_N_ELEMENTS (scenes); s++)
    for (guint k = 1; k <= 2; k++)
      {
        g_autofree char *name = g_strdup_printf ("%s-%u.png", scenes[s].service, k);
        g_autofree char *path = g_build_filename (dir, name, NULL);
        cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, W, H);
        cairo_t *cr = cairo_create (surface);
        Rng r = rng_stream (seed, s * 10 + k);
        cairo_status_t status;

        scenes[s].draw (cr, &r);
        label (cr);
        cairo_destroy (cr);
        status = cairo_surface_write_to_png (surface, path);
        cairo_surface_destroy (surface);
        if (status != CAIRO_STATUS_SUCCESS)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", path, cairo_status_to_string (status));
            return FALSE;
          }
      }
  return TRUE;
}
