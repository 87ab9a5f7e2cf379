/* saban-classify.c: class breaks for graduated (choropleth) styles.
 *
 * Breaks are the upper bounds of classes 1 … n-1 plus the maximum, so a value
 * v is in the first class whose break is ≥ v. Natural breaks are Jenks'
 * (Fisher's exact dynamic programme); above 3 000 values it runs on an evenly
 * spaced sample of the sorted values, as GIS tools do, which keeps it well
 * under a second for a million parcels.
 */
#include "saban-classify.h"

#include <math.h>

#define JENKS_SAMPLE 3000

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Fisher–Jenks on sorted @v: minimises the within-class sum of squared deviations. */
static void
jenks (const double *v,
       gsize         n,
       guint         k,
       GArray       *breaks)
{
  g_autofree double *lower = g_new0 (double, (n + 1) * (k + 1));   /* best start index of last class */
  g_autofree double *cost = g_new (double, (n + 1) * (k + 1));
#define AT(a, i, j) a[(gsize) (i) * (k + 1) + (j)]
  g_autofree gsize *starts = g_new0 (gsize, k + 1);

  for (gsize i = 0; i <= n; i++)
    for (guint j = 0; j <= k; j++)
      AT (cost, i, j) = INFINITY;
  for (guint j = 1; j <= k; j++)
    {
      AT (cost, 1, j) = 0;
      AT (lower, 1, j) = 1;
    }

  for (gsize l = 2; l <= n; l++)
    {
      double s1 = 0, s2 = 0;

      for (gsize m = 1; m <= l; m++)
        {
          gsize i3 = l - m + 1;
          double val = v[i3 - 1], variance;

          s2 += val * val;
          s1 += val;
          variance = s2 - s1 * s1 / m;
          if (i3 > 1)
            for (guint j = 2; j <= k; j++)
              if (AT (cost, l, j) >= variance + AT (cost, i3 - 1, j - 1))
                {
                  AT (lower, l, j) = i3;
                  AT (cost, l, j) = variance + AT (cost, i3 - 1, j - 1);
                }
        }
      AT (lower, l, 1) = 1;
      AT (cost, l, 1) = s2 - s1 * s1 / l;
    }

  {
    gsize end = n;

    /* with many equal values the programme can find fewer classes than
     * asked: the walk back stops where no earlier class can start */
    for (guint j = k; j >= 2; j--)
      {
        gsize start = (gsize) AT (lower, end, j);

        if (start < 2 || start > end)
          break;
        starts[j] = start;
        end = start - 1;
      }
  }
  for (guint j = 2; j <= k; j++)
    if (starts[j] >= 2)
      {
        double b = v[starts[j] - 2];

        if (breaks->len == 0 || b > g_array_index (breaks, double, breaks->len - 1))
          g_array_append_val (breaks, b);
      }
  if (breaks->len == 0 || v[n - 1] > g_array_index (breaks, double, breaks->len - 1))
    g_array_append_val (breaks, v[n - 1]);
#undef AT
}

/**
 * saban_classify:
 * @values: (array length=n_values): the field's values; NaN values are ignored
 * @n_classes: how many classes, 1–32
 *
 * Returns: (transfer full) (element-type double): at most @n_classes upper
 *   bounds, increasing, the last equal to the maximum; empty for no values
 */
GArray *
saban_classify (const double        *values,
                gsize                n_values,
                guint                n_classes,
                SabanClassifyMethod  method)
{
  GArray *breaks = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree double *sorted = g_new (double, MAX (n_values, 1));
  gsize n = 0;

  n_classes = CLAMP (n_classes, 1, 32);
  for (gsize i = 0; i < n_values; i++)
    if (!isnan (values[i]))
      sorted[n++] = values[i];
  if (n == 0)
    return breaks;
  qsort (sorted, n, sizeof (double), compare_doubles);

  switch (method)
    {
    case SABAN_CLASSIFY_EQUAL_INTERVAL:
      for (guint c = 1; c <= n_classes; c++)
        {
          double b = c == n_classes ? sorted[n - 1]
                                    : sorted[0] + (sorted[n - 1] - sorted[0]) * c / n_classes;
          g_array_append_val (breaks, b);
        }
      break;

    case SABAN_CLASSIFY_QUANTILE:
      for (guint c = 1; c <= n_classes; c++)
        {
          gsize index = MIN (n - 1, (gsize) ceil ((double) n * c / n_classes) - 1);
          double b = sorted[index];

          if (breaks->len == 0 || b > g_array_index (breaks, double, breaks->len - 1))
            g_array_append_val (breaks, b);
        }
      break;

    case SABAN_CLASSIFY_NATURAL_BREAKS:
    default:
      {
        g_autofree double *sample = NULL;
        gsize m = MIN (n, JENKS_SAMPLE);

        sample = g_new (double, m);
        for (gsize i = 0; i < m; i++)
          sample[i] = sorted[m == n ? i : (gsize) ((double) i * (n - 1) / (m - 1))];
        if (n_classes >= m)
          {
            for (gsize i = 0; i < m; i++)
              if (breaks->len == 0 || sample[i] > g_array_index (breaks, double, breaks->len - 1))
                g_array_append_val (breaks, sample[i]);
          }
        else
          jenks (sample, m, n_classes, breaks);
        /* The sample's maximum is the data's maximum; keep the bounds increasing. */
        g_array_index (breaks, double, breaks->len - 1) = sorted[n - 1];
      }
      break;
    }
  return breaks;
}

/**
 * saban_classify_class_of:
 * @breaks: (element-type double): what saban_classify() returned (not empty)
 *
 * Returns: the class of @value: the first whose break is ≥ @value (the last
 *   for anything above)
 */
guint
saban_classify_class_of (GArray *breaks, double value)
{
  guint k = 0;

  while (k + 1 < breaks->len && value > g_array_index (breaks, double, k))
    k++;
  return k;
}
