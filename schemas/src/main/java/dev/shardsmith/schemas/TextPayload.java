package dev.shardsmith.schemas;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/** A text record, UTF-8. */
public record TextPayload(String text) implements Payload {
  public TextPayload {
    requireNonNull(text, "text");
  }

  @Override
  public Modality modality() {
    return Modality.TEXT;
  }

  @Override
  public long payloadBytes() {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}
