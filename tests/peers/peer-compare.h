/* Does a layer read back from a peer hold what the GeoPackage holds? */
#pragma once

#include <glib.h>

#include "saban-vector-layer.h"

G_BEGIN_DECLS

/* Each side goes through the reader's gridded reprojection, built over that
 * side's own layer extent and exact to 2 cm: two reads of one point may
 * differ by twice that. */
#define PEER_READER_GRID_M 0.04

typedef struct
{
  const char *gpkg_layer;          /* its name in the GeoPackage */
  const char *peer_layer;          /* the name the peer gives it */
  const char * const *key_fields;  /* match features by these; NULL: by FID */
  const char *gpkg_filter;         /* OGR attribute filter: the part the peer serves */
  double tolerance_m;              /* per coordinate, in Web Mercator metres */
} PeerLayerCheck;

SabanVectorLayer *peer_find_layer    (GPtrArray            *layers,
                                      const char           *name);
double            peer_compare_layer (GPtrArray            *gpkg_layers,
                                      const char           *gpkg_path,
                                      GPtrArray            *peer_layers,
                                      const char           *peer_path,
                                      const PeerLayerCheck *check);

G_END_DECLS
