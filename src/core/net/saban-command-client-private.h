#pragma once

/* saban-command-client-private.h: what the Command API client's files
 * share — its fields, the worker's jobs, and the few functions one part
 * calls in another. saban-command-client.c is the object; -read.c reads
 * the server and is the live channel's stream; -writes.c makes the writes;
 * -jobs.c is the worker thread that owns the outbox, and what became of
 * each write; -cache.c keeps the cache of the server's items in step. */

#include "saban-command-client.h"

#include "saban-command-cache.h"
#include "saban-outbox.h"

G_BEGIN_DECLS

#define LOG_DOMAIN "saban-command"
#define TOPIC "ioc/v1/#"
/* a Feature is a few kilobytes; anything this big is hostile */
#define MAX_PAYLOAD (256 * 1024)
#define MAX_PAGES 10000
/* items fetched at once after notices; a burst past it reads the collections */
#define MAX_FETCHES 32
#define MAX_BODY (64 * 1024 * 1024)
#define MAX_BACKOFF 30
/* changes to the cache are gathered this long, then written at once */
#define SAVE_DELAY_MS 1000
#define CACHE_FILE "command-cache.db"

struct _SabanCommandClient
{
  GObject              parent_instance;
  GMainContext        *context;
  SabanConnection     *connection;
  SabanCommandStore   *store;
  SabanOutbox         *outbox;
  SabanLiveChannel    *channel;
  GPtrArray           *catching_up;   /* GTask: catch-ups waiting for the reads */
  SabanApi            *api;
  GCancellable        *cancellable;
  GThreadPool         *worker;
  GListStore          *conflicts;
  GHashTable          *records;       /* keys of writes the model does not keep (acknowledgements) */
  SabanCommandCache   *cache;
  GHashTable          *cached;        /* "collection/id" → the version the cache holds (gint64 *) */
  GHashTable          *unsaved;       /* "collection/id" → SabanCommandItem the cache lacks */
  GHashTable          *fetches;       /* "collection/id" → the fetch a notice started (not owned) */
  char                *since[SABAN_COMMAND_N_COLLECTIONS];  /* watermark when last read to the end */
  GDateTime           *cached_at;
  guint                save_timer;
  guint                retry_timer;
  guint                backoff;
  guint                reads;         /* collection reads in flight */
  gboolean             reads_ok;
  gboolean             loaded;
  gboolean             started;
  gboolean             flush_queued;  /* a flush job waits in the worker */
  gboolean             restored;      /* the cache and the outbox are shown */
  gboolean             from_cache;
};

typedef enum { JOB_RESTORE, JOB_ENQUEUE, JOB_FLUSH, JOB_RETRY, JOB_DROP, JOB_SAVE } JobKind;

typedef struct
{
  JobKind      kind;
  GWeakRef     client;
  SabanOutbox *outbox;
  SabanCommandCache *cache;
  GMainContext *context;
  GCancellable *cancellable;
  GTask       *task;        /* flush_async's, or NULL */
  char        *key, *method, *path, *body, *if_match;
  SabanApi    *api;
  char        *base;        /* the server the cache is kept for */
  /* the cache: what is written (SabanCachedItem), or what was read (Cached) */
  GPtrArray   *items;
  char        *since[SABAN_COMMAND_N_COLLECTIONS];
  GDateTime   *synced_at;
  gboolean     whole;
  gboolean     emptied;
  /* results */
  GPtrArray   *settled;     /* Settled */
  SabanOutboxReport report;
  GError      *error;
} Job;

typedef struct
{
  SabanOutboxEntry *entry;
  guint             status;
  char             *answer;
  JsonNode         *theirs;     /* a conflict's server Feature */
  gint64            theirs_version;
} Settled;

/* a cached item, parsed by the worker */
typedef struct
{
  SabanCommandCollection collection;
  gint64                 id;
  gint64                 version;
  JsonNode              *feature;
} Cached;

/* saban-command-client-read.c */
void     saban_command_client_read_all        (SabanCommandClient       *self);
char    *saban_command_client_transition_refusal (SabanCommandItem      *item,
                                                  const char            *current,
                                                  const char            *requested);
void     saban_command_client_stream_init     (SabanLiveStreamInterface *iface);
void     saban_command_client_on_state_changed (SabanCommandClient      *self,
                                               SabanLiveStream          *stream);

/* saban-command-client-jobs.c */
void     saban_command_client_run_job         (gpointer                  data,
                                               gpointer                  pool_data);
Job     *saban_command_client_job_new         (SabanCommandClient       *self,
                                               JobKind                   kind);
void     saban_command_client_push            (SabanCommandClient       *self,
                                               Job                      *job);
void     saban_command_client_flush_outbox    (SabanCommandClient       *self,
                                               GTask                    *task);
void     saban_command_client_record_add      (SabanCommandClient       *self,
                                               const char               *key);
gint64   saban_command_client_version_of      (const char               *etag);

/* saban-command-client-cache.c */
void     saban_command_client_set_cached      (SabanCommandClient       *self,
                                               SabanCommandCollection    collection,
                                               gint64                    id,
                                               gint64                    version);
void     saban_command_client_on_item_changed (SabanCommandClient       *self,
                                               SabanCommandItem         *item);
void     saban_command_client_unsave_all      (SabanCommandClient       *self);
void     saban_command_client_save_cache      (SabanCommandClient       *self);
void     saban_command_client_schedule_save   (SabanCommandClient       *self);
void     saban_command_client_show_cached     (SabanCommandClient       *self,
                                               Job                      *job);

G_END_DECLS
