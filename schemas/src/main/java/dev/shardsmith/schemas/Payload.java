package dev.shardsmith.schemas;

/**
 * What a sample holds, one implementation per modality. Payloads are immutable; arrays they hold
 * are not copied on the way in or out, so callers must not mutate them.
 */
public sealed interface Payload
    permits ImagePayload, VideoPayload, TextPayload, SeriesPayload, FeaturePayload {

  Modality modality();

  /** Raw payload bytes as the counting pass sizes them (pixels, UTF-8, float32 values). */
  long payloadBytes();
}
