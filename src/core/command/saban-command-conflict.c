/* saban-command-conflict.c: a change of the user's that met a newer version
 * on the server (412), with both sides for the user to choose from. */
#include "saban-command-conflict.h"

struct _SabanCommandConflict
{
  GObject                parent_instance;
  char                  *key;
  SabanCommandCollection collection;
  gint64                 id;
  JsonNode              *mine;
  gint64                 mine_version;
  JsonNode              *theirs;
  gint64                 theirs_version;
};

G_DEFINE_FINAL_TYPE (SabanCommandConflict, saban_command_conflict, G_TYPE_OBJECT)

static void
saban_command_conflict_finalize (GObject *object)
{
  SabanCommandConflict *self = SABAN_COMMAND_CONFLICT (object);

  g_free (self->key);
  g_clear_pointer (&self->mine, json_node_unref);
  g_clear_pointer (&self->theirs, json_node_unref);
  G_OBJECT_CLASS (saban_command_conflict_parent_class)->finalize (object);
}

static void
saban_command_conflict_class_init (SabanCommandConflictClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = saban_command_conflict_finalize;
}

static void
saban_command_conflict_init (SabanCommandConflict *self)
{
}

/**
 * saban_command_conflict_new:
 * @key: the outbox key of the change
 * @mine: the change (a merge patch of the Feature)
 * @mine_version: the version it was based on
 * @theirs: (nullable): the server's current Feature, NULL if it could not be
 *   fetched
 * @theirs_version: its version
 */
SabanCommandConflict *
saban_command_conflict_new (const char *key, SabanCommandCollection collection, gint64 id, JsonNode *mine,
                            gint64 mine_version, JsonNode *theirs, gint64 theirs_version)
{
  SabanCommandConflict *self = g_object_new (SABAN_TYPE_COMMAND_CONFLICT, NULL);

  self->key = g_strdup (key);
  self->collection = collection;
  self->id = id;
  self->mine = json_node_ref (mine);
  self->mine_version = mine_version;
  self->theirs = theirs ? json_node_ref (theirs) : NULL;
  self->theirs_version = theirs_version;
  return self;
}

const char *
saban_command_conflict_get_key (SabanCommandConflict *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_CONFLICT (self), NULL);
  return self->key;
}

SabanCommandCollection
saban_command_conflict_get_collection (SabanCommandConflict *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_CONFLICT (self), 0);
  return self->collection;
}

/**
 * saban_command_conflict_get_id:
 * Returns: the item's id on the server
 */
gint64
saban_command_conflict_get_id (SabanCommandConflict *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_CONFLICT (self), 0);
  return self->id;
}

/**
 * saban_command_conflict_get_mine:
 * Returns: (transfer none): the user's change, `{"properties":{…}}` and
 *   perhaps `"geometry"`
 */
JsonNode *
saban_command_conflict_get_mine (SabanCommandConflict *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_CONFLICT (self), NULL);
  return self->mine;
}

gint64
saban_command_conflict_get_mine_version (SabanCommandConflict *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_CONFLICT (self), 0);
  return self->mine_version;
}

/**
 * saban_command_conflict_get_theirs:
 * Returns: (transfer none) (nullable): the server's Feature when the
 *   conflict was found
 */
JsonNode *
saban_command_conflict_get_theirs (SabanCommandConflict *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_CONFLICT (self), NULL);
  return self->theirs;
}

gint64
saban_command_conflict_get_theirs_version (SabanCommandConflict *self)
{
  g_return_val_if_fail (SABAN_IS_COMMAND_CONFLICT (self), 0);
  return self->theirs_version;
}
