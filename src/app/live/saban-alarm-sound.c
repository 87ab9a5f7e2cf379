/* saban-alarm-sound.c: a sound for each new alarm, per level — one low
 * tone for level I, two for II, three high ones for III — each level on or
 * off in the settings (`alarm-sound-level-N`; level III on by default),
 * and at most once in two seconds per level: a flood raises thousands of
 * alarms in one turn.
 *
 * The tones are made here as WAV data and played through GtkMediaFile.
 * GTK 4.8 plays media only through its GStreamer module, which a Debian
 * desktop may lack (libgtk-4-media-gstreamer is not pulled in by GTK):
 * then the stream reports an error and the display's bell rings instead.
 * No new dependency either way (libcanberra was weighed: a library and a
 * sound theme for three tones; see docs/architecture.md).
 */
#include "saban-alarm-sound.h"

#include <math.h>

#define RATE 22050
#define TONE_MS 220
#define GAP_MS 110
#define FADE_MS 10
/* a flood raises thousands of alarms at once: one sound per level this often */
#define QUIET_US (2 * G_USEC_PER_SEC)

struct _SabanAlarmSound
{
  GObject          parent_instance;
  SabanAlarmList  *alarms;
  GSettings       *settings;
  GtkMediaStream  *streams[SABAN_ALARM_GRADE_III + 1];   /* made when first played */
  gint64           played_us[SABAN_ALARM_GRADE_III + 1];  /* monotonic */
  gboolean         beeps;   /* no media backend: the bell instead */
};

enum { PLAYED, N_SIGNALS };

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SabanAlarmSound, saban_alarm_sound, G_TYPE_OBJECT)

static void
put_le (GByteArray *out, guint32 value, guint bytes)
{
  for (guint i = 0; i < bytes; i++)
    {
      guint8 b = (value >> (8 * i)) & 0xff;
      g_byte_array_append (out, &b, 1);
    }
}

/**
 * saban_alarm_sound_make_wav:
 * @grade: an alarm level
 *
 * Returns: (transfer full): a RIFF WAVE file (16-bit mono PCM): @grade
 *   tones, higher for level III
 */
GBytes *
saban_alarm_sound_make_wav (SabanAlarmGrade grade)
{
  guint tones = CLAMP (grade, SABAN_ALARM_GRADE_I, SABAN_ALARM_GRADE_III);
  double pitch = grade >= SABAN_ALARM_GRADE_III ? 1320 : 880;
  guint tone = RATE * TONE_MS / 1000, gap = RATE * GAP_MS / 1000, fade = RATE * FADE_MS / 1000;
  guint samples = tones * tone + (tones - 1) * gap;
  GByteArray *out = g_byte_array_sized_new (44 + 2 * samples);

  g_byte_array_append (out, (const guint8 *) "RIFF", 4);
  put_le (out, 36 + 2 * samples, 4);
  g_byte_array_append (out, (const guint8 *) "WAVEfmt ", 8);
  put_le (out, 16, 4);
  put_le (out, 1, 2);          /* PCM */
  put_le (out, 1, 2);          /* mono */
  put_le (out, RATE, 4);
  put_le (out, 2 * RATE, 4);   /* bytes a second */
  put_le (out, 2, 2);          /* bytes a frame */
  put_le (out, 16, 2);         /* bits a sample */
  g_byte_array_append (out, (const guint8 *) "data", 4);
  put_le (out, 2 * samples, 4);
  for (guint i = 0; i < samples; i++)
    {
      guint at = i % (tone + gap);
      double envelope = at >= tone ? 0 : MIN (1.0, MIN ((double) at, (double) (tone - at)) / fade);
      gint16 v = (gint16) (0.5 * 32767 * envelope * sin (2 * G_PI * pitch * i / RATE));

      put_le (out, (guint16) v, 2);
    }
  return g_byte_array_free_to_bytes (out);
}

static void
beep (SabanAlarmSound *self)
{
  GdkDisplay *display = gdk_display_get_default ();

  self->beeps = TRUE;
  if (display != NULL)
    gdk_display_beep (display);
}

static void
play (SabanAlarmSound *self, SabanAlarmGrade grade)
{
  GtkMediaStream *stream = self->streams[grade];

  if (self->beeps)
    {
      beep (self);
      return;
    }
  if (stream == NULL)
    {
      g_autoptr(GBytes) wav = saban_alarm_sound_make_wav (grade);
      g_autoptr(GInputStream) input = g_memory_input_stream_new_from_bytes (wav);

      stream = self->streams[grade] = gtk_media_file_new_for_input_stream (input);
    }
  gtk_media_stream_seek (stream, 0);
  gtk_media_stream_play (stream);
  /* GTK without a media module fails at once, with this error */
  if (gtk_media_stream_get_error (stream) != NULL)
    beep (self);
}

static void
on_alarm_raised (SabanAlarmSound *self, SabanAlarm *alarm)
{
  SabanAlarmGrade grade = saban_alarm_get_grade (alarm);
  g_autofree char *key = g_strdup_printf ("alarm-sound-level-%u", (guint) grade);
  gint64 now = g_get_monotonic_time ();

  if (saban_alarm_get_acknowledged (alarm) || grade == SABAN_ALARM_GRADE_NONE ||
      !g_settings_get_boolean (self->settings, key) ||
      (self->played_us[grade] != 0 && now - self->played_us[grade] < QUIET_US))
    return;
  self->played_us[grade] = now;
  play (self, grade);
  g_signal_emit (self, signals[PLAYED], 0, (guint) grade);
}

/**
 * saban_alarm_sound_get_beeps:
 *
 * Returns: whether it rings the display's bell, GTK having no media module
 */
gboolean
saban_alarm_sound_get_beeps (SabanAlarmSound *self)
{
  g_return_val_if_fail (SABAN_IS_ALARM_SOUND (self), FALSE);
  return self->beeps;
}

static void
saban_alarm_sound_dispose (GObject *object)
{
  SabanAlarmSound *self = SABAN_ALARM_SOUND (object);

  if (self->alarms != NULL)
    g_signal_handlers_disconnect_by_data (self->alarms, self);
  g_clear_object (&self->alarms);
  g_clear_object (&self->settings);
  for (guint g = 0; g < G_N_ELEMENTS (self->streams); g++)
    g_clear_object (&self->streams[g]);
  G_OBJECT_CLASS (saban_alarm_sound_parent_class)->dispose (object);
}

static void
saban_alarm_sound_class_init (SabanAlarmSoundClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = saban_alarm_sound_dispose;

  /**
   * SabanAlarmSound::played:
   * @grade: the alarm level sounded
   */
  signals[PLAYED] = g_signal_new ("played", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
saban_alarm_sound_init (SabanAlarmSound *self)
{
}

/**
 * saban_alarm_sound_new:
 * @alarms: the alarms whose rise it sounds
 * @settings: the application's settings (`alarm-sound-level-N`)
 *
 * Returns: (transfer full): the sound; one per application, so that two
 *   windows do not sound twice
 */
SabanAlarmSound *
saban_alarm_sound_new (SabanAlarmList *alarms, GSettings *settings)
{
  SabanAlarmSound *self = g_object_new (SABAN_TYPE_ALARM_SOUND, NULL);

  self->alarms = g_object_ref (alarms);
  self->settings = g_object_ref (settings);
  g_signal_connect_object (alarms, "alarm-raised", G_CALLBACK (on_alarm_raised), self, G_CONNECT_SWAPPED);
  return self;
}
