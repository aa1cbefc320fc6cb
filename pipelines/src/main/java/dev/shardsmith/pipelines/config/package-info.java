/**
 * The run configuration: one strict YAML file per run. Unknown keys, wrong types and out-of-range
 * values fail before any data is read, with a message naming the key, the value and what is
 * allowed. {@code docs/config.md} documents every key with its default.
 */
package dev.shardsmith.pipelines.config;
