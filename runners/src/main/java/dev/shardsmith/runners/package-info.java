/**
 * Runner wiring: this module puts the DirectRunner and the Flink 1.19 runner on the classpath, is
 * what the {@code shardsmith} launcher starts, and builds the shaded jar ({@code -Pshaded}) that a
 * user submits to a Flink cluster.
 */
package dev.shardsmith.runners;
