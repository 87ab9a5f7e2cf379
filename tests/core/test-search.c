/* Search the way people type: no diacritics, no capitals. */
#include "saban-ogr-reader.h"
#include "saban-search.h"
#include "saban-text.h"

static GPtrArray *layers;

static void
test_fold (void)
{
  const struct { const char *in, *out; } cases[] = {
    { "Lào Cai", "lao cai" },
    { "Phường Cam Đường", "phuong cam duong" },
    { "MÙ CANG CHẢI", "mu cang chai" },
    { "Y Tý", "y ty" },
    { "Trạm Tấu", "tram tau" },
    { "", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *folded = saban_text_fold (cases[i].in);
      g_assert_cmpstr (folded, ==, cases[i].out);
    }
}

static gboolean
has_hit (GPtrArray  *hits,
         const char *layer,
         const char *text)
{
  for (guint i = 0; i < hits->len; i++)
    {
      SabanSearchHit *hit = g_ptr_array_index (hits, i);
      if (g_str_equal (saban_vector_layer_get_name (hit->layer), layer) && g_str_equal (hit->text, text))
        return TRUE;
    }
  return FALSE;
}

static void
test_demo (void)
{
  g_autoptr(GPtrArray) lao_cai = saban_search (layers, "lao cai", 50, NULL);
  g_autoptr(GPtrArray) bat_xat = saban_search (layers, "BAT XAT", 50, NULL);
  g_autoptr(GPtrArray) cam_duong = saban_search (layers, "cam duong", 50, NULL);
  g_autoptr(GPtrArray) nothing = saban_search (layers, "   ", 50, NULL);
  g_autoptr(GPtrArray) few = saban_search (layers, "a", 3, NULL);
  SabanSearchHit *first;

  g_assert_true (has_hit (lao_cai, "communes", "Phường Lào Cai"));
  g_assert_true (has_hit (lao_cai, "province", "Lào Cai"));
  /* The exact name comes first. */
  first = g_ptr_array_index (lao_cai, 0);
  g_assert_cmpstr (first->text, ==, "Lào Cai");
  g_assert_true (has_hit (bat_xat, "communes", "Xã Bát Xát"));
  g_assert_true (has_hit (cam_duong, "communes", "Phường Cam Đường"));
  g_assert_cmpuint (nothing->len, ==, 0);
  g_assert_cmpuint (few->len, ==, 3);
}

static void
async_done (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GPtrArray **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = saban_search_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_async (void)
{
  GPtrArray *hits = NULL;

  saban_search_async (layers, "sa pa", 10, NULL, async_done, &hits);
  while (hits == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (has_hit (hits, "communes", "Phường Sa Pa"));
  g_ptr_array_unref (hits);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  int result;

  g_test_init (&argc, &argv, NULL);
  layers = saban_ogr_read (g_getenv ("SABAN_DEMO_DATA"), "EPSG:9208", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_test_add_func ("/search/fold", test_fold);
  g_test_add_func ("/search/demo", test_demo);
  g_test_add_func ("/search/async", test_async);
  result = g_test_run ();
  g_ptr_array_unref (layers);
  return result;
}
