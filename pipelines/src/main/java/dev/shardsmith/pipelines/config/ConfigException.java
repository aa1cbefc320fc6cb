package dev.shardsmith.pipelines.config;

/** A bad config: the message names the key, the value and what is allowed. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
