/* saban-search.c: find features by any text attribute, the way people type:
 * without diacritics or capitals ("lao cai" finds "Lào Cai", "dd" does not
 * need "đ"). Runs in a worker thread; the folded text of each layer is made
 * once per search, column by column. */
#include "saban-search.h"
#include "saban-text.h"

#include <string.h>

static void
hit_free (gpointer data)
{
  SabanSearchHit *hit = data;

  g_object_unref (hit->layer);
  g_free (hit->text);
  g_free (hit);
}

typedef struct
{
  SabanSearchHit *hit;
  int rank;
} Ranked;

static int
compare_ranked (gconstpointer a,
                gconstpointer b)
{
  const Ranked *ra = a, *rb = b;

  if (ra->rank != rb->rank)
    return ra->rank - rb->rank;
  return g_utf8_collate (ra->hit->text, rb->hit->text);
}

/* Lower is better: the whole text, then a word start, then anywhere; shorter
 * texts first within each. */
static int
rank_match (const char *folded,
            const char *found)
{
  int base = found == folded ? 0 : (found[-1] == ' ' ? 1000 : 2000);

  return base + (int) MIN (strlen (folded), 999);
}

/**
 * saban_search:
 * @layers: (element-type SabanVectorLayer)
 * @query: what the user typed
 *
 * Blocks; call it from a worker thread.
 *
 * Returns: (transfer container) (element-type SabanSearchHit): at most
 *   @max_hits hits, best first
 */
GPtrArray *
saban_search (GPtrArray    *layers,
              const char   *query,
              guint         max_hits,
              GCancellable *cancellable)
{
  g_autofree char *needle = saban_text_fold (query);
  g_autoptr(GArray) ranked = g_array_new (FALSE, FALSE, sizeof (Ranked));
  GPtrArray *hits = g_ptr_array_new_with_free_func (hit_free);

  g_strstrip (needle);
  if (*needle == '\0')
    return hits;

  for (guint l = 0; l < layers->len; l++)
    {
      SabanVectorLayer *layer = g_ptr_array_index (layers, l);
      const SabanAttributeTable *t = saban_vector_layer_get_attributes (layer);

      for (guint field = 0; field < saban_attribute_table_get_n_fields (t); field++)
        {
          if (saban_attribute_table_get_field_type (t, field) != SABAN_FIELD_STRING)
            continue;
          for (guint32 f = 0; f < saban_attribute_table_get_n_rows (t); f++)
            {
              const char *text = saban_attribute_table_get_string (t, field, f);
              g_autofree char *folded = NULL;
              const char *found;
              Ranked r;

              if (g_cancellable_is_cancelled (cancellable))
                goto done;
              if (*text == '\0')
                continue;
              folded = saban_text_fold (text);
              found = strstr (folded, needle);
              if (found == NULL)
                continue;
              r.hit = g_new0 (SabanSearchHit, 1);
              r.hit->layer = g_object_ref (layer);
              r.hit->feature = f;
              r.hit->field = field;
              r.hit->text = g_strdup (text);
              r.rank = rank_match (folded, found) + (g_str_equal (folded, needle) ? -1000 : 0);
              g_array_append_val (ranked, r);
            }
        }
    }

done:
  g_array_sort (ranked, compare_ranked);
  for (guint i = 0; i < ranked->len; i++)
    {
      SabanSearchHit *hit = g_array_index (ranked, Ranked, i).hit;

      if (i < max_hits)
        g_ptr_array_add (hits, hit);
      else
        hit_free (hit);
    }
  return hits;
}

typedef struct
{
  GPtrArray *layers;
  char *query;
  guint max_hits;
} SearchData;

static void
search_data_free (gpointer data)
{
  SearchData *search = data;

  g_ptr_array_unref (search->layers);
  g_free (search->query);
  g_free (search);
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SearchData *search = task_data;
  GPtrArray *hits = saban_search (search->layers, search->query, search->max_hits, cancellable);

  if (g_task_return_error_if_cancelled (task))
    g_ptr_array_unref (hits);
  else
    g_task_return_pointer (task, hits, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * saban_search_async:
 * @layers: (element-type SabanVectorLayer): the layers to search; kept until done
 *
 * Searches like saban_search() in a worker thread.
 */
void
saban_search_async (GPtrArray           *layers,
                    const char          *query,
                    guint                max_hits,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  SearchData *search = g_new0 (SearchData, 1);

  search->layers = g_ptr_array_ref (layers);
  search->query = g_strdup (query);
  search->max_hits = max_hits;
  g_task_set_source_tag (task, saban_search_async);
  g_task_set_task_data (task, search, search_data_free);
  g_task_run_in_thread (task, search_thread);
}

/**
 * saban_search_finish:
 *
 * Returns: (transfer container) (element-type SabanSearchHit): the hits
 */
GPtrArray *
saban_search_finish (GAsyncResult  *result,
                     GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
