package dev.shardsmith.schemas;

/** The kind of payload a sample carries. */
public enum Modality {
  IMAGE,
  VIDEO,
  TEXT,
  SERIES,
  FEATURES
}
