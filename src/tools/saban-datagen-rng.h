/* saban-datagen-rng.h — the random numbers of saban-datagen: splitmix64, so
 * the output never depends on libc's rand()
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <math.h>

#include <glib.h>

typedef struct
{
  guint64 s;
} Rng;

static inline guint64
mix64 (guint64 z)
{
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static inline guint64
rng_next (Rng *r)
{
  r->s += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  return mix64 (r->s);
}

static inline Rng
rng_stream (guint64 seed, guint64 stream)
{
  Rng r = { mix64 (seed ^ mix64 (stream + 0x1234567)) };
  return r;
}

static inline double
rng_uniform (Rng *r)
{
  return (rng_next (r) >> 11) * (1.0 / 9007199254740992.0);
}

static inline double
rng_range (Rng *r, double a, double b)
{
  return a + (b - a) * rng_uniform (r);
}

static inline guint
rng_int (Rng *r, guint n)
{
  return (guint) (rng_uniform (r) * n);
}

static inline double
rng_normal (Rng *r)
{
  double u = 1.0 - rng_uniform (r);
  double v = rng_uniform (r);
  return sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * v);
}

/* A value in [-1, 1) that depends only on its inputs: used for the shared
 * corners of the cadastral grid, which neighbours must agree on. */
static inline double
hash_unit (guint64 seed, gint64 i, gint64 j)
{
  guint64 h = mix64 (seed ^ mix64 ((guint64) i * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15)
                                   + (guint64) j * G_GUINT64_CONSTANT (0xC2B2AE3D27D4EB4F)));
  return (h >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}

